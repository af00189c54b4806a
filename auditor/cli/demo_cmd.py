"""``auditor demo``: start the loopback lab, scan it, show the results, stop the lab."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from auditor.analysis import analyse
from auditor.assess import prepare_assessment
from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_, _
from auditor.cli.scan_cmd import threshold_exit, write_atomically
from auditor.demo.lab import running_lab
from auditor.errors import ExitCode, ScanFailed
from auditor.inventory import load_inventory
from auditor.model import scan_run_to_json
from auditor.pipeline import scan_and_score
from auditor.registry import default_registry
from auditor.report import DocumentFormat, ReportFormat, render, render_document
from auditor.scan import ScanOptions
from auditor.terminal import ProgressObserver, print_summary


@main.command("demo", help=N_("Scan a deliberately imperfect office running on loopback (127.0.10.0/24)."))
@click.option("--out", "outdir", type=click.Path(path_type=Path), default=Path("auditor-demo"), show_default=True,
              help=N_("Folder for the lab's inventory and the results."))
@lang_option
def demo_command(outdir: Path, lang: str) -> None:

    def body() -> ExitCode:
        console = Console()
        registry = default_registry()
        try:
            lab = running_lab(outdir.resolve())
            inventory_path = lab.__enter__()
        except OSError as exc:
            raise ScanFailed(_("could not start the lab (is another demo running?): {problem}").format(
                problem=exc)) from exc
        try:
            console.print(_("Lab running; inventory: {path}").format(path=inventory_path))
            observer = ProgressObserver(Console(stderr=True), enabled=Console(stderr=True).is_terminal)
            try:
                loaded = load_inventory(inventory_path)
                run = scan_and_score(loaded, prepare_assessment(loaded, registry), registry,
                                     ScanOptions(observer=observer))
            finally:
                observer.close()
        finally:
            lab.__exit__(None, None, None)
        run_path = outdir / "run.json"
        write_atomically(run_path, scan_run_to_json(run))
        analysis = analyse(run, lang=lang, registry=registry)
        write_atomically(outdir / "audit.html", render(analysis, ReportFormat.HTML))
        for fmt in DocumentFormat:
            write_atomically(outdir / f"audit{fmt.suffix}", render_document(analysis, fmt))
        print_summary(console, analysis)
        console.print(f"ScanRun: {run_path}")
        console.print(_("Audit report: {path} (+ audit.docx, audit.odt, audit.pdf)").format(
            path=outdir / "audit.html"))
        would_be = threshold_exit(analysis, "high")
        console.print(_("Demo finished. A real scan of this office would have exited {code} (--fail-on high).").format(
            code=int(would_be)))
        return ExitCode.OK  # a demonstration that ran as designed is a success, whatever it found

    sys.exit(run_command(body))
