"""The table of services that should not face an office network unprotected.

Kept as data (``risky_services.yaml``) so an auditor can adjust it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from auditor.model import Severity
from auditor.yamlfile import load_shipped

_TABLE = Path(__file__).with_name("risky_services.yaml")


@dataclass(frozen=True)
class RiskyService:
    key: str
    ports: tuple[int, ...]
    nmap_names: tuple[str, ...]
    severity: Severity
    why_pl: str
    why_en: str


@lru_cache(maxsize=1)
def risky_services() -> tuple[RiskyService, ...]:
    data = load_shipped(_TABLE.read_text(encoding="utf-8"))
    return tuple(
        RiskyService(
            key=key,
            ports=tuple(entry.get("ports", ())),
            nmap_names=tuple(entry.get("nmap_names", ())),
            severity=Severity(entry["severity"]),
            why_pl=entry["why"]["pl"],
            why_en=entry["why"]["en"],
        )
        for key, entry in data["services"].items()
    )


def risky_ports() -> list[int]:
    return sorted({port for service in risky_services() for port in service.ports})


def classify(port: int, nmap_name: str | None) -> RiskyService | None:
    """The risky service on an open port: by nmap's service name first, then by port."""
    name = (nmap_name or "").lower()
    if name:
        for service in risky_services():
            if name in service.nmap_names:
                return service
        if name not in ("unknown", "tcpwrapped"):
            return None  # nmap identified something harmless on a risky-looking port
    for service in risky_services():
        if port in service.ports:
            return service
    return None
