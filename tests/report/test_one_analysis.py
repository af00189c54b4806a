"""One stored run, every output: the same failing counts per severity, non-conformity numbers and top five.

Each format is read back the way its reader would see it (the terminal's
text, the HTML markup, the PDF's text layer via pdftotext, the DOCX
paragraphs, the CSV rows, the SARIF results), never from the analysis
object, so a renderer that recomputed a count or an order would fail here.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import docx
import pytest

from auditor.analysis import analyse
from auditor.model import scan_run_from_json
from auditor.report import DocumentFormat, ReportFormat, render, render_document
from auditor.analysis.texts import severity_word
from auditor.report.cells import read_spreadsheet
from auditor.report.csvfile import COLUMNS as CSV_COLUMNS
from auditor.report.plancsv import COLUMNS as PLAN_COLUMNS
from auditor.terminal import summary_text
from stored_run import FIXTURE

SEVERITIES = ("critical", "high", "medium", "low", "info")
PL_SEVERITY = {"krytyczna": "critical", "wysoka": "high", "średnia": "medium", "niska": "low",
               "informacyjna": "info"}
#: What the stored run must give — written down from the findings in ``stored_run.py``, not computed.
EXPECTED_COUNTS = {"critical": 2, "high": 3, "medium": 7, "low": 1, "info": 0}
EXPECTED_NUMBERS = {"N-01": "patch.known_exploited", "N-02": "patch.eol", "N-03": "mail.dmarc.missing",
                    "N-04": "network.risky_service", "O-01": "network.undeclared_port",
                    "O-02": "tls.protocol.tls10", "O-03": "tls.hsts.missing", "Z-01": "tls.cert.expires_soon",
                    "Z-02": "web.header.csp"}
EXPECTED_TOP = ["N-01", "N-02", "N-03", "N-04", "O-01"]


@pytest.fixture(scope="module")
def analysis():
    return analyse(scan_run_from_json(FIXTURE.read_text(encoding="utf-8")), lang="pl")


def _severity_words(text: str) -> dict[str, int]:
    """``krytyczna 2, wysoka 3, …`` → counts per severity."""
    return {PL_SEVERITY[word]: int(n) for word, n in re.findall(r"(krytyczna|wysoka|średnia|niska|informacyjna) (\d+)",
                                                                    text)}


def _numbers_in_order(text: str) -> list[str]:
    return re.findall(r"\b([NOZ]-\d\d)\b", text)


def test_the_stored_run_is_a_schema_1_0_file_read_by_today(analysis):
    assert json.loads(FIXTURE.read_text(encoding="utf-8"))["schema_version"] == "1.0"
    assert analysis.run.extras.authorisation is not None and analysis.run.extras.accepted


def test_terminal(analysis):
    text = summary_text(analysis, width=80)
    headline = text.split("\n\n")[0]
    assert _severity_words(headline) == EXPECTED_COUNTS
    failing = text.split("Najpierw napraw:")[0]
    blocks = re.split(r"^(?=[NOZ]-\d\d )", failing, flags=re.MULTILINE)[1:]
    numbers = {block[:4]: re.search(r"\(([a-z_]+\.[\w.]+)\)", " ".join(block.split())).group(1) for block in blocks}
    assert numbers == EXPECTED_NUMBERS
    fix_first = text.split("Najpierw napraw:")[1].split("Wyniki")[0]
    assert re.findall(r"^\d\. ([NOZ]-\d\d) ", fix_first, re.MULTILINE) == EXPECTED_TOP


def test_html(analysis):
    html = render(analysis, ReportFormat.HTML)
    counts = dict(re.findall(r'<li class="sev-(\w+)"><span class="n">(\d+)</span>', html))
    assert {k: int(v) for k, v in counts.items()} == EXPECTED_COUNTS
    top = html.split('<ol class="top-actions">')[1].split("</ol>")[0]
    assert re.findall(r'<span class="nc-number">([NOZ]-\d\d)</span>', top) == EXPECTED_TOP
    # each non-conformity's heading is the anchor its findings link to
    headings = {number: check for check, number in
                re.findall(r'<h3 class="item" id="action-([\w.]+)">.*?</a> ([NOZ]-\d\d)\. ', html)}
    assert headings == EXPECTED_NUMBERS


def _document_checks(text: str) -> None:
    summary = text.split("Najpierw napraw")[0]
    assert _severity_words(summary.split("według ważności:")[1]) == EXPECTED_COUNTS
    top = text.split("Najpierw napraw")[1]
    assert _numbers_in_order(top)[:5] == EXPECTED_TOP
    items = dict(re.findall(r"^([NOZ]-\d\d)\. .*?\n(?:.*\n){0,12}?.*?\b((?:patch|mail|network|tls|web)\.[\w.]+)",
                            text, re.MULTILINE))
    assert items == EXPECTED_NUMBERS


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_text_layer(analysis, tmp_path: Path):
    pdf = tmp_path / "audit.pdf"
    pdf.write_bytes(render_document(analysis, DocumentFormat.PDF))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = text.split("Podsumowanie dla kierownictwa")[-1] if "Podsumowanie dla kierownictwa" in text else text
    _document_checks(re.sub(r"[ \t]+", " ", text).replace("\n ", "\n"))


def test_docx(analysis):
    document = docx.Document(io.BytesIO(render_document(analysis, DocumentFormat.DOCX)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)
    assert _severity_words(text.split("według ważności:")[1].split("\n")[0]) == EXPECTED_COUNTS
    assert _numbers_in_order(text.split("Najpierw napraw")[1])[:5] == EXPECTED_TOP
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2" and re.match(r"[NOZ]-\d\d\. ", p.text)]
    numbers = [h.split(".")[0] for h in headings]
    checks = [c for c in cells if re.fullmatch(r"(?:patch|mail|network|tls|web)\.[\w.]+", c)]
    assert dict(zip(numbers, checks)) == EXPECTED_NUMBERS


def _rows(text: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows by column id (the header row is in the reader's language)."""
    header, *rows = read_spreadsheet(text)
    assert len(header) == len(columns)
    return [dict(zip(columns, row)) for row in rows]


