"""The inventory every TLS lab of these tests scans: one test gmina, the lab's CA trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def write_tls_inventory(folder: Path, domain: str, hosts: list[dict[str, Any]], ca_cert: Path) -> Path:
    inventory = folder / "inventory.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Testowa", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.0.0/8"], "domains": [domain]},
        "settings": {"timeout": 60, "tls_ca_file": str(ca_cert)},
        "hosts": hosts,
    }), encoding="utf-8")
    return inventory
