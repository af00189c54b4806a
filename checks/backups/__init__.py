"""Backups: restic and borg repositories and a backup register, judged per protected
system for freshness, coverage, separation and tested restores (KRI §20, NIS2 art. 21, KSC)."""

from auditor.checks.backups.family import FAMILY
from auditor.checks.backups import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
