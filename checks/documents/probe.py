"""The ``documents`` probe: one pass over the documents folder(s).

Per file it records what an auditor would note on a first read — path,
hash, size, pages, whether text could be extracted, title, the document
type(s) it is (with confidence and the phrases that matched), the sections
it covers, whether it is a draft, its approving act and its dates.  It
decides nothing: a scanned PDF is recorded as "no text layer", a broken
file as its error, and the checks judge.
"""

from __future__ import annotations

import hashlib
import re
import time
from stat import S_ISREG
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from auditor.checks.documents.classify import Classifier, DocumentText
from auditor.checks.documents.dates import document_dates
from auditor.checks.documents.extract import OTHER_FORMATS, TEXT_FORMATS, Limits, extract_file
from auditor.checks.documents.family import FAMILY
from auditor.checks.documents.profiles import default_path, profiles
from auditor.checks.documents.source import DEFAULT_FILE_TIMEOUT_S, DEFAULT_MAX_FILE_MB, DEFAULT_MAX_FILES
from auditor.checks.documents.walk import file_kind, list_documents
from auditor.checks.documents.worker import IsolatedWorker, WorkerFailed, WorkerTimeout
from auditor.model import Evidence, Target
from auditor.plugin import Probe, ProbeContext, ProbeInputError

#: A PDF with fewer letters per page than this has no text layer: it is a scan
#: (scanner apps stamp ~20 letters such as "Scanned with CamScanner" on each page).
MIN_PDF_LETTERS_PER_PAGE = 25
_BUDGET_SHARE = 0.9
_WORD_EXPORT_PREFIX = re.compile(r"^(microsoft word|microsoft powerpoint)\s*-\s*", re.I)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _roots(target: Target) -> list[Path]:
    paths = ([target.attrs["path"]] if target.attrs.get("path") else []) + list(target.attrs.get("paths", []))
    return [Path(p) for p in paths]


_NOT_A_TITLE = re.compile(r"^(zał[aą]cznik|zarz[aą]dzeni|§|\d{1,2}[./-]\d{1,2}[./-]\d{4})", re.I)


def _title(extracted: dict[str, Any], filename: str) -> tuple[str, str]:
    """The document's title and where it came from (metadata, heading, first line or file name).

    Marked-up headings are trusted; in PDFs and plain text the first short
    line that is not an act header ("Załącznik do Zarządzenia …", "§ 1") is.
    """
    meta_title = _WORD_EXPORT_PREFIX.sub("", (extracted.get("metadata", {}).get("title") or "")).strip()
    if meta_title:
        return meta_title[:200], "metadata"
    if extracted.get("styled_headings") and extracted.get("headings"):
        return extracted["headings"][0][:200], "heading"
    for block in extracted.get("blocks", [])[:8]:
        if len(block) <= 150 and not _NOT_A_TITLE.match(block.strip()):
            return block[:200], "first_line"
    return Path(filename).stem, "filename"


@FAMILY.probe
class DocumentsProbe(Probe):
    name = "documents"
    target_kinds = frozenset({"documents"})

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        roots = _roots(target)
        missing = [str(r) for r in roots if not r.is_dir()]
        if len(missing) == len(roots):
            raise ProbeInputError(f"documents folder not found: {', '.join(missing)}")
        present = [r for r in roots if r.is_dir()]
        max_files = int(target.attrs.get("max_files", DEFAULT_MAX_FILES))
        max_bytes = int(float(target.attrs.get("max_file_mb", DEFAULT_MAX_FILE_MB)) * 1024 * 1024)
        file_timeout = float(target.attrs.get("file_timeout_s", DEFAULT_FILE_TIMEOUT_S))
        listing = list_documents(present, max_files)
        data = profiles()
        classifier = Classifier(data)
        deadline = time.monotonic() + ctx.timeout * _BUDGET_SHARE
        label_roots = len(present) > 1
        files = []
        out_of_time = False
        with IsolatedWorker() as worker:
            for root, path in listing.files:
                remaining = deadline - time.monotonic()
                out_of_time = out_of_time or remaining <= 0
                facts = _file_facts(root, path, max_bytes, label_roots)
                if facts.get("error") is None:
                    if out_of_time:
                        facts["error"] = {
                            "reason": "time_budget",
                            "detail": "scan time budget used up before this file",
                        }
                    else:
                        _read(facts, path, worker, classifier, min(file_timeout, remaining))
                if facts.get("error") is not None:
                    facts["hint_types"] = classifier.filename_hints(path.name)
                files.append(facts)
        return {
            "roots": [str(r) for r in roots],
            "missing_roots": missing,
            "profiles": {"version": data.version, "sha256": _sha256(default_path())},
            "files": files,
            "skipped": listing.skipped,
            "ignored_files": listing.ignored,
            "truncated": listing.truncated or out_of_time,
            "limits": {"max_files": max_files, "max_file_bytes": max_bytes, "file_timeout_s": file_timeout},
        }


