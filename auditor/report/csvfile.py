"""CSV: one finding per row, for spreadsheets (``;``-separated, quoted, UTF-8 with BOM: see ``cells``).

Banners and titles come from the network: every cell goes through
``spreadsheet_cell`` so none becomes a formula, whatever the separator.
"""

from __future__ import annotations

import io
import json

from auditor.model import ScanRun
from auditor.registry import Registry, default_registry
from auditor.report.view import ReportView
from auditor.report.cells import spreadsheet_cell, spreadsheet_writer

COLUMNS = ("target", "check_id", "check_title", "subject", "status", "severity", "message", "requirements",
           "remediation", "facts", "key")


def render(run: ScanRun, *, lang: str = "pl", registry: Registry | None = None) -> str:
    view = ReportView(run, lang, registry or default_registry())
    out = io.StringIO()
    writer = spreadsheet_writer(out)
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
