from typing import Literal

from pydantic import Field

from auditor.plugin import Family
from auditor.settings import SettingsModel


class TlsSettings(SettingsModel):
    tls_ca_file: str | None = Field(default=None, min_length=1)
    tls_connections_per_endpoint: int | None = Field(default=None, ge=1, le=50)
    tls_expiry_warning_days: int | None = Field(default=None, ge=0, le=3650)
    tls_suite_enumeration: Literal["elimination", "per_suite"] | None = None
    """``per_suite``: sslyze's own one-handshake-per-suite scan, for a server elimination would confuse."""


FAMILY = Family("tls", __file__, settings=TlsSettings)
