"""The remediation plan as CSV for a spreadsheet: one row per non-conformity (UTF-8 with BOM for Excel)."""

from __future__ import annotations

import io

from auditor.model import ScanRun
from auditor.registry import Registry, default_registry
from auditor.report.audit import plan_rows
from auditor.report.cells import spreadsheet_cell, spreadsheet_writer
from auditor.workflow.nonconformity import non_conformities
from auditor.workflow.rules import load_audit_rules

COLUMNS = ("number", "class", "title", "check_id", "severity", "targets", "owner", "deadline", "effort_hours",
           "legal_basis")


def render(run: ScanRun, *, lang: str = "pl", registry: Registry | None = None) -> str:
    rules = load_audit_rules()
    rows = plan_rows(non_conformities(run, registry or default_registry(), rules, lang), rules, lang)
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_cell(row[column]) for column in COLUMNS])
    return out.getvalue()
