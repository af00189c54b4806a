from typing import Annotated

from pydantic import Field

from auditor.plugin import Family
from auditor.settings import SettingsModel


class NetworkSettings(SettingsModel):
    network_scan_risky_ports: bool | None = None
    network_extra_ports: list[Annotated[int, Field(ge=1, le=65535)]] | None = Field(default=None, max_length=1024)
    """Single ports only: a range such as ``'1-65535'`` is a full port scan nobody asked for."""
    network_fast_client_first: bool | None = None
    """``False``: HTTP/HTTPS ports get nmap's stock probe file too (its 6 s NULL-probe wait)."""


FAMILY = Family("network", __file__, settings=NetworkSettings)
