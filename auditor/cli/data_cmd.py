"""``auditor data``: the knowledge data (end of life, vulnerabilities) the checks judge with."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli import main, run_command
from auditor.i18n import N_, _
from auditor.errors import ExitCode


@main.group("data", help=N_("Knowledge data: show what is used, refresh it from public sources."))
def data_group() -> None:
    """The ``data`` commands below."""


@data_group.command("refresh", help=N_("Fetch endoflife.date, CISA KEV, Debian security tracker and OSV data into the local cache (scans stay offline)."))
@click.option("--dir", "directory", type=click.Path(path_type=Path),
              help=N_("Cache directory (default: $AUDITOR_DATA_DIR or ~/.cache/auditor/data)."))
@click.option("--endoflife-url", default=None, help=N_("endoflife.date API base URL."))
@click.option("--kev-url", default=None, help=N_("CISA KEV catalog JSON URL."))
@click.option("--osv-url", default=None, help=N_("OSV vulnerability API base URL (…/v1/vulns)."))
@click.option("--debian-tracker-url", default=None, help=N_("Debian security tracker JSON URL (…/tracker/data/json)."))
@click.option("--timeout", type=float, default=30.0, show_default=True, help=N_("Seconds per request."))
def refresh_command(directory: Path | None, endoflife_url: str | None, kev_url: str | None, osv_url: str | None,
                    debian_tracker_url: str | None, timeout: float) -> None:
    from auditor.checks.patching import refresh as source
    from auditor.checks.patching.knowledge import cache_dir, knowledge_for

    def body() -> ExitCode:
        target = directory or cache_dir()
        result = source.refresh(
            target,
            endoflife_base=endoflife_url or source.ENDOFLIFE_API,
            kev_url=kev_url or source.KEV_URL,
            osv_base=osv_url or source.OSV_API,
            debian_tracker_url=debian_tracker_url or source.DEBIAN_TRACKER,
            timeout=timeout,
        )
        tracker = _("not fetched") if result.debian_tracker is None else f"{result.debian_tracker} CVE"
        click.echo(_("cache: {path}").format(path=target))
        click.echo(_("endoflife.date: {products} products; CISA KEV: {kev}; Debian tracker: {tracker}; "
                     "OSV: {osv} records").format(products=len(result.endoflife),
                                                  kev=result.kev_catalog or _("not fetched"), tracker=tracker,
                                                  osv=len(result.osv)))
        for failure in result.failures:
            click.echo(_("failed: {problem}").format(problem=failure), err=True)
        for key, value in knowledge_for({"patching_data_dir": str(target)}).versions.items():
            click.echo(f"{key}: {value}")
        fetched = result.endoflife or result.kev_catalog or result.osv or result.debian_tracker is not None
        return ExitCode.OK if fetched else ExitCode.SCAN_FAILED

    sys.exit(run_command(body))


@data_group.command("show", help=N_("Print which knowledge data a scan would use, and its date."))
@click.option("--dir", "directory", type=click.Path(path_type=Path), help=N_("Cache directory to read."))
def show_command(directory: Path | None) -> None:
    from auditor.checks.patching.knowledge import knowledge_for

    settings = {"patching_data_dir": str(directory)} if directory else {}
    for key, value in knowledge_for(settings).versions.items():
        click.echo(f"{key}: {value}")
