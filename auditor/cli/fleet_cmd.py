"""``auditor fleet``: many offices in one store — the roll-up a powiat, a shared-service centre or a CSIRT reads."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.console import Console

from auditor.analysis import analyse
from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_, _
from auditor.cli.dask_options import dask_tls_options
from auditor.cli.office_scan import OfficeResult, ScanRequest, prepare_offices, scan_offices
from auditor.cli.report_cmd import previous_or_damage, report_damage
from auditor.cli.scan_cmd import (SEVERITY_CHOICES, exit_with, inventory_files, report_interrupted, report_unchecked,
                                  threshold_exit, threshold_line, write_atomically)
from auditor.cli.store_options import FAILING_SEVERITIES, STORE_ENV, short_severity, timezone_option
from auditor.errors import ExitCode, InputError
from auditor.executors import DaskTls
from auditor.registry import default_registry
from auditor.settings import office_zone
from auditor.fleet.rollup import FleetRollup, build_rollup
from auditor.report import ReportFormat, render
from auditor.store import Store, trend_svgs
from auditor.store.damage import DamagedSnapshot


@main.group("fleet", help=N_("Many offices in one store: the roll-up for a powiat, a shared-service centre or a CSIRT."))
def fleet_group() -> None:
    """The ``fleet`` commands below."""


def office_line(index: int, total: int, result: OfficeResult) -> str:
    """One line per office, for a terminal or a cron log: scores with coverage, failures, the snapshot."""
    run = result.run
    scores = [_("{baseline}: {score} (coverage {coverage}%)").format(
                  baseline=bid, score=data.score if data.score is not None else "-",
                  coverage=round(100 * data.coverage))
              for bid, data in sorted(run.scores.items())]
    failing = result.job.snapshot.counts.get("failing", {}) if result.job.snapshot else {}
    failed = ", ".join(f"{short_severity(s)} {failing[s]}" for s in FAILING_SEVERITIES if failing.get(s))
    parts = [*scores, _("failing: {counts}").format(counts=failed) if failed else _("no failures")]
    if result.job.snapshot:
        parts.append(_("snapshot #{id}").format(id=result.job.snapshot.id))
    name = run.organisation.get("name") or result.office.path.stem
    return f"[{index}/{total}] {name} — " + " · ".join(parts)


@fleet_group.command("scan", help=N_("Scan every office in INVENTORIES (files or folders of them) into one store, a line per office."))
@click.argument("inventories", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", "store_path", type=click.Path(path_type=Path), envvar=STORE_ENV, show_envvar=True,
              required=True, help=N_("Keep every office's run as a snapshot in this store."))
@click.option("--executor", default="threads", show_default=True, metavar="threads|dask[=ADDRESS]",
              help=N_("Run probe jobs on local threads or a Dask cluster (one cluster for all offices)."))
@dask_tls_options
@click.option("--only", "families", multiple=True, help=N_("Only these check families (repeatable)."))
@click.option("--offline", is_flag=True, help=N_("Use only shipped knowledge data; fetch nothing public."))
@click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES), default="none", show_default=True,
              help=N_("Exit 1 when an office has a failing finding of at least this severity."))
@click.option("--fail-on-regression", is_flag=True, help=N_("Exit 1 when an office got worse since its previous snapshot."))
@click.option("--lock-timeout", type=float, default=3600, show_default=True,
              help=N_("Seconds to wait for another scan holding the store's lock (-1: for ever); then exit 3."))
@lang_option
def fleet_scan_command(inventories: tuple[Path, ...], store_path: Path, executor: str, dask_tls: DaskTls | None,
                       families: tuple[str, ...], offline: bool, fail_on: str, fail_on_regression: bool,
                       lock_timeout: float, lang: str) -> None:
    stuck_threads = False

    def body() -> ExitCode:
        nonlocal stuck_threads
        registry = default_registry()
        request = ScanRequest(families=frozenset(families), offline=offline, store_path=store_path,
                              fail_on_regression=fail_on_regression, lock_timeout=lock_timeout,
                              executor=executor, dask_tls=dask_tls)
        offices = prepare_offices(inventory_files(inventories), request, registry)
        stderr = Console(stderr=True)
        worst, worse, done = ExitCode.OK, 0, 0
        for done, result in enumerate(scan_offices(offices, request, registry, lambda office: None), 1):
            click.echo(office_line(done, len(offices), result))
            stuck_threads = stuck_threads or bool(result.run.extras.abandoned_jobs)
            worse += bool(result.job.diff and result.job.diff.regressions)
            for reason in result.job.failures:
                click.echo(threshold_line(reason, result.office.path.name), err=True)
            analysis = analyse(result.run, lang=lang, registry=registry)
            gaps = report_unchecked(analysis, stderr, prefix=f"{result.office.path.name}: ")
            if result.run.meta.interrupted:
                stuck_threads = True
                report_interrupted(result.run)
                rest = [office.path.name for office in offices[done:]]
                if rest:
                    click.echo(_("not scanned: {offices}").format(offices=", ".join(rest)), err=True)
                return ExitCode.SCAN_FAILED
            worst = max(worst, ExitCode.THRESHOLD if result.job.failures else threshold_exit(analysis, fail_on),
                        ExitCode.SCAN_FAILED if gaps else ExitCode.OK)
        click.echo(_("Offices scanned: {n}; got worse: {worse}.").format(n=done, worse=worse))
        return worst

    exit_with(run_command(body), stuck_threads=stuck_threads)


def office_slug(name: str, snapshot_id: int) -> str:
    """A file name for an office's report: ASCII, no path characters, unique per snapshot."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:60] or "jednostka"
    return f"{slug}-{snapshot_id}.html"


