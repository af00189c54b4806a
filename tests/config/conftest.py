"""Helpers for the config family tests: run the real collector, scan a bundle folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from auditor.checks.config.bundle import SCHEMA_PATH
from auditor.checks.config.collectors import collector_source
from auditor.inventory import load_inventory
from auditor.model import Finding
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan


@pytest.fixture(scope="session")
def collector_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    script = tmp_path_factory.mktemp("collector") / "linux.sh"
    script.write_text(collector_source("linux"), encoding="utf-8")
    return script


@pytest.fixture(scope="session")
def bundle_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def run_collector(collector_script: Path) -> Callable[..., Path]:
    """Runs linux.sh (optionally on a planted ``root`` tree) and returns the bundle file it wrote."""

    def run(out: Path, root: Path | None = None, host: str | None = None) -> Path:
        argv = ["sh", str(collector_script), "-o", str(out)]
        if root is not None:
            argv += ["--root", str(root)]
        if host is not None:
            argv += ["--host", host]
        subprocess.run(argv, check=True, timeout=120, stdin=subprocess.DEVNULL, capture_output=True)
        return out

    return run


def _plant(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def plant() -> Callable[[Path, dict[str, str]], Path]:
    """Writes ``{"/etc/x": "content"}`` under a root folder (a planted system tree)."""
    return _plant


@pytest.fixture(scope="session")
def scan_config() -> Callable[..., dict[tuple[str, str], Finding]]:
    """Scans with the config family only; findings keyed by (check id, subject)."""
    return _scan


@pytest.fixture(scope="session")
def scan_servers() -> Callable[..., dict[tuple[str, str], Finding]]:
    """Scans real servers (``label → "address:port"``) as hosts ``<service>-<label>.testowa.test``."""
    return _scan_servers


def _scan_servers(tmp_path: Path, service: str, subjects: dict[str, str]) -> dict[tuple[str, str], Finding]:
    hosts = [{"name": f"{service}-{label}.testowa.test", "addresses": [subject.split(":")[0]],
              "ports": [{"port": int(subject.split(":")[1]), "service": service}]} for label, subject in subjects.items()]
    return _scan(tmp_path, hosts=hosts)


def _scan(tmp_path: Path, *, sources: list[dict[str, Any]] | None = None,
          hosts: list[dict[str, Any]] | None = None) -> dict[tuple[str, str], Finding]:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Testowa", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.0.0/8"], "domains": ["testowa.test"]},
        "settings": {"timeout": 60},
        "hosts": hosts or [],
        "sources": sources or [],
    }), encoding="utf-8")
    run = run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"config"}))
    return {(f.check_id, f.subject): f for f in run.findings}
