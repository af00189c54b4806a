"""``auditor baselines``: the baselines available, their parts, versions, requirement counts and how sure the law is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from auditor.baseline import Baseline, Confirmation, load_baselines
from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_, _, ngettext

BASELINES_OPTION = click.option(
    "--baselines", "extra_baselines", multiple=True, type=click.Path(path_type=Path),
    help=N_("Extra baseline YAML file or folder (repeatable); an id equal to a built-in one replaces it."))


def _parts(baseline: Baseline, lang: str) -> list[dict[str, Any]]:
    """Each part with its requirement count and its requirements' confirmation states."""
    groups: list[tuple[str | None, str, str]] = [(part.id, part.ref, getattr(part.title, lang)) for part in baseline.parts]
    if any(r.part is None for r in baseline.requirements):
        groups.append((None, "-", "-"))
    rows = []
    for part_id, ref, title in groups:
        members = [r for r in baseline.requirements if r.part == part_id]
        states = {state.value: sum(1 for r in members if r.basis and r.basis.confirmation is state)
                  for state in Confirmation}
        rows.append({"id": part_id, "ref": ref, "title": title, "requirements": len(members), "confirmation": states})
    return rows


@main.command("baselines", help=N_("List baselines (id, version, requirements, automated/manual evidence); exit 2 on a bad file."))
@BASELINES_OPTION
@click.option("--questions", is_flag=True, help=N_("List the manual questions (ids for attestations.yaml)."))
@lang_option
@click.option("--json", "as_json", is_flag=True, help=N_("Machine-readable output."))
def baselines_command(extra_baselines: tuple[Path, ...], questions: bool, lang: str, as_json: bool) -> None:

    def body() -> None:
        loaded = load_baselines(extra_baselines)
        rows = []
        for lb in loaded.values():
            b = lb.baseline
            rows.append({
                "id": b.id, "version": b.version, "title": getattr(b.title, lang),
                "requirements": len(b.requirements),
                "with_checks": sum(1 for r in b.requirements if r.checks),
                "manual_questions": len(b.manual_items()),
                "applies_to": [c.value for c in b.applies_to], "origin": lb.origin,
                "selection": getattr(b.selection, lang) if b.selection else None,
                "parts": _parts(b, lang),
                "questions": {i: getattr(item.question, lang) for i, item in b.manual_items().items()},
            })
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table(title=ngettext("{n} baseline", "{n} baselines", len(rows)).format(n=len(rows)))
        for head in (_("id"), _("version"), _("title"), _("requirements"), _("with checks"), _("manual questions"),
                     _("applies to"), _("origin")):
            table.add_column(head, overflow="fold")
        for row in rows:
            table.add_row(row["id"], row["version"], row["title"], str(row["requirements"]), str(row["with_checks"]),
                          str(row["manual_questions"]), ", ".join(row["applies_to"]), row["origin"])
        console = Console()
        console.print(table)
        ptable = Table(title=_("parts"))
        for head in (_("baseline"), _("part"), _("ref"), _("title"), _("requirements"), _("confirmed"),
                     _("secondary"), _("unconfirmed")):
            ptable.add_column(head, overflow="fold")
        for row in rows:
            for part in row["parts"]:
                states = part["confirmation"]
                ptable.add_row(row["id"], part["id"] or "-", part["ref"], part["title"], str(part["requirements"]),
                               str(states["confirmed"]), str(states["secondary"]), str(states["unconfirmed"]))
        console.print(ptable)
        if questions:
            merged = {i: q for row in rows for i, q in row["questions"].items()}
            qtable = Table(title=_("attestations.yaml ids"))
            qtable.add_column(_("id"))
            qtable.add_column(_("question"), overflow="fold")
            for item_id in sorted(merged):
                qtable.add_row(item_id, merged[item_id])
            console.print(qtable)

    run_command(body)
