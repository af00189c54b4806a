"""``auditor backup-test``: restore a sample from every backup repository and verify it.

The same as ``auditor scan --only backups --restore-test``, with a table of
the restore tests themselves.  Files are restored into a temporary folder
(``settings.restore_test_dir`` or the system's), compared with what the
backup recorded, and removed; nothing is written where the data came from.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from auditor.cli import main, run_command
from auditor.i18n import N_, _
from auditor.cli.scan_cmd import write_atomically
from auditor.errors import ExitCode
from auditor.inventory import load_inventory
from auditor.model import ScanRun, Status, scan_run_to_json
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
from auditor.analysis import analyse
from auditor.terminal import clean, counts_line


def restore_table(run: ScanRun) -> Table:
    """One row per restore test (or per source that could not be tested)."""
    table = Table(title=_("Restore test"), expand=True)
    for head in (_("source"), _("snapshot"), _("result"), _("files"), _("details")):
        table.add_column(head, overflow="fold")
    for attempt in run.attempts:
        if attempt.probe != "backups":
            continue
        if not attempt.completed:
            table.add_row(clean(attempt.target_id), "-", _("error"), "-", clean(attempt.error or ""))
            continue
        for test in (attempt.evidence or {}).get("restore_tests", []):
            removed = _("yes") if test.get("scratch_removed") else _("no")
            details = "; ".join(test["problems"]) or _("scratch folder removed: {answer}").format(answer=removed)
            label = " ".join(p for p in [test["snapshot"], test.get("name"), *test.get("tags", [])] if p)
            table.add_row(clean(attempt.target_id), clean(f"{label} ({test['snapshot_time'][:16]})"),
                          _("passed") if test["result"] == "passed" else _("failed"), str(len(test["files"])),
                          clean(details))
    return table


@main.command("backup-test", help=N_("Restore a sample of files from each restic/borg repository in INVENTORY and verify them.\n\n"
                                    "Exit 1 when a restore test fails."))
@click.argument("inventory", type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), help=N_("Write the ScanRun JSON here."))
def backup_test_command(inventory: Path, out: Path | None) -> None:

    def body() -> ExitCode:
        run = run_scan(load_inventory(inventory), default_registry(),
                       ScanOptions(families={"backups"}, options={"restore_test": True}))
        if out:
            write_atomically(out, scan_run_to_json(run))
        console = Console()
        console.print(restore_table(run))
        console.print(counts_line(analyse(run)))
        failed = any(f.check_id == "backup.restore_failed" and f.status is Status.FAIL for f in run.findings)
        return ExitCode.THRESHOLD if failed else ExitCode.OK

    sys.exit(run_command(body))
