"""``auditor history``: the snapshots in a store, with scores and failing findings by severity."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.table import Table

from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_, _
from auditor.cli.store_options import FAILING_SEVERITIES, column_labels, score_text, store_option, timezone_option
from auditor.errors import ExitCode
from auditor.settings import local_time
from auditor.store import SnapshotInfo, Store
from auditor.store.damage import Damage, marker
from auditor.store.index import ScoreRow
from auditor.terminal import clean

@main.command("history", help=N_("List the snapshots in the store, oldest first; a damaged one is marked and named "
                                  "on stderr (exit code 2)."))
@store_option()
@click.option("--series", help=N_("Only this office (e.g. teryt:0201011), as listed with --json."))
@click.option("--limit", type=click.IntRange(min=0), default=30, show_default=True,
              help=N_("Show the newest N snapshots (0: all)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of a table."))
@lang_option
@timezone_option
def history_command(store_path: Path, series: str | None, limit: int, as_json: bool, lang: str,
                    zone: ZoneInfo) -> None:
    """Damaged snapshots (their row, or a stored run that does not decompress) are listed, not hidden."""

    def body() -> ExitCode:
        with Store(store_path, read_only=True) as store:
            snapshots = store.snapshots(series, limit=limit or None)
            scores = store.scores(s.id for s in snapshots)
            damaged = {s.id: s.damage for s in snapshots if s.damage}
            damaged.update(store.damaged_bodies(s.id for s in snapshots if not s.damage))
        if as_json:
            click.echo(json.dumps([{**s.to_dict(), "damaged": _damage_dict(damaged.get(s.id)),
                                    "scores": {b: asdict(r) for b, r in scores.get(s.id, {}).items()}}
                                   for s in snapshots], ensure_ascii=False, indent=2))
        else:
            Console().print(_table(snapshots, scores, damaged, zone))
        for found in damaged.values():
            click.echo(_("error: {problem}").format(problem=found.text(store_path)), err=True)
        return ExitCode.BAD_INPUT if damaged else ExitCode.OK

    sys.exit(run_command(body))


def _damage_dict(found: Damage | None) -> dict[str, object] | None:
    return found.to_dict() if found else None


def _table(snapshots: list[SnapshotInfo], scores: dict[int, dict[str, ScoreRow]], damaged: dict[int, Damage],
           zone: ZoneInfo) -> Table:
    """The terminal table: one row per snapshot, a damaged one marked in its date cell."""
    labels = column_labels()
    baselines = sorted({b for per in scores.values() for b in per})
    table = Table(expand=False)
    for head in ("id", "date", "organisation", "inventory"):
        table.add_column(labels[head], overflow="fold")
    for baseline in baselines:
        table.add_column(baseline, justify="right")
    for severity in FAILING_SEVERITIES:
        table.add_column(labels[severity], justify="right")
    for snap in snapshots:
        date = local_time(snap.started, zone)
        if snap.interrupted:
            date += f" ({labels['interrupted']})"
        if snap.id in damaged:
            date += f" — {marker()}: {damaged[snap.id].what()}"
        failing = snap.counts.get("failing", {})
        table.add_row(str(snap.id), date, clean(snap.organisation, 60), snap.inventory_sha256[:8],
                      *(score_text(scores.get(snap.id, {}).get(b)) for b in baselines),
                      *(str(failing.get(s, 0)) for s in FAILING_SEVERITIES))
    return table
