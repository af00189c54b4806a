"""The inventory's ``settings`` section, validated like the rest of the inventory.

Each key is owned by the core (here) or by a family (``Family(settings=...)``,
a pydantic model of its keys).  A key nobody owns is refused with a
"did you mean" — a typo such as ``timout`` must not be silently ignored, and a
secret under an invented key (``haslo_smb``) must not be carried into the run.
Values are checked for type and range, so ``timeout: abc`` or ``max_workers: 0``
is an exit 2 with file and line instead of a traceback mid-scan.
"""

from __future__ import annotations

import difflib
import ipaddress
from datetime import datetime
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor.i18n import _
from auditor.yamlfile import YamlDocument



class SettingsModel(BaseModel):
    """Base of every settings model: all keys optional; ``validate_settings`` refuses keys nobody owns."""

    model_config = ConfigDict(extra="ignore")


#: The office's time zone unless ``settings.timezone`` names another.
DEFAULT_TIMEZONE = "Europe/Warsaw"


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (``Europe/Warsaw``); ``ValueError`` with the reader's words otherwise."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(_("{name!r} is not an IANA time zone (e.g. Europe/Warsaw)").format(name=name)) from None


def office_zone(settings: Mapping[str, Any]) -> ZoneInfo:
    """The zone every time a reader sees is shown in (stored times stay UTC)."""
    try:
        return zone_named(str(settings.get("timezone") or DEFAULT_TIMEZONE))
    except ValueError:  # a run written by another version with a zone this machine does not know
        return ZoneInfo(DEFAULT_TIMEZONE)


def local_time(moment: datetime, zone: ZoneInfo, *, date_only: bool = False) -> str:
    """``2026-12-02 02:14 CET``: an aware moment in the office's zone, with the zone shown."""
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d}" if date_only else f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


class CoreSettings(SettingsModel):
    timeout: float = Field(default=120, gt=0, le=3600)
    """Seconds per probe job."""
    max_workers: int = Field(default=16, ge=1, le=256)
    per_host_concurrency: int = Field(default=2, ge=1, le=64)
    dns_resolver: str | None = None
    """The resolver probes ask (``addr``, ``addr:port``, ``[v6]:port``); it must lie in the scope."""
    rdap_bootstrap: str | None = Field(default=None, min_length=1)
    """An RDAP bootstrap file in IANA's ``dns.json`` format (RFC 9224) instead of the shipped snapshot:
    which registry answers for which TLD (``auditor.rdap``; the registries are external data sources)."""
    timezone: str = DEFAULT_TIMEZONE
    """The office's IANA time zone: reports, the terminal and history show times in it."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone_named(value)
        return value

    @field_validator("dns_resolver")
    @classmethod
    def _resolver_address(cls, value: str | None) -> str | None:
        if value is not None:
            resolver_address(value)
        return value


class CredentialSettings(SettingsModel):
    """How gently the intrusive ``credentials`` family tries default passwords (owned by that family).

    The bounds are the safety rail, not a suggestion: at least half a second
    between two login attempts on one host (a lockout policy counting attempts
    per minute is not tripped by a burst), at most ten pairs per service, and
    at most five connection errors in a row before the service is left alone.
    """

    credential_delay_s: float = Field(default=3.0, ge=0.5, le=60)
    """Seconds between two login attempts on the same host."""
    credential_max_attempts: int = Field(default=10, ge=1, le=10)
    """Pairs tried per service at most (the shipped list has no more than ten per service)."""
    credential_max_errors: int = Field(default=2, ge=1, le=5)
    """Consecutive connection errors (or one lockout answer) after which a service is not tried further."""


def resolver_address(value: str) -> tuple[str, int]:
    """``"host:port"``, ``"[v6]:port"`` or a bare address → (address, port); ``ValueError`` otherwise."""
    text = value.strip()
    if text.startswith("["):
        address, _sep, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":") or "53"
    elif text.count(":") == 1:
        address, port_text = text.split(":")
    else:
        address, port_text = text, "53"
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(_("{value!r} is not an IP address with an optional port (e.g. 10.0.0.53:53)").format(
            value=value)) from None
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(_("{value!r}: the port must be 1-65535").format(value=value))
    return address, int(port_text)


def validate_settings(doc: YamlDocument, raw: Any, models: Iterable[type[BaseModel]]) -> dict[str, Any]:
    """The settings the user wrote, each checked by the model that owns its key.

    Returns only the keys the user set (defaults stay with the code that
    reads them).  Raises ``YamlFileError`` naming ``settings.<key>`` and its line.
    """
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise doc.error(("settings",), _("must be a mapping of setting: value"))
    owners: dict[str, type[BaseModel]] = {}
    for model in (CoreSettings, *models):
        for key in model.model_fields:
            owners.setdefault(key, model)
    for key in raw:
        if key not in owners:
            close = difflib.get_close_matches(str(key), owners, n=1, cutoff=0.6)
            hint = (_("unknown setting; did you mean {name!r}?").format(name=close[0]) if close else
                    _("unknown setting; known: {names}").format(names=", ".join(sorted(owners))))
            raise doc.error(("settings", key), hint)
    for model in {owners[key] for key in raw}:
        try:
            model.model_validate({k: v for k, v in raw.items() if owners[k] is model})
        except ValidationError as exc:
            raise doc.error_from_validation(exc, prefix=("settings",)) from None
    return dict(raw)


def require_resolver_in_scope(doc: YamlDocument, settings: Mapping[str, Any], scope: Any) -> None:
    """A resolver is a target like any other: it receives our queries, so it must be authorised."""
    value = settings.get("dns_resolver")
    if value is None:
        return
    address, _port = resolver_address(value)
    if not scope.address_allowed(address):
        raise doc.error(("settings", "dns_resolver"),
                        _("resolver {address} is outside the authorised scope; it would receive the scan's "
                          "queries").format(address=address))

