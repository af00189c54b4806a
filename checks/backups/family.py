from auditor.checks.backups.sources import BorgSource, RegisterSource, ResticSource
from pydantic import Field

from auditor.plugin import Family
from auditor.settings import SettingsModel


class BackupSettings(SettingsModel):
    restore_test_dir: str | None = Field(default=None, min_length=1)
    """Where restore tests unpack files (default: a temporary folder)."""
    backup_ssh_command: str | None = Field(default=None, min_length=1)
    """The ssh command restic (sftp:) and borg (ssh) start, e.g. ``ssh -i /etc/auditor/backup_key``; it is
    always pinned to the repository's checked address (``sshpin``)."""


FAMILY = Family(
    "backups",
    __file__,
    source_types={"restic": ResticSource, "borg": BorgSource, "backup_register": RegisterSource},
    settings=BackupSettings,
)
