"""CSV: one finding per row, for spreadsheets (UTF-8 with BOM so Excel reads Polish letters).

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or CR) are prefixed with ``'`` — banners and titles come
from the network and must not become formulas.
"""

from __future__ import annotations

import csv
import io
import json

from auditor.model import ScanRun
from auditor.registry import Registry, default_registry
from auditor.report.view import ReportView
from auditor.terminal import strip_control

COLUMNS = ("target", "check_id", "check_title", "subject", "status", "severity", "message", "requirements",
           "remediation", "facts", "key")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """No formula a spreadsheet would run, no escape sequence a terminal would (``cat audit.csv``)."""
    value = strip_control(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def render(run: ScanRun, *, lang: str = "pl", registry: Registry | None = None) -> str:
    view = ReportView(run, lang, registry or default_registry())
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in run.findings:
        row = (
            finding.target_id, finding.check_id, view.check_title(finding.check_id, finding), finding.subject,
            finding.status.value, finding.severity.value, view.message(finding),
            "; ".join(sorted({ref.ref for ref in view.requirements_of.get(finding.check_id, [])})),
            view.check_remediation(finding.check_id) if finding.failing else "",
            json.dumps(finding.facts, ensure_ascii=False, sort_keys=True), finding.key,
        )
        writer.writerow([spreadsheet_cell(str(value)) for value in row])
    return out.getvalue()
