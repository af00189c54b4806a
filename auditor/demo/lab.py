"""The demo lab: a small, deliberately imperfect gmina on loopback addresses.

Every service is real and listening; the inventory is written next to the
results so the user can read exactly what was scanned.  Families extend the
lab by adding a starter to ``LAB_PARTS``: a function that starts what it
needs inside the lab folder and returns the services it started plus the
inventory fragments that describe them.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from auditor.demo.services import RunningService, banner_service, ftp_reply, http_service

LAB_NETWORK = "127.0.10.0/24"
LAB_DOMAIN = "przykladowo.test"


@dataclass
class LabPart:
    """What one starter contributes: services to stop and inventory fragments."""

    services: list[Any] = field(default_factory=list)
    hosts: list[dict[str, Any]] = field(default_factory=list)
    domains: list[dict[str, Any]] = field(default_factory=list)
    systems: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)


def network_part(workdir: Path) -> LabPart:
    """A municipal website and a file server with a forgotten FTP service."""
    www = http_service("www", "127.0.10.1", 8080, headers={"Server": "nginx"})
    ftp = banner_service("ftp", "127.0.10.2", 2121, b"220 (vsFTPd 3.0.3)\r\n", ftp_reply)
    return LabPart(
        services=[www, ftp],
        hosts=[
            {"name": f"www.{LAB_DOMAIN}", "addresses": ["127.0.10.1"], "ports": [8080], "roles": ["www", "bip"]},
            {"name": f"pliki.{LAB_DOMAIN}", "addresses": ["127.0.10.2"], "ports": [], "roles": ["file-server"]},
        ],
    )


#: Starters run in order; each family adds its own.
LAB_PARTS: list[Callable[[Path], LabPart]] = [network_part]


def _merge_hosts(hosts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parts may describe the same host (by name): ports and roles are merged."""
    merged: dict[str, dict[str, Any]] = {}
    for host in hosts:
        into = merged.setdefault(host["name"], {"name": host["name"], "addresses": [], "ports": [], "roles": []})
        for key in ("addresses", "ports", "roles"):
            for value in host.get(key, []):
                if value not in into[key]:
                    into[key].append(value)
    return list(merged.values())


def inventory_document(parts: list[LabPart]) -> dict[str, Any]:
    # The lab's risky service listens on a high port (no root needed), so it is named explicitly.
    settings: dict[str, Any] = {"timeout": 60, "network_scan_risky_ports": False, "network_extra_ports": [2121]}
    for part in parts:
        settings.update(part.settings)
    return {
        "organisation": {
            "name": "Gmina Przykładowo (demo)",
            "kind": "gmina",
            "teryt": "0201011",
            "staff": 85,
            "entity_class": "important",
        },
        "scope": {"cidrs": [LAB_NETWORK], "domains": [LAB_DOMAIN]},
        "settings": settings,
        "hosts": _merge_hosts([h for p in parts for h in p.hosts]),
        "domains": [d for p in parts for d in p.domains],
        "systems": [s for p in parts for s in p.systems],
        "sources": [s for p in parts for s in p.sources],
    }


@contextlib.contextmanager
def running_lab(workdir: Path) -> Iterator[Path]:
    """Starts every lab part, writes ``inventory.yaml`` into ``workdir``, yields its path, stops all."""
    workdir.mkdir(parents=True, exist_ok=True)
    parts: list[LabPart] = []
    try:
        for starter in LAB_PARTS:
            parts.append(starter(workdir))
        inventory = workdir / "inventory.yaml"
        inventory.write_text(
            "# Written by `auditor demo`: the lab office on loopback.\n"
            + yaml.safe_dump(inventory_document(parts), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        yield inventory
    finally:
        for part in parts:
            for service in part.services:
                with contextlib.suppress(Exception):
                    service.stop()


__all__ = ["LAB_PARTS", "LabPart", "RunningService", "running_lab"]
