"""CSV: one finding per row, for spreadsheets (``;``-separated, quoted, UTF-8 with BOM: see ``cells``).

A spreadsheet is read by people: the header, statuses, severities and the
evidence are in the report's language (``labels.yaml``: ``csv_columns``); the
check id and the finding key stay as they are, to find a row again.  Banners
and titles come from the network: every cell goes through ``spreadsheet_cell``
so none becomes a formula, whatever the separator.
"""

from __future__ import annotations

import io

from auditor.analysis import Analysis
from auditor.wording import report_labels
from auditor.report.cells import spreadsheet_cell, spreadsheet_writer

COLUMNS = ("target", "check_id", "check_title", "subject", "status", "severity", "message", "requirements",
           "remediation", "facts", "key", "action", "action_rank")


def column_titles(columns: tuple[str, ...], lang: str) -> list[str]:
    """The header row of a spreadsheet in the reader's language."""
    titles = report_labels()[lang]["csv_columns"]
    return [str(titles[column]) for column in columns]


def render(analysis: Analysis) -> str:
    """One row per finding; ``action`` / ``action_rank``: the non-conformity of an open failing finding."""
    texts = analysis.texts
    actions = {key: item for item in analysis.actions for key in item.keys}
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    writer.writerow(column_titles(COLUMNS, analysis.lang))
    for finding in analysis.run.findings:
        row = (
            finding.target_id, finding.check_id, texts.check_title(finding.check_id, finding), finding.subject,
            texts.status(finding), texts.severity(finding), texts.message(finding),
            "; ".join(sorted({ref.ref for ref in analysis.requirements_of.get(finding.check_id, ())})),
            texts.remediation(finding.check_id) if finding.failing else "",
            "; ".join(f"{label}: {value}" for label, value in texts.facts(finding)), finding.key,
            actions[finding.key].number if finding.key in actions else "",
            actions[finding.key].rank if finding.key in actions else "",
        )
        writer.writerow([spreadsheet_cell(str(value)) for value in row])
    return out.getvalue()
