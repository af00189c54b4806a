"""Text out of PDF, DOCX, ODT and plain-text files, defensively.

Runs inside the isolated worker (``worker.py``), so a hostile or broken
file can at worst exhaust the worker's time or memory limit.  DOCX and ODT
are zip archives: their declared uncompressed sizes are checked before any
XML is parsed (a zip bomb is refused, not inflated).  Every function returns
plain data: ``blocks`` (paragraphs, headings, table rows joined with " | ",
in reading order), ``headings``, ``pages`` and ``metadata``.  Known
conditions (encrypted, zip bomb, unsupported format) raise
``ExtractionError`` with a stable reason; any other exception from a parser
means the file is malformed, and the caller records it so.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

#: Formats whose text we read, by file suffix.
TEXT_FORMATS = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".txt": "txt", ".md": "md"}
#: Document formats an office uses that we cannot read: recorded for manual review.
OTHER_FORMATS = {".doc": "doc", ".rtf": "rtf", ".pages": "pages"}
#: Formats whose headings are marked up (styles, ``#``) rather than guessed from the layout.
STYLED_FORMATS = frozenset({"docx", "odt", "md"})


@dataclass(frozen=True)
class Limits:
    max_chars: int = 500_000
    """Text kept per file; longer texts are cut (and say so)."""
    max_unzipped: int = 100 * 1024 * 1024
    """Sum of declared uncompressed sizes allowed in a DOCX/ODT."""
    max_zip_entries: int = 5000
    max_ratio: int = 200
    """Largest compression ratio of one zip member (XML compresses ~10x; bombs ~1000x)."""


class ExtractionError(Exception):
    """The file cannot be read; ``reason`` is a stable keyword for the evidence."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class _Collector:
    """Accumulates blocks up to the character limit."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.blocks: list[str] = []
        self.headings: list[str] = []
        self.chars = 0
        self.truncated = False

    @property
    def full(self) -> bool:
        return self.chars >= self.limits.max_chars

    def add(self, text: str, *, heading: bool = False) -> None:
        text = re.sub(r"[ \t\xa0]+", " ", text).strip()
        if not text:
            return
        if self.full:
            self.truncated = True
            return
        text = text[: self.limits.max_chars - self.chars]
        self.blocks.append(text)
        self.chars += len(text)
        if heading or _looks_like_heading(text):
            self.headings.append(text)

    def result(self, fmt: str, pages: int | None, metadata: dict[str, Any]) -> dict[str, Any]:
        return {
            "format": fmt,
            "styled_headings": fmt in STYLED_FORMATS,
            "pages": pages,
            "blocks": self.blocks,
            "headings": self.headings[:200],
            "chars": self.chars,
            "truncated": self.truncated,
            "metadata": {k: v for k, v in metadata.items() if v},
        }


_NUMBERED_HEADING = re.compile(r"^(\d+(\.\d+)*\.?|[IVX]+\.|rozdzia[lł]\s+\w+)\s+\S", re.I)


def _looks_like_heading(line: str) -> bool:
    """Heading heuristics for formats without styles (PDF, text): numbered or upper-case short lines."""
    if len(line) > 90 or line.endswith((".", ",", ";")):
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(_NUMBERED_HEADING.match(line)) or (len(letters) >= 4 and all(c.isupper() for c in letters))


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


# ------------------------------------------------------------------ zip containers


def check_zip(path: Path, limits: Limits) -> None:
    """Refuses archives whose declared contents are too big, too many or suspiciously compressed."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractionError("malformed", f"not a valid zip container: {exc}") from None
    if len(members) > limits.max_zip_entries:
        raise ExtractionError("zip_bomb", f"{len(members)} entries in the archive")
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped:
        raise ExtractionError("zip_bomb", f"{total} bytes uncompressed declared (limit {limits.max_unzipped})")
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise ExtractionError(
                "zip_bomb", f"{member.filename} expands {member.file_size // max(member.compress_size, 1)}x"
            )


# ------------------------------------------------------------------ formats


