"""``auditor collector linux|windows``: print the read-only collector script for a host."""

from __future__ import annotations

import click

from auditor.cli import main, run_command
from auditor.i18n import N_

#: Kept literal so the CLI loads without importing the config family (and its rule files);
#: tests check it matches ``auditor.checks.config.collectors.COLLECTORS``.
PLATFORMS = ("linux", "windows")


@main.command("collector", help=N_(
    "Print the configuration collector for PLATFORM (read it, then run it on the host).\n\n"
    "\b\n"
    "Linux:   auditor collector linux > c.sh && sudo sh c.sh > \"$(hostname).json\"\n"
    "Windows: auditor collector windows > c.ps1, then in an elevated PowerShell:\n"
    "         powershell -ExecutionPolicy Bypass -File c.ps1 -Out \"$env:COMPUTERNAME.json\""))
@click.argument("platform", type=click.Choice(PLATFORMS))
def collector_command(platform: str) -> None:

    def body() -> None:
        from auditor.checks.config.collectors import collector_source

        click.echo(collector_source(platform), nl=False)

    run_command(body)