def test_csv(analysis):
    rows = _rows(render(analysis, ReportFormat.CSV), CSV_COLUMNS)
    open_failing = [r for r in rows if r["action"]]
    counts = Counter(r["severity"] for r in open_failing)
    counts = Counter({s: counts[severity_word(s, "pl")] for s in SEVERITIES})
    assert {s: counts.get(s, 0) for s in SEVERITIES} == EXPECTED_COUNTS
    assert {r["action"]: r["check_id"] for r in open_failing} == EXPECTED_NUMBERS
    ranked = sorted({(int(r["action_rank"]), r["action"]) for r in open_failing})
    assert [number for _, number in ranked][:5] == EXPECTED_TOP
    plan = _rows(render(analysis, ReportFormat.PLAN_CSV), PLAN_COLUMNS)
    assert [r["number"] for r in sorted(plan, key=lambda r: int(r["rank"]))][:5] == EXPECTED_TOP


def test_sarif(analysis):
    log = json.loads(render(analysis, ReportFormat.SARIF))
    results = log["runs"][0]["results"]
    open_failing = [r for r in results if r["kind"] == "fail" and not r.get("suppressions")]
    counts = Counter(r["properties"]["severity"] for r in open_failing)
    assert {s: counts.get(s, 0) for s in SEVERITIES} == EXPECTED_COUNTS
    assert {r["properties"]["action"]["number"]: r["ruleId"] for r in open_failing} == EXPECTED_NUMBERS
    ranked = sorted({(r["properties"]["action"]["rank"], r["properties"]["action"]["number"]) for r in open_failing})
    assert [number for _, number in ranked][:5] == EXPECTED_TOP
    assert [r for r in results if r.get("suppressions")][0]["ruleId"] == "patch.pending_updates"


def test_json_round_trips_into_the_same_analysis(analysis):
    again = analyse(scan_run_from_json(render(analysis, ReportFormat.JSON)), lang="pl")
    assert again.failing_by_severity == analysis.failing_by_severity == EXPECTED_COUNTS
    assert [(a.number, a.check_id) for a in again.top] == [(n, EXPECTED_NUMBERS[n]) for n in EXPECTED_TOP]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_every_output_carries_the_baselines_numbering_caveat(analysis, tmp_path: Path):
    """The unconfirmed 2024 KRI paragraph numbers are said wherever the score is: HTML, PDF, DOCX."""
    caveat = analysis.run.scores["kri"].note["pl"]
    assert "nie zostały potwierdzone" in caveat
    flat = lambda text: " ".join(text.split())  # noqa: E731 — line breaks differ per format
    html = render(analysis, ReportFormat.HTML)
    pdf = tmp_path / "audit.pdf"
    pdf.write_bytes(render_document(analysis, DocumentFormat.PDF))
    pdf_text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    document = docx.Document(io.BytesIO(render_document(analysis, DocumentFormat.DOCX)))
    docx_text = "\n".join(p.text for p in document.paragraphs)
    for name, text in (("html", html), ("pdf", pdf_text), ("docx", docx_text)):
        assert flat(caveat) in flat(text), name
