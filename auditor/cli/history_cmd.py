"""``auditor history``: the snapshots in a store, with scores and failing findings by severity."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.table import Table

from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_
from auditor.cli.store_options import FAILING_SEVERITIES, column_labels, score_text, store_option, timezone_option
from auditor.settings import local_time
from auditor.store import Store
from auditor.terminal import clean

@main.command("history", help=N_("List the snapshots in the store, oldest first."))
@store_option()
@click.option("--series", help=N_("Only this office (e.g. teryt:0201011), as listed with --json."))
@click.option("--limit", type=click.IntRange(min=0), default=30, show_default=True,
              help=N_("Show the newest N snapshots (0: all)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of a table."))
@lang_option
@timezone_option
def history_command(store_path: Path, series: str | None, limit: int, as_json: bool, lang: str,
                    zone: ZoneInfo) -> None:

    def body() -> None:
        with Store(store_path, create=False) as store:
            snapshots = store.snapshots(series, limit=limit or None)
            scores = store.scores(s.id for s in snapshots)
        if as_json:
            click.echo(json.dumps([{**s.to_dict(), "scores": {b: asdict(r) for b, r in scores.get(s.id, {}).items()}}
                                   for s in snapshots], ensure_ascii=False, indent=2))
            return
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
            failing = snap.counts.get("failing", {})
            table.add_row(str(snap.id), date, clean(snap.organisation, 60), snap.inventory_sha256[:8],
                          *(score_text(scores.get(snap.id, {}).get(b)) for b in baselines),
                          *(str(failing.get(s, 0)) for s in FAILING_SEVERITIES))
        Console().print(table)

    run_command(body)
