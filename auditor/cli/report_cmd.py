"""``auditor report``: render a ScanRun (a JSON file or a stored snapshot) as a report or a formal audit document.

With ``--store`` the report also carries what only history knows: the trend
charts (HTML) and the follow-up of the previous audit's non-conformities
(the last complete snapshot of the same office taken before this run).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from auditor.analysis import analyse
from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_, _
from auditor.cli.scan_cmd import write_atomically
from auditor.cli.store_options import STORE_ENV
from auditor.errors import ExitCode, InputError
from auditor.model import ScanRun, SchemaVersionError, scan_run_from_json
from auditor.settings import office_zone
from auditor.report import DocumentFormat, ReportFormat, render, render_document
from auditor.store import Store, series_of, trend_svgs
from auditor.store.damage import DamagedSnapshot

FORMATS = [f.value for f in ReportFormat] + [f.value for f in DocumentFormat]


def read_run(path: Path) -> ScanRun:
    """A stored ScanRun; unreadable, malformed or too-new files are input errors (exit 2)."""
    try:
        return scan_run_from_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    except SchemaVersionError as exc:
        raise InputError(f"{path}: {exc}") from None
    except (ValueError, json.JSONDecodeError) as exc:
        raise InputError(_("{path}: not a ScanRun JSON ({problem})").format(
            path=path, problem=str(exc).splitlines()[0][:200])) from None


def previous_run(store: Store, run: ScanRun) -> ScanRun | None:
    """The last complete snapshot of the same office started before ``run`` (not ``run`` itself).

    ``DamagedSnapshot`` when that snapshot cannot be read: an older one would
    put the wrong audit's non-conformities into the follow-up.
    """
    earlier = [s for s in store.snapshots(series_of(run))
               if s.usable and s.started < run.meta.started and s.run_id != run.meta.run_id]
    return store.load(earlier[-1].id) if earlier else None


def previous_or_damage(store: Store, run: ScanRun, damaged: list[DamagedSnapshot]) -> ScanRun | None:
    """``previous_run``, or ``None`` with the damaged previous snapshot added to ``damaged`` (the report is
    then written without the follow-up, and the command exits 2 naming it)."""
    try:
        return previous_run(store, run)
    except DamagedSnapshot as exc:
        damaged.append(exc)
        return None


def report_damage(damaged: list[DamagedSnapshot]) -> ExitCode:
    """Each damaged snapshot a command had to pass over, one line on stderr; exit 2 when there was one."""
    for exc in damaged:
        click.echo(_("error: {problem}").format(problem=exc), err=True)
    return ExitCode.BAD_INPUT if damaged else ExitCode.OK


def _from_store(store_path: Path, snapshot: str | None, run_json: Path | None, with_trends: bool, lang: str,
                damaged: list[DamagedSnapshot]):
    """(run, previous, trends) read from the store; the run from ``snapshot`` or ``run_json``."""
    with Store(store_path, read_only=True) as store:
        run = store.load(store.resolve(snapshot).id) if snapshot else read_run(run_json)  # type: ignore[arg-type]
        previous = previous_or_damage(store, run, damaged)
        trends = (trend_svgs(store, series_of(run), lang=lang, until=run.meta.started,
                             zone=office_zone(run.extras.settings)) if with_trends else None)
    return run, previous, trends


@main.command("report", help=N_("Render RUN_JSON (written by `auditor scan -o`) or a stored --snapshot as a report."))
@click.argument("run_json", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True,
              help=N_("html/json/sarif/csv: the scan report; plan-csv: the remediation plan; "
                   "text: the terminal summary (as `auditor scan` prints it); docx/odt/pdf: the formal audit report."))
@lang_option
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help=N_("Output file (default: RUN_JSON with the format's suffix; '-' for stdout, text formats only)."))
@click.option("--store", "store_path", type=click.Path(path_type=Path), envvar=STORE_ENV, show_envvar=True,
              help=N_("Snapshot store: adds trends and the follow-up of the previous audit of the same office."))
@click.option("--snapshot", help=N_("Report this stored snapshot (id, run id or 'latest') instead of RUN_JSON."))
def report_command(run_json: Path | None, fmt: str, lang: str, output: Path | None, store_path: Path | None,
                   snapshot: str | None) -> None:
    """A damaged snapshot asked for exits 2 naming it; a damaged previous one leaves the follow-up out,
    is named on stderr, and the exit code is 2 too (docs/store.md)."""

    def body() -> ExitCode:
        damaged: list[DamagedSnapshot] = []
        if (run_json is None) == (snapshot is None):
            raise InputError(_("name either RUN_JSON or --snapshot ID|latest (with --store)"))
        if snapshot is not None and store_path is None:
            raise InputError(_("--snapshot reads from a store: give --store FILE (or set AUDITOR_STORE)"))
        if store_path is not None:
            run, previous, trends = _from_store(store_path, snapshot, run_json, fmt == "html", lang, damaged)
        else:
            run, previous, trends = read_run(run_json), None, None  # type: ignore[arg-type]
        analysis = analyse(run, lang=lang, previous=previous)
        if fmt in FORMATS[:len(ReportFormat)]:
            report_format = ReportFormat(fmt)
            data: str | bytes = render(analysis, report_format, trends=trends)
            suffix = report_format.suffix
        else:
            document_format = DocumentFormat(fmt)
            data, suffix = render_document(analysis, document_format), document_format.suffix
        if output is not None and str(output) == "-":
            if isinstance(data, bytes):
                raise InputError(_("{format} is a binary document: give -o FILE").format(format=fmt))
            click.echo(data, nl=False)
        else:
            target = output or (run_json.with_name(run_json.stem + "-report" + suffix) if run_json
                                else Path(f"audit-{run.meta.started:%Y%m%d}{suffix}"))
            write_atomically(target, data)
            click.echo(f"{fmt}: {target}", err=True)
        return report_damage(damaged)

    sys.exit(run_command(body))
