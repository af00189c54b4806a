"""``auditor store check``: SQLite's integrity check of the store file, and every snapshot's run read back."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from auditor.cli import main, run_command
from auditor.cli.store_options import lang_option, store_option
from auditor.errors import ExitCode
from auditor.store import Store
from auditor.store.check import StoreCheck, check_store

_TEXT = {
    "pl": {"integrity": "Spójność pliku (SQLite {pragma}): {result}", "ok": "w porządku",
           "problems": "problemów: {n}", "count": "Migawek: {n}, czytelnych: {good}, uszkodzonych: {bad}",
           "unlisted": "Spisu migawek nie da się odczytać ({detail}): żadnej migawki nie sprawdzono.",
           "sound": "Magazyn {path} jest w porządku.", "damaged": "Magazyn {path} jest uszkodzony."},
    "en": {"integrity": "File integrity (SQLite {pragma}): {result}", "ok": "ok",
           "problems": "{n} problems", "count": "Snapshots: {n}, readable: {good}, damaged: {bad}",
           "unlisted": "The list of snapshots cannot be read ({detail}): no snapshot was checked.",
           "sound": "The store {path} is sound.", "damaged": "The store {path} is damaged."},
}


@main.group("store")
def store_group() -> None:
    """Magazyn migawek: sprawdzenie pliku.

    The snapshot store: checking the file.
    """


def _lines(result: StoreCheck, path: Path, quick: bool, lang: str) -> list[str]:
    words = _TEXT[lang]
    sound = result.integrity == ["ok"]
    lines = [words["integrity"].format(pragma="quick_check" if quick else "integrity_check",
                                       result=words["ok"] if sound else words["problems"].format(n=len(result.integrity)))]
    lines += [f"  {line}" for line in ([] if sound else result.integrity[:20])]
    if result.unlisted is not None:
        lines.append(words["unlisted"].format(detail=result.unlisted))
    else:
        lines.append(words["count"].format(n=result.snapshots, good=result.snapshots - len(result.damaged),
                                           bad=len(result.damaged)))
        lines += [f"  {found.text(path, lang)}" for found in result.damaged]
    lines.append(words["sound" if result.sound else "damaged"].format(path=path))
    return lines


@store_group.command("check")
@store_option()
@click.option("--quick", is_flag=True, help="SQLite quick_check instead of integrity_check (faster; skips index contents).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@lang_option()
def store_check_command(store_path: Path, quick: bool, as_json: bool, lang: str) -> None:
    """Check every page of the store and read back every snapshot's run (exit 0: sound, 2: damaged).

    Reads only: works on a read-only store and writes nothing beside it.
    """

    def body() -> ExitCode:
        with Store(store_path, read_only=True) as store:
            result = check_store(store, quick)
        if as_json:
            click.echo(json.dumps({"sound": result.sound, "integrity": result.integrity,
                                   "snapshots": result.snapshots, "unlisted": result.unlisted,
                                   "damaged": [{"id": d.snapshot_id, **d.to_dict()} for d in result.damaged]},
                                  ensure_ascii=False, indent=2))
        else:
            click.echo("\n".join(_lines(result, store_path, quick, lang)))
        return ExitCode.OK if result.sound else ExitCode.BAD_INPUT

    sys.exit(run_command(body, lang))
