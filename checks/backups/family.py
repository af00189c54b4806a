from auditor.checks.backups.sources import BorgSource, RegisterSource, ResticSource
from auditor.plugin import Family

FAMILY = Family(
    "backups",
    __file__,
    source_types={"restic": ResticSource, "borg": BorgSource, "backup_register": RegisterSource},
)
