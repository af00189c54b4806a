"""``auditor prune``: thin out old snapshots by day, week and month (like restic's forget)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import click

from auditor.cli import main, run_command
from auditor.i18n import N_, _, ngettext
from auditor.cli.store_options import store_option, timezone_option
from auditor.errors import InputError
from auditor.settings import local_time
from auditor.store import Store
from auditor.store.retention import keep_ids


@main.command("prune", help=N_("Remove snapshots no --keep-* rule keeps, in one transaction."))
@store_option()
@click.option("--keep-daily", type=click.IntRange(min=0), default=0, help=N_("Keep the newest snapshot of each of the last N days."))
@click.option("--keep-weekly", type=click.IntRange(min=0), default=0, help=N_("… of each of the last N weeks."))
@click.option("--keep-monthly", type=click.IntRange(min=0), default=0, help=N_("… of each of the last N months."))
@click.option("--series", help=N_("Only this office's snapshots (default: every office, each on its own)."))
@click.option("--dry-run", is_flag=True, help=N_("Only list what would be removed."))
@click.option("--vacuum", is_flag=True, help=N_("Afterwards give the freed space back to the file system."))
@timezone_option
def prune_command(store_path: Path, keep_daily: int, keep_weekly: int, keep_monthly: int, series: str | None,
                  dry_run: bool, vacuum: bool, zone: ZoneInfo) -> None:

    def body() -> None:
        if not (keep_daily or keep_weekly or keep_monthly):
            raise InputError(_("give at least one of --keep-daily, --keep-weekly, --keep-monthly "
                               "(nothing would be kept)"))
        with Store(store_path, create=False) as store:
            snapshots = store.snapshots(series)
            keep = keep_ids(snapshots, daily=keep_daily, weekly=keep_weekly, monthly=keep_monthly)
            remove = [s for s in snapshots if s.id not in keep]
            for snap in remove:
                click.echo((_("would remove #{id} {date} {office}") if dry_run else _("remove #{id} {date} {office}"))
                           .format(id=snap.id, date=local_time(snap.started, zone),
                                   office=snap.organisation))
            if not dry_run:
                store.delete(s.id for s in remove)
                if vacuum:
                    store.vacuum()
        done = (ngettext("{removed} of {n} snapshot would be removed, {kept} kept",
                         "{removed} of {n} snapshots would be removed, {kept} kept", len(snapshots)) if dry_run else
                ngettext("{removed} of {n} snapshot removed, {kept} kept",
                         "{removed} of {n} snapshots removed, {kept} kept", len(snapshots)))
        click.echo(done.format(removed=len(remove), n=len(snapshots), kept=len(snapshots) - len(remove)))

    run_command(body)
