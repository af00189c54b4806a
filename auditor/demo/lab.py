"""The demo lab: a small, deliberately imperfect gmina on loopback addresses.

Every service is real and listening; the inventory is written next to the
results so the user can read exactly what was scanned.  Families extend the
lab with a module under ``auditor/demo/parts/``: a function that starts what it
needs inside the lab folder and returns the services it started plus the
inventory fragments that describe them (see ``lab_parts``).  Loopback
addresses are 127.0.10.x; each part documents the ones it uses.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml


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
    extensions: dict[str, Any] = field(default_factory=dict)
    """Inventory ``extensions`` sections (e.g. ``attestations``), merged by key."""


def lab_parts() -> list[Callable[[Path], LabPart]]:
    """The starters of ``auditor.demo.parts.*``, in module-name order.

    Each family adds its piece of the lab as one module there exposing
    ``start(workdir) -> LabPart``; no list to edit, so families don't collide.
    """
    import auditor.demo.parts as package

    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_"))
    return [importlib.import_module(f"{package.__name__}.{name}").start for name in names]


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
    settings: dict[str, Any] = {"timeout": 60, "network_scan_risky_ports": False}
    for part in parts:
        for key, value in part.settings.items():
            # list settings (extra ports ...) from several parts add up
            settings[key] = settings.get(key, []) + value if isinstance(value, list) else value
    return {
        "organisation": {
            "name": "Gmina Przykładowo (demo)",
            "kind": "gmina",
            "teryt": "0201011",
            "staff": 42,
            # below 50 staff a urząd gminy is an important entity (the rule as the sources state it;
            # baselines/data/entity_classes.yaml), so the declaration matches and no class warning shows
            "entity_class": "important",
        },
        "scope": {"cidrs": [LAB_NETWORK], "domains": [LAB_DOMAIN]},
        "settings": settings,
        "hosts": _merge_hosts([h for p in parts for h in p.hosts]),
        "domains": [d for p in parts for d in p.domains],
        "systems": [s for p in parts for s in p.systems],
        "sources": [s for p in parts for s in p.sources],
        "extensions": {k: v for p in parts for k, v in p.extensions.items()},
    }


@contextlib.contextmanager
def running_lab(workdir: Path) -> Iterator[Path]:
    """Starts every lab part, writes ``inventory.yaml`` into ``workdir``, yields its path, stops all."""
    workdir.mkdir(parents=True, exist_ok=True)
    parts: list[LabPart] = []
    try:
        for starter in lab_parts():
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


__all__ = ["LAB_DOMAIN", "LAB_NETWORK", "LabPart", "lab_parts", "running_lab"]
