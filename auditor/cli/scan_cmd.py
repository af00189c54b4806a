"""``auditor scan``: probe an office, judge, print a summary, exit by thresholds."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from rich.console import Console

from auditor.analysis import Analysis, analyse
from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_, _, ngettext
from auditor.cli.baselines_cmd import BASELINES_OPTION
from auditor.cli.dask_options import dask_tls_options
from auditor.cli.diff_cmd import summary_line
from auditor.cli.office_scan import ScanRequest, prepare_offices, scan_offices
from auditor.errors import ExitCode, InputError
from auditor.executors import DaskTls
from auditor.model import ErrorReason, ScanRun, Severity, scan_run_to_json
from auditor.registry import default_registry
from auditor.terminal import ProgressObserver, print_summary
from auditor.unchecked import Unchecked
from auditor.yamlfile import YamlFileError, load_yaml_with_lines

SEVERITY_CHOICES = [s.value for s in Severity] + ["none"]


def threshold_exit(analysis: Analysis, fail_on: str) -> ExitCode:
    """1 when an open failure reaches ``fail_on`` severity; a validly accepted risk does not count."""
    if fail_on != "none" and analysis.open_failures(Severity(fail_on)):
        return ExitCode.THRESHOLD
    return ExitCode.OK


def fail_on_reason(analysis: Analysis, fail_on: str) -> str | None:
    """Why ``--fail-on`` makes the command exit 1 (``None`` when it does not)."""
    if threshold_exit(analysis, fail_on) is ExitCode.OK:
        return None
    count = len(analysis.open_failures(Severity(fail_on)))
    return ngettext("{n} open failure of severity {severity} or higher (--fail-on {severity})",
                    "{n} open failures of severity {severity} or higher (--fail-on {severity})",
                    count).format(n=count, severity=fail_on)


def threshold_line(reason: str, office: str = "") -> str:
    """The stderr line saying which threshold made the exit code 1."""
    return _("threshold: {office}{reason}").format(office=f"{office}: " if office else "", reason=reason)


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write to a temporary sibling and rename, so a kill never leaves half a file (text as UTF-8).

    An existing non-regular file (``--out /dev/full``, a FIFO) is refused: the
    rename would silently replace the device node itself.
    """
    if path.exists() and not path.is_file():
        raise InputError(_("{path} exists and is not a regular file; refusing to replace it").format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    tmp.replace(path)


def is_inventory(path: Path) -> bool:
    """A YAML file in a folder counts as an inventory when it has ``organisation`` and ``scope``.

    Offices keep attestations, accepted risks and registers next to their
    inventories; those are read through the inventory, not scanned.  A file
    that does not parse is treated as an inventory so its error is reported.
    """
    try:
        data = load_yaml_with_lines(path).data
    except YamlFileError:
        return True
    return isinstance(data, dict) and "organisation" in data and "scope" in data


def inventory_files(paths: tuple[Path, ...]) -> list[Path]:
    """Inventory files named directly, plus the inventories among ``*.yaml``/``*.yml`` in named folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.suffix in (".yaml", ".yml") and p.is_file() and is_inventory(p))
            if not found:
                raise InputError(_("{path}: no inventory files (*.yaml with 'organisation' and 'scope') "
                                   "in this folder").format(path=path))
            files.extend(found)
        else:
            files.append(path)
    return files


def out_path(out: Path | None, inventory: Path, many: bool) -> Path | None:
    """``--out`` is the JSON file for one office, or a folder of ``<inventory>.json`` for several."""
    if out is None:
        return None
    return out / f"{inventory.stem}.json" if many else out


@main.command("scan", help=N_("Scan the office(s) described by INVENTORIES (files or folders of them)."))
@click.argument("inventories", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help=N_("Write the ScanRun JSON here (a folder when several inventories are scanned)."))
@click.option("--only", "families", multiple=True, help=N_("Only these check families (repeatable)."))
@click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES), default="high", show_default=True,
              help=N_("Exit 1 when a failing finding has at least this severity."))
@click.option("--offline", is_flag=True, help=N_("Use only shipped knowledge data; fetch nothing public."))
@click.option("--executor", default="threads", show_default=True, metavar="threads|dask[=ADDRESS]",
              help=N_("Run probe jobs on local threads or a Dask cluster (LocalCluster when no address)."))
@dask_tls_options
@lang_option
@click.option("--quiet", "-q", is_flag=True, help=N_("No progress bar and no table."))
@click.option("--all", "show_passed", is_flag=True,
              help=N_("After the summary, list every finding (passed, not applicable and manual too)."))
@click.option("--baseline", "baseline_ids", multiple=True,
              help=N_("Score against this baseline (repeatable); default: all that apply to the entity class."))
@BASELINES_OPTION
@click.option("--store", "store_path", type=click.Path(path_type=Path), envvar="AUDITOR_STORE", show_envvar=True,
              help=N_("Keep each run as a snapshot in this SQLite store (created when missing)."))
@click.option("--fail-under", type=click.FloatRange(0, 100), help=N_("Exit 1 when a baseline score is below SCORE."))
@click.option("--fail-on-regression", is_flag=True,
              help=N_("Exit 1 when, against the previous snapshot, there are new failures or a lower score (needs --store)."))
@click.option("--lock-timeout", type=float, default=3600, show_default=True,
              help=N_("Seconds to wait for another scan holding the store's lock (-1: for ever); then exit 3."))
@click.option("--restore-test", is_flag=True,
              help=N_("Also restore a sample of files from each backup repository into a temporary folder and verify them."))
@click.option("--local", is_flag=True, help=N_("Also collect this machine's configuration (Linux collector) and judge it."))
@click.option("--ignore-window", is_flag=True,
              help=N_("Scan even outside the authorised window (extensions.authorisation); recorded in the run."))
def scan_command(inventories: tuple[Path, ...], out: Path | None, families: tuple[str, ...], fail_on: str,
                 offline: bool, executor: str, lang: str, quiet: bool, show_passed: bool,
                 baseline_ids: tuple[str, ...], extra_baselines: tuple[Path, ...], store_path: Path | None,
                 fail_under: float | None, fail_on_regression: bool, lock_timeout: float,
                 restore_test: bool, local: bool, ignore_window: bool, dask_tls: DaskTls | None) -> None:
    stuck_threads = False

    def body() -> ExitCode:
        with tempfile.TemporaryDirectory(prefix="auditor-local-") as local_dir:
            return scan(Path(local_dir))

    def scan(local_dir: Path) -> ExitCode:
        nonlocal stuck_threads
        registry = default_registry()
        request = ScanRequest(families=frozenset(families), offline=offline, baseline_ids=baseline_ids,
                              extra_baselines=extra_baselines, store_path=store_path, fail_under=fail_under,
                              fail_on_regression=fail_on_regression, lock_timeout=lock_timeout,
                              restore_test=restore_test, ignore_window=ignore_window, executor=executor,
                              dask_tls=dask_tls)
        offices = prepare_offices(inventory_files(inventories), request, registry)
        many = len(offices) > 1
        if local:
            if many:
                raise InputError(_("--local adds this machine to one office: name a single inventory"))
            from auditor.checks.config.local import add_local_source

            add_local_source(offices[0].inventory, local_dir)
        console = Console(stderr=True)
        stdout = Console()
        worst = ExitCode.OK
        results = scan_offices(offices, request, registry,
                               lambda office: ProgressObserver(console, enabled=not quiet and console.is_terminal))
        for result in results:
            path, run, job = result.office.path, result.run, result.job
            stuck_threads = stuck_threads or run.meta.interrupted or bool(run.extras.abandoned_jobs)
            analysis = analyse(run, lang=lang, registry=registry)
            target_file = out_path(out, path, many)
            if target_file:
                write_atomically(target_file, scan_run_to_json(run))
            if not quiet:
                print_summary(stdout, analysis, show_all=show_passed)
                for name, version in run.meta.data_versions.items():
                    stdout.print(_("data {name}: {version}").format(name=name, version=version), highlight=False)
                if target_file:
                    stdout.print(f"ScanRun: {target_file}")
                if job.snapshot:
                    stdout.print(_("Snapshot #{id}: {store}").format(id=job.snapshot.id, store=store_path))
                if job.diff:
                    stdout.print(f"{job.diff.before.label} → {job.diff.after.label}: {summary_line(job.diff)}")
            severity_reason = fail_on_reason(analysis, fail_on)
            for reason in [*job.failures, *([severity_reason] if severity_reason else [])]:
                click.echo(threshold_line(reason, path.name if many else ""), err=True)
            gaps = report_unchecked(analysis, console, prefix=f"{path.name}: " if many else "")
            if run.meta.interrupted:
                report_interrupted(run)
                return ExitCode.SCAN_FAILED
            worst = max(worst, ExitCode.THRESHOLD if job.failures or severity_reason else ExitCode.OK,
                        ExitCode.SCAN_FAILED if gaps else ExitCode.OK)
        return worst

    code = run_command(body)
    exit_with(code, stuck_threads=stuck_threads)


def report_unchecked(analysis: Analysis, console: Console, *, prefix: str = "") -> Unchecked:
    """Says on stderr, in bold, what could not be checked at all (a family, or everything); see ``auditor.unchecked``."""
    gaps = analysis.unchecked
    for line in gaps.lines(analysis.lang):
        console.print(prefix + line, style="bold red", markup=False, highlight=False, soft_wrap=True)
    return gaps


def report_interrupted(run: ScanRun) -> None:
    """Says on stderr why a run is incomplete: the jobs a lost cluster took with it, or an interruption."""
    lost = run.extras.lost_jobs
    if lost:
        click.echo(ngettext("cluster lost: {n} job did not complete: {jobs}",
                            "cluster lost: {n} jobs did not complete: {jobs}", len(lost)).format(
            n=len(lost), jobs=", ".join(lost)), err=True)
    closed = [a for a in run.attempts if a.error_reason is ErrorReason.WINDOW_CLOSED]
    if closed:
        click.echo(ngettext("the authorisation window ended: {n} job not started: {jobs}",
                            "the authorisation window ended: {n} jobs not started: {jobs}",
                            len(closed)).format(n=len(closed),
                                                jobs=", ".join(f"{a.probe}@{a.target_id}" for a in closed)), err=True)
    click.echo(_("interrupted: results so far were written"), err=True)


def exit_with(code: int, *, stuck_threads: bool) -> None:
    """Exit with ``code``; with abandoned probe threads, without waiting for them.

    Results are already written; a probe that ignored its own timeout (a
    tarpit) or was running at Ctrl-C must not keep the process alive, which
    a normal exit would do by joining every worker thread.
    """
    if stuck_threads:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(code))
    sys.exit(code)