def _file_facts(root: Path, path: Path, max_bytes: int, label_root: bool) -> dict[str, Any]:
    """What the file system says about a file, and whether it is worth reading.

    ``path`` is relative to its folder; with several folders it starts with
    the folder's name, so two ``PBI.docx`` in different folders stay apart.
    """
    suffix = path.suffix.lower()
    relative = path.relative_to(root).as_posix()
    facts: dict[str, Any] = {
        "path": f"{root.name}/{relative}" if label_root else relative,
        "root": str(root),
        "format": TEXT_FORMATS.get(suffix) or OTHER_FORMATS.get(suffix),
        "size": None,
        "modified": None,
        "sha256": None,
        "pages": None,
        "text_extracted": False,
        "error": None,
    }
    try:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):  # replaced by a FIFO or device since the folder was listed
            facts["error"] = {"reason": "not_regular_file", "detail": f"{file_kind(stat.st_mode)}, not read"}
            return facts
        facts["size"] = stat.st_size
        facts["modified"] = datetime.fromtimestamp(stat.st_mtime, timezone.utc).isoformat()
        if stat.st_size > max_bytes:
            facts["error"] = {"reason": "too_large", "detail": f"{stat.st_size} bytes (limit {max_bytes})"}
            return facts
        facts["sha256"] = _sha256(path)
    except OSError as exc:  # removed or locked since the folder was listed
        facts["error"] = {"reason": "unreadable", "detail": exc.strerror or str(exc)}
        return facts
    if suffix in OTHER_FORMATS:
        facts["error"] = {
            "reason": "unsupported_format",
            "detail": f"{suffix} files cannot be read; save as PDF, DOCX or ODT",
        }
    return facts


def _read(facts: dict[str, Any], path: Path, worker: IsolatedWorker, classifier: Classifier, timeout: float) -> None:
    """Extracts, classifies and dates one file, recording any failure as the file's error."""
    try:
        extracted = worker.call(extract_file, (str(path), Limits()), timeout)
    except WorkerTimeout as exc:
        facts["error"] = {"reason": "timeout", "detail": str(exc)}
        return
    except WorkerFailed as exc:
        reason = exc.reason or ("memory_limit" if exc.kind == "MemoryError" else "malformed")
        facts["error"] = {"reason": reason, "detail": f"{exc.kind}: {exc}"[:300]}
        return
    facts["pages"] = extracted["pages"]
    facts["chars"] = extracted["chars"]
    facts["truncated"] = extracted["truncated"]
    metadata = extracted["metadata"]
    facts["metadata"] = {
        "created": metadata.get("created"),
        "modified": metadata.get("modified"),
        "title": metadata.get("title"),
    }
    facts["title"], facts["title_source"] = _title(extracted, path.name)
    letters = sum(1 for block in extracted["blocks"] for c in block if c.isalpha())
    if extracted["format"] == "pdf" and letters < MIN_PDF_LETTERS_PER_PAGE * max(extracted["pages"] or 1, 1):
        facts["error"] = {
            "reason": "no_text_layer",
            "detail": f"{letters} letters of text on {extracted['pages']} page(s)",
        }
        return
    if letters == 0:
        facts["error"] = {"reason": "empty", "detail": "no text"}
        return
    facts["text_extracted"] = True
    doc = DocumentText(
        blocks=extracted["blocks"],
        headings=extracted["headings"],
        metadata_title=metadata.get("title"),
        filename=path.name,
    )
    facts.update(classifier.examine(doc))
    title_line = facts["classification"]["why"].get("subject") if facts["classification"]["why"].get("subject_source") == "title" else None
    if title_line and facts["title_source"] != "metadata":
        facts["title"], facts["title_source"] = title_line[:200], "title_line"
    facts["dates"] = document_dates(doc.full_text())
