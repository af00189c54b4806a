"""``auditor checks``: every check the registry knows."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from auditor.baseline import load_baselines
from auditor.cli import lang_option, main, run_command
from auditor.analysis.texts import severity_word
from auditor.i18n import N_, _, ngettext
from auditor.registry import Registry, default_registry


def baseline_mapping(registry: Registry) -> dict[str, list[str]]:
    """Check id → the references of the shipped baseline requirements it gives evidence for."""
    mapping: dict[str, list[str]] = {}
    for loaded in load_baselines(registry=registry).values():
        for requirement in loaded.baseline.requirements:
            for check in requirement.checks:
                mapping.setdefault(check.id, []).append(requirement.ref)
    return mapping


@main.command("checks", help=N_("List every check: id, family, severity, whether it is intrusive, title and the "
                                 "baseline requirements it evidences. Intrusive checks (login attempts with default "
                                 "credentials) run only where the authorisation allows them "
                                 "(extensions.authorisation.credential_tests)."))
@click.option("--family", "families", multiple=True, help=N_("Only these families."))
@lang_option
@click.option("--json", "as_json", is_flag=True, help=N_("Machine-readable output."))
def checks_command(families: tuple[str, ...], lang: str, as_json: bool) -> None:

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
        table = Table(title=ngettext("{n} check", "{n} checks", len(specs)).format(n=len(specs)))
        for head in (_("id"), _("family"), _("severity"), _("intrusive"), _("title"), _("baselines")):
            table.add_column(head, overflow="fold")
        intrusive = _("YES (intrusive: only with the authorisation's consent)")
        for spec in specs:
            table.add_row(spec.id, spec.family, severity_word(spec.severity.value, lang),
                          intrusive if spec.intrusive else "", spec.title(lang), "; ".join(mapping.get(spec.id, [])))
        Console().print(table)

    run_command(body)
