"""``auditor validate``: check an inventory (and the files it references) without scanning."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.assess import prepare_assessment
from auditor.cli import main, run_command
from auditor.inventory import load_inventory
from auditor.model import utcnow
from auditor.plural import counted
from auditor.registry import default_registry
from auditor.workflow.authorisation import within_window


@main.command("validate")
@click.argument("inventory", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["pl", "en"]), default="pl", show_default=True)
def validate_command(inventory: Path, lang: str) -> None:
    """Validate INVENTORY and the files it references; on error print file:line and exit 2."""

    def body() -> None:
        loaded = load_inventory(inventory)
        kinds: dict[str, int] = {}
        for target in loaded.targets:
            kinds[target.kind] = kinds.get(target.kind, 0) + 1
        summary = ", ".join(counted(n, kind, lang) for kind, n in sorted(kinds.items()))
        empty = "brak celów" if lang == "pl" else "no targets"
        click.echo(f"{inventory}: OK — {loaded.model.organisation.name}: {summary or empty}")
        assessment = prepare_assessment(loaded, default_registry())  # attestations, accepted risks, authorisation
        if assessment.accepted_risks_path:
            click.echo(f"accepted risks: {len(assessment.accepted_risks)} in {assessment.accepted_risks_path}")
        if assessment.authorisation:
            window = assessment.authorisation.window
            state = "open now" if within_window(assessment.authorisation, utcnow()) else "CLOSED now"
            click.echo(f"authorisation: {assessment.authorisation.document} — window {window.start} – "
                       f"{window.end} ({state})")

    run_command(body)
