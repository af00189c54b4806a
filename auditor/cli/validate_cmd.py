"""``auditor validate``: check an inventory without scanning."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.cli import main, run_command
from auditor.inventory import load_inventory


@main.command("validate")
@click.argument("inventory", type=click.Path(path_type=Path))
def validate_command(inventory: Path) -> None:
    """Validate INVENTORY; on error print file:line and exit 2."""

    def body() -> None:
        loaded = load_inventory(inventory)
        kinds: dict[str, int] = {}
        for target in loaded.targets:
            kinds[target.kind] = kinds.get(target.kind, 0) + 1
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        click.echo(f"{inventory}: OK — {loaded.model.organisation.name}: {summary or 'no targets'}")

    run_command(body)
