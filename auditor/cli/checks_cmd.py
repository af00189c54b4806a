"""``auditor checks``: every check the registry knows."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from auditor.baseline import load_baselines
from auditor.cli import main, run_command
from auditor.registry import Registry, default_registry


#: How the table marks an intrusive check (it tries logins; off unless the authorisation allows it).
INTRUSIVE = {"pl": "TAK (inwazyjna: tylko za zgodą w upoważnieniu)", "en": "YES (intrusive: only with the authorisation's consent)"}


def baseline_mapping(registry: Registry) -> dict[str, list[str]]:
    """Check id → the references of the shipped baseline requirements it gives evidence for."""
    mapping: dict[str, list[str]] = {}
    for loaded in load_baselines(registry=registry).values():
        for requirement in loaded.baseline.requirements:
            for check in requirement.checks:
                mapping.setdefault(check.id, []).append(requirement.ref)
    return mapping


@main.command("checks")
@click.option("--family", "families", multiple=True, help="Only these families.")
@click.option("--lang", type=click.Choice(["pl", "en"], case_sensitive=False), default="pl", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def checks_command(families: tuple[str, ...], lang: str, as_json: bool) -> None:
    """List every check: id, family, severity, whether it is intrusive, title and the requirements it evidences.

    Intrusive checks (login attempts with default credentials) run only where the
    authorisation document allows them (extensions.authorisation.credential_tests).
    """

    def body() -> None:
        registry = default_registry()
        specs = sorted(registry.checks_of(set(families) or None), key=lambda s: s.id)
        mapping = baseline_mapping(registry)
        if as_json:
            click.echo(json.dumps(
                [{"id": s.id, "family": s.family, "severity": s.severity.value, "intrusive": s.intrusive,
                  "title": s.title(lang),
                  "reads": list(s.reads), "baselines": mapping.get(s.id, []),
                  "origin": registry.origins[s.family]} for s in specs],
                ensure_ascii=False, indent=2))
            return
        table = Table(title=f"{len(specs)} checks")
        for head in ("id", "family", "severity", "intrusive", "title", "baselines"):
            table.add_column(head, overflow="fold")
        for spec in specs:
            table.add_row(spec.id, spec.family, spec.severity.value, INTRUSIVE[lang] if spec.intrusive else "",
                          spec.title(lang), "; ".join(mapping.get(spec.id, [])))
        Console().print(table)

    run_command(body)
