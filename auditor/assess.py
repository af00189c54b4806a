"""Baselines and attestations for one inventory, and scoring a run against them.

Shared by ``auditor scan`` and ``auditor demo`` so both select baselines and
read ``attestations.yaml`` the same way.  Everything is loaded and validated
*before* the scan starts: a typo in a baseline or an attestation exits with
code 2 at once instead of after an hour of probing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from auditor.attestations import attestations_path, load_attestations
from auditor.baseline import Baseline, load_baselines, select_baselines
from auditor.inventory import LoadedInventory
from auditor.model import ScanRun
from auditor.registry import Registry
from auditor.scoring import apply_baselines


@dataclass(frozen=True)
class Assessment:
    """The baselines chosen for a scan and the office's answers to their manual questions."""

    baselines: list[Baseline]
    attestations: list[dict[str, Any]] = field(default_factory=list)
    attestations_path: Path | None = None

    def apply(self, run: ScanRun) -> ScanRun:
        """The run with the attestations stored in ``extras`` and ``scores`` filled in."""
        if self.attestations_path is not None:
            run = replace(run, extras={**run.extras, "attestations": self.attestations,
                                       "attestations_path": str(self.attestations_path)})
        return apply_baselines(run, self.baselines)


def prepare_assessment(inventory: LoadedInventory, registry: Registry, *, requested: Iterable[str] = (),
                       extra_baselines: Iterable[Path] = ()) -> Assessment:
    available = load_baselines(extra_baselines, registry)
    selected = select_baselines(available, requested, inventory.model.organisation.entity_class)
    path = attestations_path(inventory.path, inventory.model.extensions)
    if path is None:
        return Assessment(selected)
    answers = load_attestations(path, [lb.baseline for lb in available.values()])
    return Assessment(selected, answers, path)