def _pdf(path: Path, limits: Limits) -> dict[str, Any]:
    from pypdf import PdfReader

    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ExtractionError("encrypted", "the PDF needs a password")
    out = _Collector(limits)
    for page in reader.pages:
        if out.full:
            out.truncated = True
            break
        for line in (page.extract_text() or "").splitlines():
            out.add(line)
    info = _safe(lambda: reader.metadata) or {}
    metadata = {
        "title": _safe(lambda: info.title),
        "created": _iso(_safe(lambda: info.creation_date)),
        "modified": _iso(_safe(lambda: info.modification_date)),
    }
    return out.result("pdf", len(reader.pages), metadata)


def _safe(getter: Callable[[], Any]) -> Any:
    """Metadata fields of broken files raise on access; a missing title is not an error."""
    try:
        value = getter()
    except Exception:  # noqa: BLE001 - any parse failure of one metadata field means "absent"
        return None
    return str(value) if isinstance(value, str) else value


def _docx(path: Path, limits: Limits) -> dict[str, Any]:
    check_zip(path, limits)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    out = _Collector(limits)
    for section in document.sections:
        for paragraph in section.header.paragraphs:
            out.add(paragraph.text)
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            out.add(paragraph.text, heading=style.lower().startswith(("heading", "title", "nagłówek", "tytuł")))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                out.add(" | ".join(_unique_cells(cell.text for cell in row.cells)))
    core = document.core_properties
    metadata = {"title": core.title, "created": _iso(core.created), "modified": _iso(core.modified)}
    return out.result("docx", None, metadata)


def _unique_cells(cells: Iterable[str]) -> list[str]:
    """Merged cells repeat their text in python-docx; keep one copy in reading order."""
    seen: list[str] = []
    for cell in cells:
        cell = cell.strip()
        if cell and (not seen or seen[-1] != cell):
            seen.append(cell)
    return seen


def _odt(path: Path, limits: Limits) -> dict[str, Any]:
    check_zip(path, limits)
    from odf import dc, meta, teletype
    from odf.opendocument import load

    document = load(str(path))
    out = _Collector(limits)
    _walk_odf(document.text, out, teletype)

    def first(element_type: Any) -> str | None:
        found = document.meta.getElementsByType(element_type) if document.meta else []
        return teletype.extractText(found[0]) if found else None

    metadata = {"title": first(dc.Title), "created": first(meta.CreationDate), "modified": first(dc.Date)}
    return out.result("odt", None, metadata)


def _walk_odf(node: Any, out: _Collector, teletype: Any) -> None:
    """Paragraphs and headings in document order; a table row becomes one block."""
    for child in node.childNodes:
        if out.full:
            out.truncated = True
            return
        name = getattr(child, "qname", (None, None))[1]
        if name == "h":
            out.add(teletype.extractText(child), heading=True)
        elif name == "p":
            out.add(teletype.extractText(child))
        elif name == "table-row":
            cells = [
                teletype.extractText(cell)
                for cell in child.childNodes
                if getattr(cell, "qname", (0, ""))[1] == "table-cell"
            ]
            out.add(" | ".join(_unique_cells(cells)))
        elif getattr(child, "childNodes", None):
            _walk_odf(child, out, teletype)


def _plain(path: Path, limits: Limits, fmt: str) -> dict[str, Any]:
    with path.open("rb") as handle:
        raw = handle.read(limits.max_chars * 2)
    text = _decode(raw)
    out = _Collector(limits)
    for line in text.splitlines():
        heading = fmt == "md" and line.startswith("#")
        out.add(line.lstrip("#").strip() if heading else line, heading=heading)
    return out.result(fmt, None, {})


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1250 (Polish Windows)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1250", errors="replace")


def extract_file(path: str, limits: Limits | None = None) -> dict[str, Any]:
    """Reads one file by its suffix; raises ``ExtractionError`` when it cannot."""
    limits = limits or Limits()
    target = Path(path)
    fmt = TEXT_FORMATS.get(target.suffix.lower())
    if fmt == "pdf":
        return _pdf(target, limits)
    if fmt == "docx":
        return _docx(target, limits)
    if fmt == "odt":
        return _odt(target, limits)
    if fmt in ("txt", "md"):
        return _plain(target, limits, fmt)
    raise ExtractionError("unsupported_format", f"{target.suffix or 'no suffix'} files are not read")
