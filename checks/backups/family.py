from auditor.checks.backups.sources import BorgSource, RegisterSource, ResticSource
from pydantic import Field

from auditor.plugin import Family
from auditor.settings import SettingsModel


class BackupSettings(SettingsModel):
    restore_test_dir: str | None = Field(default=None, min_length=1)
    """Where restore tests unpack files (default: a temporary folder)."""


FAMILY = Family(
    "backups",
    __file__,
    source_types={"restic": ResticSource, "borg": BorgSource, "backup_register": RegisterSource},
    settings=BackupSettings,
)
