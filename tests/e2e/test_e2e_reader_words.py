"""The demo lab's audit in Polish, every output format read as a reader would: words, not internals.

``auditor demo`` scans the loopback lab for real and writes the HTML, DOCX,
ODT and PDF documents; the spreadsheets and the terminal summary are rendered
from its run.  None may show a status or severity code, a ``*_pl``/``*_en``
field, an evidence key, JSON or a UTC time — and every evidence key the lab
produces has a reader label.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.analysis import analyse
from auditor.wording import fact_labels
from auditor.model import scan_run_from_json
from auditor.report import ReportFormat, render
from auditor.terminal import summary_text

pytestmark = pytest.mark.e2e
AUDITOR = Path(sys.executable).with_name("auditor")
#: Field names a reader may meet on purpose: the attestations.yaml key the scoring rules tell the office to
#: write, and a fetched MTA-STS policy file quoted verbatim.
QUOTED = (r"\(period_months\)", r"mode:\s+enforce\s+mx: \S+\s+max_age:")
CODES = ("fail", "warn", "pass", "not_applicable", "not_met", "not_assessed", "critical", "medium", "important",
         "essential")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "auditor-demo"
    done = subprocess.run([str(AUDITOR), "demo", "--lang", "pl", "--out", str(out)], capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    return out


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return {str(k) for k in value} | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _reader_texts(lab: Path) -> dict[str, str]:
    import docx
    from odf import teletype, text as odf_text
    from odf.opendocument import load as load_odt
    from pypdf import PdfReader

    html = (lab / "audit.html").read_text(encoding="utf-8")
    analysis = analyse(scan_run_from_json((lab / "run.json").read_text(encoding="utf-8")), lang="pl")
    document = docx.Document(str(lab / "audit.docx"))
    return {
        "html": re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", html)),
        "docx": "\n".join([p.text for p in document.paragraphs]
                          + [c.text for t in document.tables for r in t.rows for c in r.cells]),
        "odt": "\n".join(teletype.extractText(p) for p in load_odt(str(lab / "audit.odt")).getElementsByType(odf_text.P)),
        "pdf": "\n".join(page.extract_text() for page in PdfReader(io.BytesIO((lab / "audit.pdf").read_bytes())).pages),
        "csv": render(analysis, ReportFormat.CSV),
        "plan-csv": render(analysis, ReportFormat.PLAN_CSV),
        "text": summary_text(analysis, show_all=True),
    }


def test_every_evidence_key_of_the_lab_has_a_reader_label(lab: Path) -> None:
    run = json.loads((lab / "run.json").read_text(encoding="utf-8"))
    keys = {re.sub(r"_(pl|en)$", "", k) for f in run["findings"] for k in _keys(f.get("facts") or {})}
    assert len(keys) > 100
    assert sorted(keys - set(fact_labels())) == []


def test_no_output_format_shows_codes_fields_json_or_utc(lab: Path) -> None:
    run = json.loads((lab / "run.json").read_text(encoding="utf-8"))
    fields = {k for f in run["findings"] for k in _keys(f.get("facts") or {}) if "_" in k and "." not in k}
    found = {}
    for fmt, text in _reader_texts(lab).items():
        for quoted in QUOTED:
            text = re.sub(quoted, " ", text)
        for word in (*CODES, *sorted(fields)):
            hit = re.search(rf"(?<![\w.$-]){re.escape(word)}(?![\w.-])", text)
            if hit:
                found[f"{fmt}: {word}"] = text[max(0, hit.start() - 60):hit.end() + 30]
        for pattern in (r"\b\w+_(?:pl|en)\b", r'\{"', r"\bUTC\b"):
            hit = re.search(pattern, text)
            if hit:
                found[f"{fmt}: {pattern}"] = text[max(0, hit.start() - 60):hit.end() + 30]
    assert found == {}
