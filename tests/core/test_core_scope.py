"""Scope is enforced before any packet: a refused target never sees a connection."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from auditor.engine import plan
from auditor.inventory import load_inventory
from auditor.model import AttemptStatus, ErrorReason, Status
from auditor.registry import default_registry
from auditor.scan import run_scan
from auditor.scope import OutOfScope, ScopeGuard


class CountingListener:
    """A real listening socket that counts the connections it accepts."""

    def __init__(self, address: str) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((address, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def test_guard_rules() -> None:
    guard = ScopeGuard.from_lists(["127.0.30.0/24", "::1/128"], ["gmina.test"],
                                  resolver=lambda name: {"www.gmina.test": ["127.0.30.7"],
                                                         "evil.gmina.test": ["127.0.30.8", "127.0.99.1"]}.get(name, []))
    assert guard.require_host("www.gmina.test") == ["127.0.30.7"]
    assert guard.address_allowed("::1")
    for host in ("evil.gmina.test", "www.other.test", "127.0.31.1", "nxdomain.gmina.test"):
        with pytest.raises(OutOfScope):
            guard.require_host(host)
    with pytest.raises(OutOfScope):
        guard.require_url("http://10.0.0.1/")


def test_name_resolving_outside_scope_is_refused_and_never_contacted(write_inventory, loopback_address) -> None:
    """DNS-rebinding style: an in-scope name resolving to an out-of-scope address."""
    listener = CountingListener(loopback_address)
    try:
        path = write_inventory(
            scope={"cidrs": ["127.0.200.0/24"], "domains": ["testowa.test"]},
            hosts=[{"name": "www.testowa.test", "ports": [listener.port]}],
        )
        inventory = load_inventory(path, resolver=lambda name: [loopback_address])
        jobs, refused = plan(default_registry().probes.values(), inventory.targets, inventory.scope)
        assert jobs == []
        assert {a.error_reason for a in refused} == {ErrorReason.OUT_OF_SCOPE}
        run = run_scan(inventory, default_registry())
        assert {a.status for a in run.attempts} == {AttemptStatus.SKIPPED}
        assert run.findings and {f.status for f in run.findings} == {Status.ERROR}
        assert all("outside the authorised scope" in f.message["en"] for f in run.findings)
        assert listener.accepted == 0
    finally:
        listener.close()


def test_inventory_address_outside_scope_is_an_input_error(write_inventory) -> None:
    from auditor.yamlfile import YamlFileError

    path: Path = write_inventory(scope={"cidrs": ["127.0.200.0/24"]},
                                 hosts=[{"name": "a", "addresses": ["127.0.0.1"]}])
    with pytest.raises(YamlFileError, match="outside the authorised scope"):
        load_inventory(path)
