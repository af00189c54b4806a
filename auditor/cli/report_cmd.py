"""``auditor report``: render a stored ScanRun as HTML, JSON, SARIF or CSV."""

from __future__ import annotations

import json
from pathlib import Path

import click

from auditor.cli import main, run_command
from auditor.cli.scan_cmd import write_atomically
from auditor.errors import InputError
from auditor.model import SchemaVersionError, scan_run_from_json
from auditor.report import ReportFormat, render


def read_run(path: Path):
    """A stored ScanRun; unreadable, malformed or too-new files are input errors (exit 2)."""
    try:
        return scan_run_from_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    except SchemaVersionError as exc:
        raise InputError(f"{path}: {exc}") from None
    except (ValueError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a ScanRun JSON ({str(exc).splitlines()[0][:200]})") from None


@main.command("report")
@click.argument("run_json", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice([f.value for f in ReportFormat]), default="html",
              show_default=True)
@click.option("--lang", type=click.Choice(["pl", "en"]), default="pl", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file (default: RUN_JSON with the format's suffix; '-' for stdout).")
def report_command(run_json: Path, fmt: str, lang: str, output: Path | None) -> None:
    """Render RUN_JSON (written by `auditor scan -o`) as a report."""

    def body() -> None:
        report_format = ReportFormat(fmt)
        run = read_run(run_json)
        text = render(run, report_format, lang=lang)
        if output is not None and str(output) == "-":
            click.echo(text, nl=False)
            return
        target = output or run_json.with_name(run_json.stem + "-report" + report_format.suffix)
        write_atomically(target, text)
        click.echo(f"{report_format.value}: {target}", err=True)

    run_command(body)
