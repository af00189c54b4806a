"""``auditor validate``: check an inventory (and the files it references) without scanning."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.assess import prepare_assessment
from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_, _
from auditor.inventory import load_inventory
from auditor.model import utcnow
from auditor.plural import counted
from auditor.registry import default_registry
from auditor.workflow.authorisation import within_window


@main.command("validate", help=N_("Validate INVENTORY and the files it references; on error print file:line and exit 2."))
@click.argument("inventory", type=click.Path(path_type=Path))
@lang_option
def validate_command(inventory: Path, lang: str) -> None:

    def body() -> None:
        loaded = load_inventory(inventory)
        kinds: dict[str, int] = {}
        for target in loaded.targets:
            kinds[target.kind] = kinds.get(target.kind, 0) + 1
        summary = ", ".join(counted(n, kind, lang) for kind, n in sorted(kinds.items()))
        click.echo(_("{path}: OK — {office}: {targets}").format(path=inventory, office=loaded.model.organisation.name,
                                                                 targets=summary or _("no targets")))
        assessment = prepare_assessment(loaded, default_registry())  # attestations, accepted risks, authorisation
        if assessment.accepted_risks_path:
            click.echo(_("accepted risks: {n} in {path}").format(n=len(assessment.accepted_risks),
                                                                path=assessment.accepted_risks_path))
        if assessment.authorisation:
            window = assessment.authorisation.window
            state = _("open now") if within_window(assessment.authorisation, utcnow()) else _("CLOSED now")
            click.echo(_("authorisation: {document} — window {start} – {end} ({state})").format(
                document=assessment.authorisation.document, start=window.start, end=window.end, state=state))
            allowed = assessment.authorisation.credential_tests
            click.echo(_("default-credential tests (intrusive) allowed on: {services}").format(services=", ".join(allowed))
                       if allowed else _("default-credential tests (intrusive): not allowed (no credential_tests)"))

    run_command(body)
