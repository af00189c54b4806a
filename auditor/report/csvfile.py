"""CSV: one finding per row, for spreadsheets (UTF-8 with BOM so Excel reads Polish letters).

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or CR) are prefixed with ``'`` — banners and titles come
from the network and must not become formulas.
"""

from __future__ import annotations

import csv
import io
import json

from auditor.analysis import Analysis
from auditor.terminal import strip_control

COLUMNS = ("target", "check_id", "check_title", "subject", "status", "severity", "message", "requirements",
           "remediation", "facts", "key", "action", "action_rank")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """No formula a spreadsheet would run, no escape sequence a terminal would (``cat audit.csv``)."""
    value = strip_control(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def render(analysis: Analysis) -> str:
    """One row per finding; ``action`` / ``action_rank``: the non-conformity of an open failing finding."""
    texts = analysis.texts
    actions = {key: item for item in analysis.actions for key in item.keys}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in analysis.run.findings:
        row = (
            finding.target_id, finding.check_id, texts.check_title(finding.check_id, finding), finding.subject,
            finding.status.value, finding.severity.value, texts.message(finding),
            "; ".join(sorted({ref.ref for ref in analysis.requirements_of.get(finding.check_id, ())})),
            texts.remediation(finding.check_id) if finding.failing else "",
            json.dumps(finding.facts, ensure_ascii=False, sort_keys=True), finding.key,
            actions[finding.key].number if finding.key in actions else "",
            actions[finding.key].rank if finding.key in actions else "",
        )
        writer.writerow([spreadsheet_cell(str(value)) for value in row])
    return out.getvalue()
