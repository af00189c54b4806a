"""The remediation plan as CSV for a spreadsheet: one row per non-conformity (UTF-8 with BOM for Excel)."""

from __future__ import annotations

import io

from auditor.analysis import Analysis
from auditor.report.audit import plan_rows
from auditor.report.cells import spreadsheet_cell, spreadsheet_writer

COLUMNS = ("number", "class", "title", "check_id", "severity", "targets", "owner", "deadline", "effort_hours",
           "legal_basis", "rank", "first_step")


def render(analysis: Analysis) -> str:
    rows = plan_rows(analysis)
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_cell(row[column]) for column in COLUMNS])
    return out.getvalue()
