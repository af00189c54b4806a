from pydantic import Field

from auditor.plugin import Family
from auditor.settings import SettingsModel


class HygieneSettings(SettingsModel):
    domain_expiry_warn_days: int | None = Field(default=None, ge=1, le=3650)
    """A registration ending within this many days is a warning (default 60)."""
    domain_expiry_fail_days: int | None = Field(default=None, ge=0, le=3650)
    """… and within this many days a failure (default 14)."""
    ssh_blacklist_dir: str | None = Field(default=None, min_length=1)
    """A folder with Debian's ``blacklist.RSA-2048``, ``blacklist.DSA-1024`` … files (the complete weak-key set)."""


FAMILY = Family("hygiene", __file__, settings=HygieneSettings)
