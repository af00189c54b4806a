"""``auditor store check``: SQLite's integrity check of the store file, and every snapshot's run read back."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from auditor.cli import lang_option, main, run_command
from auditor.cli.store_options import store_option
from auditor.errors import ExitCode
from auditor.i18n import N_, _, ngettext
from auditor.store import Store
from auditor.store.check import StoreCheck, check_store


@main.group("store", help=N_("The snapshot store: checking the file."))
def store_group() -> None:
    """The ``store`` commands below."""


def _lines(result: StoreCheck, path: Path, quick: bool) -> list[str]:
    """The check's result for a terminal or a cron log, in the command's language."""
    sound = result.integrity == ["ok"]
    verdict = _("ok") if sound else ngettext("{n} problem", "{n} problems", len(result.integrity)).format(
        n=len(result.integrity))
    lines = [_("File integrity (SQLite {pragma}): {result}").format(
        pragma="quick_check" if quick else "integrity_check", result=verdict)]
    lines += [f"  {line}" for line in ([] if sound else result.integrity[:20])]
    if result.unlisted is not None:
        lines.append(_("The list of snapshots cannot be read ({detail}): no snapshot was checked.").format(
            detail=result.unlisted))
    else:
        lines.append(_("Snapshots: {n}, readable: {good}, damaged: {bad}").format(
            n=result.snapshots, good=result.snapshots - len(result.damaged), bad=len(result.damaged)))
        lines += [f"  {found.text(path)}" for found in result.damaged]
    lines.append((_("The store {path} is sound.") if result.sound else _("The store {path} is damaged.")).format(
        path=path))
    return lines


@store_group.command("check", help=N_("Check every page of the store and read back every snapshot's run "
                                      "(exit 0: sound, 2: damaged); reads only."))
@store_option()
@click.option("--quick", is_flag=True, help=N_("SQLite quick_check instead of integrity_check (faster; skips index "
                                               "contents)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the result as JSON."))
@lang_option
def store_check_command(store_path: Path, quick: bool, as_json: bool, lang: str) -> None:
    """Works on a read-only store and writes nothing beside it (``Store(read_only=True)``)."""

    def body() -> ExitCode:
        with Store(store_path, read_only=True) as store:
            result = check_store(store, quick)
        if as_json:
            click.echo(json.dumps({"sound": result.sound, "integrity": result.integrity,
                                   "snapshots": result.snapshots, "unlisted": result.unlisted,
                                   "damaged": [{"id": d.snapshot_id, **d.to_dict()} for d in result.damaged]},
                                  ensure_ascii=False, indent=2))
        else:
            click.echo("\n".join(_lines(result, store_path, quick)))
        return ExitCode.OK if result.sound else ExitCode.BAD_INPUT

    sys.exit(run_command(body))
