"""Baselines and attestations for one inventory, and scoring a run against them.

Shared by ``auditor scan`` and ``auditor demo`` so both select baselines and
read ``attestations.yaml`` the same way.  Everything is loaded and validated
*before* the scan starts: a typo in a baseline or an attestation exits with
code 2 at once instead of after an hour of probing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from auditor.attestations import attestations_path, load_attestations
from auditor.baseline import Baseline, load_baselines, select_baselines
from auditor.inventory import LoadedInventory
from auditor.model import AcceptedRisk, Attestation, Authorisation, ScanRun
from auditor.settings import office_zone
from auditor.registry import Registry
from auditor.scoring import apply_baselines
from auditor.workflow import accepted, authorisation
from auditor.workflow.inputs import extension_file
from auditor.yamlfile import load_yaml_with_lines


@dataclass(frozen=True)
class Assessment:
    """The baselines chosen for a scan and the office's answers to their manual questions."""

    baselines: list[Baseline]
    attestations: tuple[Attestation, ...] = ()
    attestations_path: Path | None = None
    accepted_risks: tuple[AcceptedRisk, ...] = ()
    accepted_risks_path: Path | None = None
    authorisation: Authorisation | None = None
    """The inventory's scan authorisation record (``auditor.workflow.authorisation``)."""

    def apply(self, run: ScanRun, *, window_ignored: bool = False) -> ScanRun:
        """The run with attestations, accepted risks and authorisation in ``extras`` and ``scores`` filled in.

        ``window_ignored``: the operator scanned outside the authorised window (recorded when there is one).
        """
        inputs = run.extras
        if self.attestations_path is not None:
            inputs = replace(inputs, attestations=self.attestations, attestations_path=str(self.attestations_path))
        if self.accepted_risks_path is not None:
            inputs = replace(inputs, accepted_risks=self.accepted_risks,
                             accepted_risks_path=str(self.accepted_risks_path))
        if self.authorisation is not None:
            inputs = replace(inputs, authorisation=self.authorisation,
                             authorisation_window_ignored=window_ignored)
        return apply_baselines(replace(run, extras=inputs), self.baselines)


def prepare_assessment(inventory: LoadedInventory, registry: Registry, *, requested: Iterable[str] = (),
                       extra_baselines: Iterable[Path] = ()) -> Assessment:
    available = load_baselines(extra_baselines, registry)
    selected = select_baselines(available, requested, inventory.model.organisation.entity_class)
    path = attestations_path(inventory.path, inventory.model.extensions)
    answers = load_attestations(path, [lb.baseline for lb in available.values()]) if path else ()
    risks_path = extension_file(inventory.path, inventory.model.extensions, accepted.INVENTORY_KEY)
    risks = accepted.load_accepted_risks(risks_path, registry.checks) if risks_path else ()
    record = (authorisation.parse_authorisation(load_yaml_with_lines(inventory.path), office_zone(inventory.settings))
              if authorisation.INVENTORY_KEY in inventory.model.extensions else None)
    return Assessment(selected, answers, path, risks, risks_path, record)
