"""``auditor fleet``: many offices in one store — the roll-up a powiat, a shared-service centre or a CSIRT reads."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import click

from auditor.cli import main, run_command
from auditor.cli.report_cmd import previous_run
from auditor.cli.scan_cmd import write_atomically
from auditor.cli.store_options import STORE_ENV
from auditor.errors import InputError
from auditor.fleet.rollup import FleetRollup, build_rollup
from auditor.report import ReportFormat, render
from auditor.report.fleet import render_csv, render_html
from auditor.store import Store, StoreError, trend_svgs


@main.group("fleet")
def fleet_group() -> None:
    """Wiele jednostek w jednym magazynie: zestawienie dla powiatu, CUW lub CSIRT.

    Many offices in one store: the roll-up for a powiat, a shared-service centre or a CSIRT.
    """


def office_slug(name: str, snapshot_id: int) -> str:
    """A file name for an office's report: ASCII, no path characters, unique per snapshot."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:60] or "jednostka"
    return f"{slug}-{snapshot_id}.html"


def write_office_reports(store: Store, rollup: FleetRollup, folder: Path, lang: str) -> dict[str, str]:
    """Each office's own HTML report beside the fleet report; a snapshot already rendered is kept."""
    links: dict[str, str] = {}
    for office in rollup.offices:
        target = folder / office_slug(office.name, office.snapshot.id)
        if not target.exists():
            run = store.load(office.snapshot.id)
            html = render(run, ReportFormat.HTML, lang=lang, previous=previous_run(store, run),
                          trends=trend_svgs(store, office.series, lang=lang, until=run.meta.started))
            write_atomically(target, html)
        links[office.series] = f"{folder.name}/{target.name}"
    return links


@fleet_group.command("report")
@click.option("--store", "store_path", type=click.Path(path_type=Path), envvar=STORE_ENV, show_envvar=True,
              required=True, help="The snapshot store holding the offices' audits.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("zestawienie.html"), show_default=True,
              help="The fleet report (HTML).")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help="Also write the ranking as CSV here.")
@click.option("--lang", type=click.Choice(["pl", "en"]), default="pl", show_default=True)
@click.option("--ranking-baseline", help="Rank offices by this baseline's score (default: the one most offices have).")
@click.option("--office-reports/--no-office-reports", default=True, show_default=True,
              help="Write each office's own report into a folder beside the fleet report and link it.")
def fleet_report_command(store_path: Path, output: Path, csv_path: Path | None, lang: str,
                         ranking_baseline: str | None, office_reports: bool) -> None:
    """Render one report over every office in --store: ranking, worse-off offices, common problems, matrix."""

    def body() -> None:
        try:
            with Store(store_path, create=False) as store:
                rollup = build_rollup(store, ranking_baseline=ranking_baseline)
                if not rollup.offices:
                    raise InputError(f"the store {store_path} holds no complete audit yet")
                folder = output.with_name(output.stem + "_jednostki")
                links = write_office_reports(store, rollup, folder, lang) if office_reports else {}
        except StoreError as exc:
            raise InputError(str(exc)) from None
        write_atomically(output, render_html(rollup, lang=lang, links=links))
        click.echo(f"html: {output} ({len(rollup.offices)} offices, {len(rollup.worse)} worse)", err=True)
        if csv_path:
            write_atomically(csv_path, render_csv(rollup, lang=lang))
            click.echo(f"csv: {csv_path}", err=True)

    run_command(body)
