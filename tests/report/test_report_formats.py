"""SARIF validates against the official 2.1.0 schema; CSV is one safe row per finding; JSON round-trips."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema

from auditor.analysis import analyse
from auditor.report.cells import PolishExcel, read_spreadsheet
from auditor.model import Status, scan_run_from_json
from auditor.report import ReportFormat, render
from auditor.report.csvfile import COLUMNS
from auditor.report.sarif import build

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_is_valid_against_the_official_schema(hostile_run):
    log = json.loads(render(analyse(hostile_run, lang="en"), ReportFormat.SARIF))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == sum(1 for f in hostile_run.findings if f.status is not Status.ERROR)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(results[i]["ruleId"] == rules[results[i]["ruleIndex"]]["id"] for i in range(len(results)))
    failing = [r for r in results if r["kind"] == "fail"]
    assert failing and all(r["level"] in ("error", "warning", "note") for r in failing)
    assert all(r["level"] == "none" for r in results if r["kind"] != "fail")


def test_sarif_reports_probe_errors_as_notifications(hostile_run):
    from dataclasses import replace

    from auditor.model import AttemptStatus, ErrorReason, ProbeAttempt

    broken = replace(hostile_run, attempts=hostile_run.attempts + (ProbeAttempt(
        probe="network", target_id="host:x", status=AttemptStatus.ERROR, error_reason=ErrorReason.TIMEOUT,
        error="nmap timed out"),))
    log = build(analyse(broken, lang="pl"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[-1]["message"]["text"] == "network on host:x: timeout: nmap timed out"


def test_csv_has_one_row_per_finding_and_defuses_formulas(hostile_run):
    text = render(analyse(hostile_run, lang="pl"), ReportFormat.CSV)
    assert text.startswith("\ufeff")
    header, *cells = csv.reader(io.StringIO(text.lstrip("\ufeff")), dialect=PolishExcel)
    assert header[:5] == ["Cel", "Kontrola (id)", "Kontrola", "Obiekt", "Status"]  # the reader's words
    rows = [dict(zip(COLUMNS, row)) for row in cells]
    assert len(rows) == len(hostile_run.findings)
    assert [r["key"] for r in rows] == [f.key for f in hostile_run.findings]
    failing = next(r for r in rows if r["status"] == "niezgodne")
    assert failing["remediation"] and failing["requirements"]


def test_csv_cell_starting_with_formula_is_quoted(hostile_run):
    from dataclasses import replace

    finding = replace(hostile_run.findings[0], message={"pl": "=HYPERLINK(\"http://x\")", "en": "-1+1"})
    run = replace(hostile_run, findings=(finding,))
    row = read_spreadsheet(render(analyse(run, lang="pl"), ReportFormat.CSV))[1]
    assert row[6] == "'=HYPERLINK(\"http://x\")"


def test_json_report_is_the_run(hostile_run):
    assert scan_run_from_json(render(analyse(hostile_run), ReportFormat.JSON)) == hostile_run