def write_office_reports(store: Store, rollup: FleetRollup, folder: Path, lang: str,
                         damaged: list[DamagedSnapshot]) -> dict[str, str]:
    """Each office's own HTML report beside the fleet report; a snapshot already rendered is kept.

    An office whose snapshot is damaged gets no report (and no link); it is added to ``damaged``.
    """
    links: dict[str, str] = {}
    for office in rollup.offices:
        target = folder / office_slug(office.name, office.snapshot.id)
        if not target.exists():
            try:
                run = store.load(office.snapshot.id)
            except DamagedSnapshot as exc:
                damaged.append(exc)
                continue
            html = render(analyse(run, lang=lang, previous=previous_or_damage(store, run, damaged)), ReportFormat.HTML,
                          trends=trend_svgs(store, office.series, lang=lang, until=run.meta.started,
                                            zone=office_zone(run.extras.settings)))
            write_atomically(target, html)
        links[office.series] = f"{folder.name}/{target.name}"
    return links


@fleet_group.command("report", help=N_("Render one report over every office in --store: ranking, worse-off offices, common problems, matrix."))
@click.option("--store", "store_path", type=click.Path(path_type=Path), envvar=STORE_ENV, show_envvar=True,
              required=True, help=N_("The snapshot store holding the offices' audits."))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("zestawienie.html"), show_default=True,
              help=N_("The fleet report (HTML)."))
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help=N_("Also write the ranking as CSV here."))
@lang_option
@click.option("--ranking-baseline", help=N_("Rank offices by this baseline's score (default: the one most offices have)."))
@click.option("--office-reports/--no-office-reports", default=True, show_default=True,
              help=N_("Write each office's own report into a folder beside the fleet report and link it."))
@timezone_option
def fleet_report_command(store_path: Path, output: Path, csv_path: Path | None, lang: str,
                         ranking_baseline: str | None, office_reports: bool, zone: ZoneInfo) -> None:
    """An office whose snapshot is damaged stays in the roll-up (it reads only the index) without its own
    report; it is named on stderr and the exit code is 2 (docs/store.md)."""

    def body() -> ExitCode:
        from auditor.report.fleet import render_csv, render_html  # jinja2: only when a roll-up is written

        damaged: list[DamagedSnapshot] = []
        with Store(store_path, read_only=True) as store:
            rollup = build_rollup(store, ranking_baseline=ranking_baseline)
            if not rollup.offices:
                raise InputError(_("the store {store} holds no complete audit yet").format(store=store_path))
            folder = output.with_name(output.stem + "_jednostki")
            links = write_office_reports(store, rollup, folder, lang, damaged) if office_reports else {}
        write_atomically(output, render_html(rollup, lang=lang, links=links, zone=zone))
        click.echo(_("html: {path} ({offices} offices, {worse} worse)").format(
            path=output, offices=len(rollup.offices), worse=len(rollup.worse)), err=True)
        if csv_path:
            write_atomically(csv_path, render_csv(rollup, lang=lang, zone=zone))
            click.echo(f"csv: {csv_path}", err=True)
        return report_damage(damaged)

    sys.exit(run_command(body))
