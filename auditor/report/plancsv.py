"""The remediation plan as CSV for a spreadsheet: one row per non-conformity (UTF-8 with BOM for Excel).

Header and severities in the report's language, like ``csvfile``.
"""

from __future__ import annotations

import io

from auditor.analysis import Analysis
from auditor.report.audit import plan_rows
from auditor.analysis.texts import severity_word
from auditor.report.cells import spreadsheet_cell, spreadsheet_writer
from auditor.report.csvfile import column_titles

COLUMNS = ("number", "class", "title", "check_id", "severity", "targets", "owner", "deadline", "effort_hours",
           "legal_basis", "rank", "first_step")


def render(analysis: Analysis) -> str:
    rows = plan_rows(analysis)
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    writer.writerow(column_titles(COLUMNS, analysis.lang))
    for row in rows:
        words = {**row, "severity": severity_word(row["severity"], analysis.lang)}
        writer.writerow([spreadsheet_cell(words[column]) for column in COLUMNS])
    return out.getvalue()
