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
from typing import Any, Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor.yamlfile import YamlDocument



class SettingsModel(BaseModel):
    """Base of every settings model: all keys optional; ``validate_settings`` refuses keys nobody owns."""

    model_config = ConfigDict(extra="ignore")


class CoreSettings(SettingsModel):
    timeout: float = Field(default=120, gt=0, le=3600)
    """Seconds per probe job."""
    max_workers: int = Field(default=16, ge=1, le=256)
    per_host_concurrency: int = Field(default=2, ge=1, le=64)
    dns_resolver: str | None = None
    """The resolver probes ask (``addr``, ``addr:port``, ``[v6]:port``); it must lie in the scope."""

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
        address, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":") or "53"
    elif text.count(":") == 1:
        address, port_text = text.split(":")
    else:
        address, port_text = text, "53"
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address with an optional port (e.g. 10.0.0.53:53)") from None
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(f"{value!r}: the port must be 1-65535")
    return address, int(port_text)


def validate_settings(doc: YamlDocument, raw: Any, models: Iterable[type[BaseModel]]) -> dict[str, Any]:
    """The settings the user wrote, each checked by the model that owns its key.

    Returns only the keys the user set (defaults stay with the code that
    reads them).  Raises ``YamlFileError`` naming ``settings.<key>`` and its line.
    """
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise doc.error(("settings",), "must be a mapping of setting: value")
    owners: dict[str, type[BaseModel]] = {}
    for model in (CoreSettings, *models):
        for key in model.model_fields:
            owners.setdefault(key, model)
    for key in raw:
        if key not in owners:
            close = difflib.get_close_matches(str(key), owners, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(owners))}"
            raise doc.error(("settings", key), f"unknown setting{hint}")
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
    address, _ = resolver_address(value)
    if not scope.address_allowed(address):
        raise doc.error(("settings", "dns_resolver"),
                        f"resolver {address} is outside the authorised scope; it would receive the scan's queries")

