"""``auditor collector linux|windows``: print the read-only collector script for a host."""

from __future__ import annotations

import click

from auditor.checks.config.collectors import COLLECTORS, collector_source
from auditor.cli import main, run_command


@main.command("collector")
@click.argument("platform", type=click.Choice(sorted(COLLECTORS)))
def collector_command(platform: str) -> None:
    """Print the configuration collector for PLATFORM (read it, then run it on the host).

    \b
    Linux:   auditor collector linux > c.sh && sudo sh c.sh > "$(hostname).json"
    Windows: auditor collector windows > c.ps1, then in an elevated PowerShell:
             powershell -ExecutionPolicy Bypass -File c.ps1 -Out "$env:COMPUTERNAME.json"
    """
    run_command(lambda: click.echo(collector_source(platform), nl=False))
