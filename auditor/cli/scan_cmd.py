"""``auditor scan``: probe an office, judge, print a summary, exit by thresholds."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from auditor.cli import main, run_command
from auditor.cli.diff_cmd import summary_line
from auditor.errors import ExitCode, InputError
from auditor.inventory import load_inventory
from auditor.model import ScanRun, Severity, Status, scan_run_to_json
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
from auditor.store.jobs import keep_and_gate, scan_lock
from auditor.terminal import ProgressObserver, counts_line, summary_table

SEVERITY_CHOICES = [s.value for s in Severity] + ["none"]


def threshold_exit(run: ScanRun, fail_on: str) -> ExitCode:
    """1 when a failing finding reaches ``fail_on`` severity; interrupted scans never pass."""
    if fail_on != "none":
        limit = Severity(fail_on)
        if any(f.status is Status.FAIL and f.severity.at_least(limit) for f in run.findings):
            return ExitCode.THRESHOLD
    return ExitCode.OK


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary sibling and rename, so a kill never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


@main.command("scan")
@click.argument("inventory", type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write the ScanRun JSON here.")
@click.option("--only", "families", multiple=True, help="Only these check families (repeatable).")
@click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES), default="high", show_default=True,
              help="Exit 1 when a failing finding has at least this severity.")
@click.option("--offline", is_flag=True, help="Use only shipped knowledge data; fetch nothing public.")
@click.option("--lang", type=click.Choice(["pl", "en"]), default="pl", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no table.")
@click.option("--all", "show_passed", is_flag=True, help="Show passed checks in the table too.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), envvar="AUDITOR_STORE", show_envvar=True,
              help="Keep the run as a snapshot in this SQLite store (created when missing).")
@click.option("--fail-under", type=click.FloatRange(0, 100), help="Exit 1 when a baseline score is below SCORE.")
@click.option("--fail-on-regression", is_flag=True,
              help="Exit 1 when, against the previous snapshot, there are new failures or a lower score (needs --store).")
@click.option("--lock-timeout", type=float, default=3600, show_default=True,
              help="Seconds to wait for another scan holding the store's lock (-1: for ever); then exit 3.")
def scan_command(inventory: Path, out: Path | None, families: tuple[str, ...], fail_on: str, offline: bool,
                 lang: str, quiet: bool, show_passed: bool, store_path: Path | None, fail_under: float | None,
                 fail_on_regression: bool, lock_timeout: float) -> None:
    """Scan the office described by INVENTORY."""

    def body() -> ExitCode:
        loaded = load_inventory(inventory)
        registry = default_registry()
        unknown = set(families) - set(registry.families)
        if unknown:
            raise InputError(f"unknown family {', '.join(sorted(unknown))}; known: {', '.join(sorted(registry.families))}")
        if fail_on_regression and store_path is None:
            raise InputError("--fail-on-regression compares with the previous snapshot: give --store FILE")
        console = Console(stderr=True)
        observer = ProgressObserver(console, enabled=not quiet and console.is_terminal)
        with scan_lock(store_path, lock_timeout):
            try:
                run = run_scan(loaded, registry, ScanOptions(families=set(families) or None, offline=offline,
                                                              observer=observer))
            finally:
                observer.close()
            job = keep_and_gate(run, store_path, fail_under=fail_under, fail_on_regression=fail_on_regression)
        if out:
            write_atomically(out, scan_run_to_json(run))
        if not quiet:
            stdout = Console()
            stdout.print(summary_table(run, lang, show_passed=show_passed))
            stdout.print(counts_line(run))
            if out:
                stdout.print(f"ScanRun: {out}")
            if job.snapshot:
                stdout.print(f"Snapshot #{job.snapshot.id}: {store_path}")
            if job.diff:
                stdout.print(f"{job.diff.before.label} → {job.diff.after.label}: {summary_line(job.diff, lang)}")
        for reason in job.failures:
            click.echo(f"threshold: {reason}", err=True)
        if run.meta.interrupted:
            click.echo("interrupted: results so far were written", err=True)
            return ExitCode.SCAN_FAILED
        return ExitCode.THRESHOLD if job.failures else threshold_exit(run, fail_on)

    sys.exit(run_command(body))
