"""Shared fixtures.  Only loopback addresses (127.0.0.0/8, ::1) are ever scanned."""

from __future__ import annotations

import itertools
import ipaddress
import os
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from auditor.demo.services import free_port
from auditor.i18n import set_language

# The suite reads the Polish output (Polish first) whatever the machine's locale; choosing the language
# from LANG/LC_*/LANGUAGE is tested by tests/e2e/test_e2e_i18n.py, which runs the CLI without this.
os.environ.setdefault("AUDITOR_LANG", "pl")

# Tests use 127.0.20.0/24 and above; the demo lab uses 127.0.10.0/24.
_NEXT_ADDRESS = itertools.count(1)
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0").lstrip("gw") or "0"


@pytest.fixture(autouse=True)
def _library_language() -> Any:
    """Library code speaks English unless a command chose otherwise; a CLI run in-process must not leak its choice."""
    yield
    set_language("en")


@pytest.fixture
def loopback_address() -> str:
    """A fresh loopback address per use, so tests never share a listener."""
    n = next(_NEXT_ADDRESS)
    address = f"127.{20 + int(_WORKER)}.{n // 250}.{n % 250 + 1}"
    assert ipaddress.ip_address(address).is_loopback
    return address


@pytest.fixture
def port_on() -> Callable[[str], int]:
    return free_port


@pytest.fixture
def write_inventory(tmp_path: Path) -> Callable[..., Path]:
    """Writes an inventory YAML scoped to loopback; keyword arguments extend it."""

    def write(**sections: Any) -> Path:
        document: dict[str, Any] = {
            "organisation": {"name": "Gmina Testowa", "kind": "gmina", "teryt": "0201011", "entity_class": "important"},
            "scope": {"cidrs": ["127.0.0.0/8"], "domains": ["testowa.test"]},
            "settings": {"timeout": 30, "network_scan_risky_ports": False},
        }
        document.update(sections)
        path = tmp_path / "inventory.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


def _server_missing(reason: str | None) -> None:
    """Skips a test whose real server cannot run here; under CI (``CI`` set) that is a failure.

    ``make test`` installs every server package, so in CI a missing one is a
    broken install step, never a reason to count a test as passed-by-skipping.
    """
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test against the real server, but: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server_missing() -> Callable[[str | None], None]:
    """``server_missing(reason)``: skip (fail under CI) when ``reason`` says a real server cannot run."""
    return _server_missing
