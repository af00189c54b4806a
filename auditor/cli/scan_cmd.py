"""``auditor scan``: probe an office, judge, print a summary, exit by thresholds."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click
from rich.console import Console

from auditor.cli import main, run_command
from auditor.errors import ExitCode, InputError
from auditor.inventory import load_inventory
from auditor.model import ScanRun, Severity, Status, scan_run_to_json
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
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
@click.option("--local", is_flag=True, help="Also collect this machine's configuration (Linux collector) and judge it.")
def scan_command(inventory: Path, out: Path | None, families: tuple[str, ...], fail_on: str, offline: bool,
                 lang: str, quiet: bool, show_passed: bool, local: bool) -> None:
    """Scan the office described by INVENTORY."""

    def body() -> ExitCode:
        with tempfile.TemporaryDirectory(prefix="auditor-local-") as local_dir:
            return scan(Path(local_dir))

    def scan(local_dir: Path) -> ExitCode:
        loaded = load_inventory(inventory)
        if local:
            from auditor.checks.config.local import add_local_source

            add_local_source(loaded, local_dir)
        registry = default_registry()
        unknown = set(families) - set(registry.families)
        if unknown:
            raise InputError(f"unknown family {', '.join(sorted(unknown))}; known: {', '.join(sorted(registry.families))}")
        console = Console(stderr=True)
        observer = ProgressObserver(console, enabled=not quiet and console.is_terminal)
        try:
            run = run_scan(loaded, registry, ScanOptions(families=set(families) or None, offline=offline,
                                                          observer=observer))
        finally:
            observer.close()
        if out:
            write_atomically(out, scan_run_to_json(run))
        if not quiet:
            stdout = Console()
            stdout.print(summary_table(run, lang, show_passed=show_passed))
            stdout.print(counts_line(run))
            if out:
                stdout.print(f"ScanRun: {out}")
        if run.meta.interrupted:
            click.echo("interrupted: results so far were written", err=True)
            return ExitCode.SCAN_FAILED
        return threshold_exit(run, fail_on)

    sys.exit(run_command(body))
