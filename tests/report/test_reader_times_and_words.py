"""Times in the office's zone with the zone named, evidence under reader labels, words not codes.

The stored run started at 08:30 UTC on 27 November 2026: 09:30 CET in
Warsaw (the default zone), 03:30 EST in New York when ``settings.timezone``
says so.  Stored data stays UTC.
"""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from auditor.analysis import analyse
from auditor.analysis.texts import reader_facts
from auditor.wording import fact_label, fact_labels
from auditor.cli import main
from auditor.model import scan_run_from_json, scan_run_to_json
from auditor.report import DocumentFormat, ReportFormat, render, render_document
from stored_run import FIXTURE


@pytest.fixture(scope="module")
def run():
    return scan_run_from_json(FIXTURE.read_text(encoding="utf-8"))


def _in_zone(run, zone: str):
    return run.with_inputs(settings={**run.extras.settings, "timezone": zone})


def _html_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", html))


def test_html_times_are_in_warsaw_by_default_with_the_zone_named(run) -> None:
    text = _html_text(render(analyse(run, lang="pl"), ReportFormat.HTML))
    assert "2026-11-27 09:30 CET" in text and "Europe/Warsaw" in text
    assert "08:30" not in text and "UTC" not in text


def test_the_zone_is_configurable_and_stored_data_stays_utc(run) -> None:
    moved = _in_zone(run, "America/New_York")
    text = _html_text(render(analyse(moved, lang="en"), ReportFormat.HTML))
    assert "2026-11-27 03:30 EST" in text and "America/New_York" in text and "09:30" not in text
    assert '"started": "2026-11-27T08:30:00Z"' in scan_run_to_json(moved) or \
        '"started": "2026-11-27T08:30:00+00:00"' in scan_run_to_json(moved)


def test_the_formal_documents_show_the_office_time(run) -> None:
    import docx
    from pypdf import PdfReader

    analysis = analyse(run, lang="pl")
    document = docx.Document(io.BytesIO(render_document(analysis, DocumentFormat.DOCX)))
    cells = " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "2026-11-27 09:30 CET" in cells and "UTC" not in cells
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_document(analysis, DocumentFormat.PDF))).pages)
    assert "09:30 CET" in pdf and "08:30" not in pdf


def test_an_unknown_zone_is_an_input_error_with_file_and_line(write_inventory) -> None:
    path = write_inventory(settings={"timeout": 30, "timezone": "Europe/Warszawa"})
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert f"{path}:" in result.output and "settings.timezone" in result.output
    assert "'Europe/Warszawa' is not an IANA time zone" in result.output


def test_history_shows_the_snapshot_in_the_zone_asked_for(tmp_path, run) -> None:
    from auditor.store import Store

    with Store(tmp_path / "s.sqlite") as store:
        store.save(run)
    wide = CliRunner(env={"COLUMNS": "200"})
    warsaw = wide.invoke(main, ["history", "--store", str(tmp_path / "s.sqlite")])
    tokyo = wide.invoke(main, ["history", "--store", str(tmp_path / "s.sqlite"), "--timezone", "Asia/Tokyo"])
    assert "2026-11-27 09:30 CET" in warsaw.output and "2026-11-27 17:30 JST" in tokyo.output
    bad = CliRunner().invoke(main, ["history", "--store", str(tmp_path / "s.sqlite"), "--timezone", "Mars/Olympus"])
    assert bad.exit_code == 2 and "Mars/Olympus" in bad.output


def test_evidence_is_shown_under_reader_labels_in_the_reader_language() -> None:
    facts = {"port": 21, "type": "ftp", "type_pl": "usługa FTP", "type_en": "FTP service", "preload": True,
             "versions": {"installed": "1.2", "fixed": "1.3"}, "unknown_thing": 1}
    assert reader_facts(facts, "pl") == [("port", "21"), ("typ", "usługa FTP"), ("lista preload", "tak"),
                                         ("wersje", "wersja z poprawką: 1.3; zainstalowana wersja: 1.2"),
                                         ("unknown thing", "1")]
    assert reader_facts(facts, "en")[1:3] == [("type", "FTP service"), ("preload list", "yes")]
    assert fact_label("ssh.password_authentication", "pl") == "logowanie hasłem SSH"
    assert "_" not in fact_label("never_seen.key_name", "pl")  # humanised, never the raw key


def test_every_label_is_bilingual() -> None:
    assert all(isinstance(pair, list) and len(pair) == 2 and all(pair) for pair in fact_labels().values())


@pytest.mark.parametrize("fmt", [ReportFormat.CSV, ReportFormat.PLAN_CSV, ReportFormat.HTML])
def test_polish_spreadsheets_and_html_carry_words_not_codes(run, fmt) -> None:
    text = render(analyse(run, lang="pl"), fmt)
    text = _html_text(text) if fmt is ReportFormat.HTML else text
    for code in ("fail", "warn", "pass", "not_applicable", "not_met", "not_assessed", "critical", "medium"):
        assert not re.search(rf"(?<![\w.-]){code}(?![\w.-])", text), (fmt, code)
    assert '{"' not in text  # no JSON
