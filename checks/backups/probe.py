"""Two probes: one reads a backup source, one records what a protected system requires.

``backups`` reads a restic or borg repository (snapshots, consistency
check, optional restore test) or a backup register file.  ``backup_system``
does no I/O: it records the system's RPO, restore-test period and
retention as evidence, so a stored run is judged again against the same
requirements it was scanned with.
"""

from __future__ import annotations

from auditor.checks.backups.borg import Borg
from auditor.checks.backups.family import FAMILY
from auditor.checks.backups.register import read_register
from auditor.checks.backups.repository import collect_repository
from auditor.checks.backups.restic import Restic
from auditor.model import Evidence, Target
from auditor.plugin import Probe, ProbeContext

_TOOLS = {"restic": Restic, "borg": Borg}
SOURCE_KINDS = frozenset({"restic", "borg", "backup_register"})


@FAMILY.probe
class BackupsProbe(Probe):
    name = "backups"
    target_kinds = SOURCE_KINDS

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        if target.kind == "backup_register":
            return read_register(target.attrs["file"])
        tool = _TOOLS[target.kind](target, ctx)
        with tool.connection():
            return collect_repository(tool)


@FAMILY.probe
class BackupSystemProbe(Probe):
    name = "backup_system"
    target_kinds = frozenset({"system"})

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        return {
            "system": target.name,
            "hosts": list(target.attrs.get("hosts", [])),
            "rpo_hours": target.attrs.get("rpo_hours", 24),
            "restore_test_months": target.attrs.get("restore_test_months", 12),
            "retention_days": target.attrs.get("retention_days"),
        }
