"""Inventory source types of the backups family: ``restic``, ``borg``, ``backup_register``.

Validated by the inventory loader (unknown keys are errors).  ``password``
is a ``SecretStr`` so the loader lifts it out of the target into the
probe-only secret map; ``password_env`` and ``password_file`` only *name*
where the secret lives, so they may be stored.  ``site``, ``offsite``,
``offline`` and ``immutable`` are declared facts about where the copy lives
(the scanner cannot see a safe or an object-lock policy), used for the
3-2-1 separation and encryption checks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator

from auditor.inventory import SourceBase
from auditor.plugin import ProbeInputError

#: ``scheme://user:password@host`` — a password inside a URL.
_URL_PASSWORD = re.compile(r"://[^/@:]*:[^/@]*@")
#: A credential option in an rclone on-the-fly remote or backend string (``:webdav,pass=...:``).
_OPTION_SECRET = re.compile(r"(?i)(?:^|[,:])[\w.-]*(?:pass|password|secret|token|key|sas_url|credentials?)\w*=")


class _RepositorySource(SourceBase):
    """What restic and borg repositories have in common."""

    repository: str = Field(min_length=1)
    """A local path (relative to the inventory) or a backend URL (``sftp:``, ``s3:``, ``ssh://`` ...)."""
    password: SecretStr | None = None
    password_env: str | None = None
    """Name of an environment variable of the auditor's process holding the password."""
    password_file: str | None = None
    systems: list[str] = Field(default_factory=list)
    """Names of inventory ``systems`` whose data this repository protects."""
    site: str | None = None
    """Physical site of the repository (``urząd``, ``starostwo``, ``chmura OVH`` ...)."""
    offsite: bool | None = None
    """Whether the medium leaves the building; default: true for a remote URL, false for a local path."""
    offline: bool = False
    """Declared: the copy is disconnected between backups (rotated disk, tape)."""
    immutable: bool = False
    """Declared: the copy cannot be changed or deleted (append-only, object lock)."""
    check: bool = True
    """Run the tool's consistency check; ``false`` for a repository too large to check in a scan
    (``backup.integrity`` then fails as "not run")."""
    restore_sample: int = Field(default=5, ge=1, le=100)
    """Files restored per snapshot group by the restore test."""

    @field_validator("repository")
    @classmethod
    def _no_password_in_url(cls, value: str) -> str:
        """The repository string is stored with the scan; a password inside it would leak."""
        if _URL_PASSWORD.search(value):
            raise ValueError("the repository URL contains a password; give it in password, password_env or password_file")
        if _OPTION_SECRET.search(value):
            raise ValueError("the repository string carries a credential option (pass=, key=, token= ...); "
                             "keep it in rclone's own configuration or the environment, not in the inventory")
        return value

    @model_validator(mode="after")
    def _one_password_source(self) -> "_RepositorySource":
        given = [n for n in ("password", "password_env", "password_file") if getattr(self, n) is not None]
        if len(given) > 1:
            raise ValueError(f"give only one of password, password_env, password_file (got {', '.join(given)})")
        return self


#: What ``restic check`` reads of the data by default: a random sample of packs up to this size.  Plain
#: ``restic check`` reads no data at all, so a damaged pack would pass; a whole small office repository
#: fits, a large one is sampled differently every night.
DEFAULT_READ_DATA_SUBSET = "256M"


class ResticSource(_RepositorySource):
    type: Literal["restic"] = "restic"
    check_read_data_subset: str = Field(default=DEFAULT_READ_DATA_SUBSET, pattern=r"^(\d+(\.\d+)?%|\d+/\d+|\d+[kKmMgGtT]?|none)$")
    """``restic check --read-data-subset``: ``5%``, ``1/7`` (one seventh, a weekly rotation), a size
    (``256M``, a random sample of packs up to it), or ``none`` (structure only, no data read)."""


class BorgSource(_RepositorySource):
    type: Literal["borg"] = "borg"
    check_repository_only: bool = False
    """``borg check --repository-only`` (faster; skips the archive metadata check)."""
    check_verify_data: bool = False
    """``borg check --verify-data``: also decrypt and verify every chunk (the repository check
    already reads every segment and verifies its CRC32, which is what finds a damaged segment)."""
    check_max_duration: int | None = Field(default=None, gt=0)
    """``borg check --repository-only --max-duration N``: read segments for at most N seconds, resuming
    where the last run stopped (a bounded sample for a repository too large for one scan)."""


class RegisterSource(SourceBase):
    type: Literal["backup_register"] = "backup_register"
    file: str = Field(min_length=1)
    """A YAML or CSV register of backup jobs (docs/backups.md), relative to the inventory."""

    @model_validator(mode="after")
    def _register_is_valid(self, info: ValidationInfo) -> "RegisterSource":
        """The office writes the register by hand: a typo is bad input (exit 2) before any probe runs,
        reported with the register's file and line, like the inventory's own errors."""
        from auditor.checks.backups.register import read_register

        base_dir = Path((info.context or {}).get("base_dir", "."))
        try:
            read_register(str(base_dir / self.file))
        except ProbeInputError as exc:
            raise ValueError(str(exc)) from None
        return self
