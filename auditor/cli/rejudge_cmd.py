"""``auditor rejudge``: judge a stored snapshot's evidence again with today's checks and baselines — no network.

Shows what the current checks (a fixed check, a new one) and the current or
another baseline say about the same evidence, as a diff against what was
stored, and can write the re-judged run for ``auditor report``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from auditor.baseline import load_baselines, select_baselines
from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_, _
from auditor.cli.baselines_cmd import BASELINES_OPTION
from auditor.cli.diff_cmd import diff_renderable
from auditor.cli.office_scan import unknown_families
from auditor.cli.scan_cmd import write_atomically
from auditor.cli.store_options import store_option
from auditor.errors import ExitCode, InputError
from auditor.model import scan_run_to_json
from auditor.pipeline import rejudge_and_score
from auditor.registry import default_registry
from auditor.settings import office_zone
from auditor.store import Store
from auditor.store.diff import diff, side_of_run, side_of_snapshot


@main.command("rejudge", help=N_("Re-judge SNAPSHOT (id, run id or 'latest') from its stored evidence and show what changes."))
@click.argument("snapshot", default="latest")
@store_option()
@click.option("--only", "families", multiple=True, help=N_("Only these check families (repeatable)."))
@click.option("--baseline", "baseline_ids", multiple=True,
              help=N_("Score against this baseline (repeatable); default: those the snapshot was scored with."))
@BASELINES_OPTION
@click.option("--out", "-o", type=click.Path(path_type=Path), help=N_("Write the re-judged ScanRun JSON here."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the diff (stored → re-judged) as JSON."))
@lang_option
def rejudge_command(snapshot: str, store_path: Path, families: tuple[str, ...], baseline_ids: tuple[str, ...],
                    extra_baselines: tuple[Path, ...], out: Path | None, as_json: bool, lang: str) -> None:

    def body() -> ExitCode:
        registry = default_registry()
        unknown = set(families) - set(registry.families)
        if unknown:
            raise InputError(unknown_families(unknown, registry))
        with Store(store_path, read_only=True) as store:
            info = store.resolve(snapshot)
            run = store.load(info.id)
            stored = side_of_snapshot(store, info, office_zone(run.extras.settings))
        available = load_baselines(extra_baselines, registry)
        requested = baseline_ids or [b for b in run.scores if b in available]
        baselines = select_baselines(available, requested, run.organisation.get("entity_class"))
        rejudged = rejudge_and_score(run, baselines, registry, set(families) or None)
        result = diff(stored, side_of_run(rejudged, _("#{id} rejudged").format(id=info.id)))
        if out:
            write_atomically(out, scan_run_to_json(rejudged))
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            Console().print(diff_renderable(result, lang))
        return ExitCode.OK

    sys.exit(run_command(body))
