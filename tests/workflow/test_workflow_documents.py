"""The formal audit report: DOCX and ODT opened with their libraries, PDF pages rasterised and not blank."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import docx
import pytest
from odf import table as odf_table, teletype, text as odf_text
from odf.opendocument import load as load_odt
from PIL import Image

from auditor.analysis import analyse
from auditor.report.cells import PolishExcel
from auditor.report.plancsv import COLUMNS
from auditor.report import DocumentFormat, ReportFormat, render, render_document
from workflow_helpers import audited_pair

SECTIONS_PL = ["1. Informacje o audycie", "2. Podsumowanie dla kierownictwa", "3. Niezgodności",
               "4. Obserwacje i zalecenia", "5. Ryzyka zaakceptowane", "6. Plan działań naprawczych",
               "7. Realizacja ustaleń poprzedniego audytu", "8. Metodyka", "9. Podpisy"]


@pytest.fixture(scope="module")
def pair():
    return audited_pair()


def _docx_tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]


def test_docx_has_sections_numbered_items_and_plan(pair, tmp_path):
    previous, current = pair
    path = tmp_path / "audit.docx"
    path.write_bytes(render_document(analyse(current, previous=previous), DocumentFormat.DOCX))
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h for h in headings if h[0].isdigit()] == SECTIONS_PL
    items = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "N-01. Usługa wysokiego ryzyka dostępna z sieci" in items and "N-02. Serwer akceptuje TLS 1.0" in items
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Akceptacja ryzyka wygasła 2026-11-26" in body
    tables = _docx_tables(document)
    fields = {row[0]: row[1] for t in tables for row in t if len(row) == 2}
    assert fields["Upoważnienie wydał"] == "Jan Wójcik — Wójt Gminy Testowa"
    assert fields["Podstawa (dokument)"].startswith("zarządzenie nr 12/2026") and fields["Audytor"].startswith("Ewa")
    plan = next(t for t in tables if t[0][0] == "Nr" and "Szacowany nakład" in t[0])
    assert [row[0] for row in plan[1:]] == ["N-01", "N-02", "Z-01"]
    assert plan[1][4] == "Informatyk / dział IT" and plan[1][5] == "2026-12-11"
    followup = next(t for t in tables if "Stan" in t[0])
    assert {row[0]: row[-1] for row in followup[1:]} == {"N-01": "przeterminowane", "N-02": "przeterminowane",
                                                         "Z-01": "otwarte"}
    accepted = next(t for t in tables if t[0][:2] == ["Kontrola", "Cel"] and "Uzasadnienie" in t[0])
    assert accepted[1][1] == "host:bip.gmina.test (23/tcp)"
    assert "Gmina Testowa" in document.sections[0].header.paragraphs[0].text


def test_odt_has_the_same_structure(pair, tmp_path):
    previous, current = pair
    path = tmp_path / "audit.odt"
    path.write_bytes(render_document(analyse(current, previous=previous), DocumentFormat.ODT))
    document = load_odt(str(path))
    headings = [teletype.extractText(h) for h in document.getElementsByType(odf_text.H)]
    assert [h for h in headings if h[:1].isdigit()] == SECTIONS_PL
    assert "N-01. Usługa wysokiego ryzyka dostępna z sieci" in headings
    rows = [[teletype.extractText(c) for c in r.getElementsByType(odf_table.TableCell)]
            for r in document.getElementsByType(odf_table.TableRow)]
    plan_rows = [r for r in rows if len(r) == 7 and r[0] in ("N-01", "N-02", "Z-01")]
    assert [r[0] for r in plan_rows] == ["N-01", "N-02", "Z-01"] and plan_rows[0][5] == "2026-12-11"


def test_english_headings(pair):
    previous, current = pair
    document = docx.Document(io.BytesIO(render_document(analyse(current, lang="en", previous=previous), DocumentFormat.DOCX)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "3. Non-conformities" in headings and "6. Remediation plan" in headings


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_pages_are_not_blank(pair, tmp_path):
    previous, current = pair
    pdf = tmp_path / "audit.pdf"
    pdf.write_bytes(render_document(analyse(current, previous=previous), DocumentFormat.PDF))
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(tmp_path / "page")], check=True,
                   timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 8          # cover, contents and one page per section
    for page in pages:
        image = Image.open(page).convert("L")
        dark = sum(image.histogram()[:200])
        assert dark / (image.width * image.height) > 0.002, page.name
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Strona 2 / " in text and "N-01. Usługa wysokiego ryzyka" in text and "Gmina Testowa" in text


def test_plan_csv_and_html_sections(pair):
    previous, current = pair
    _header, *cells = csv.reader(io.StringIO(render(analyse(current), ReportFormat.PLAN_CSV).lstrip("\ufeff")),
                                 dialect=PolishExcel)
    rows = [dict(zip(COLUMNS, row)) for row in cells]
    assert [(r["number"], r["owner"], r["deadline"]) for r in rows][0] == ("N-01", "Informatyk / dział IT",
                                                                          "2026-12-11")
    html = render(analyse(current, previous=previous), ReportFormat.HTML)
    for section in ("audit-info", "audit-nonconformities", "audit-plan", "audit-followup", "audit-accepted"):
        assert f'id="{section}"' in html
    assert "zarządzenie nr 12/2026" in html and "akceptacja wygasła 2026-11-26" in html
    assert "zaakceptowane (ważna do 2027-06-30)" in html
    # the accepted telnet on bip is no action to take; the expired one on poczta is
    risky = html[html.index('id="action-network.risky_service"'):html.index('id="action-tls.protocol.tls10"')]
    assert "<td>Cele, których dotyczy</td><td>host:poczta.gmina.test</td>" in risky and "bip.gmina.test" not in risky


def test_hostile_text_stays_text_in_every_document():
    from auditor.report.pdf import print_html
    from auditor.report.audit import build_audit
    from auditor.report.synthetic import HOSTILE, synthetic_run

    run = synthetic_run(findings=60, targets=4, hostile=True)
    page = print_html(build_audit(analyse(run)))
    assert HOSTILE not in page and "&lt;script&gt;" in page            # escaped in the body
    assert "\\3c script\\3e" in page                                     # CSS-escaped in the running header
    assert render_document(analyse(run), DocumentFormat.PDF).startswith(b"%PDF")
    document = docx.Document(io.BytesIO(render_document(analyse(run), DocumentFormat.DOCX)))
    assert HOSTILE in document.sections[0].header.paragraphs[0].text    # literal text, not markup


def test_control_characters_in_target_text_do_not_break_the_documents():
    from auditor.model import Severity
    from workflow_helpers import finding, make_run

    nasty = finding("network.risky_service", "bip.gmina.test", severity=Severity.CRITICAL, subject="23/tcp")
    nasty = nasty.__class__(**{**nasty.__dict__, "message": {"pl": "baner \x1b[31mTELNET\x00\x07", "en": "x"}})
    run = make_run([nasty])
    document = docx.Document(io.BytesIO(render_document(analyse(run), DocumentFormat.DOCX)))
    assert any("baner TELNET" in p.text for p in document.paragraphs)
    load_odt(io.BytesIO(render_document(analyse(run), DocumentFormat.ODT)))
