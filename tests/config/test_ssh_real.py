"""A real OpenSSH server on loopback: weak settings fail, hardened ones pass.

The same sshd_config runs the live server (seen remotely through nmap) and
sits in a planted tree read by the collector (``sshd -T -f`` on it), so the
bundle checks and the remote checks judge one and the same server.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from auditor.demo.parts.config import WEAK_SSHD, sshd_unavailable, start_sshd, write_sshd_tree
from auditor.demo.services import free_port
from auditor.model import Status

pytestmark = pytest.mark.probe

HARDENED = """\
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
"""
BUNDLE_CHECKS = ("config.ssh.root_login", "config.ssh.password_auth", "config.ssh.weak_algorithms")
REMOTE_CHECKS = ("config.remote.ssh_weak_algorithms", "config.remote.ssh_password_auth")


@pytest.fixture(scope="module")
def sshd_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    """Two real sshd processes (weak, hardened), each with its config planted in a tree."""
    reason = sshd_unavailable() or (None if shutil.which("nmap") else "nmap is not installed")
    if reason:
        pytest.skip(reason)
    servers: dict[str, dict[str, Any]] = {}
    running = []
    try:
        for index, (label, settings) in enumerate((("weak", WEAK_SSHD), ("hardened", HARDENED))):
            root = tmp_path_factory.mktemp(f"sshd-{label}")
            config = write_sshd_tree(root, settings, f"ssh-{label}")
            address = f"127.20.160.{index + 1}"
            running.append(start_sshd(config, address, free_port(address)))
            servers[label] = {"root": root, "address": address, "port": running[-1].port}
        yield servers
    finally:
        for server in running:
            server.stop()


@pytest.fixture(scope="module")
def findings(sshd_servers: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory,
             collector_script: Path, scan_config: Callable[..., Any]) -> dict[tuple[str, str], Any]:
    """One scan: both servers as hosts (remote probe) and their planted trees as bundles."""
    work = tmp_path_factory.mktemp("ssh-scan")
    bundles = work / "bundles"
    bundles.mkdir()
    for label, server in sshd_servers.items():
        subprocess.run(["sh", str(collector_script), "--root", str(server["root"]), "-o", str(bundles / f"{label}.json")],
                       check=True, timeout=60, capture_output=True)
    hosts = [{"name": f"ssh-{label}.testowa.test", "addresses": [s["address"]], "ports": [{"port": s["port"], "service": "ssh"}]}
             for label, s in sshd_servers.items()]
    return scan_config(work, hosts=hosts, sources=[{"type": "config_bundles", "name": "ssh", "path": str(bundles)}])


def test_weak_server_fails_root_login_password_auth_and_algorithms(findings: dict, sshd_servers: dict) -> None:
    for check_id in BUNDLE_CHECKS:
        assert findings[(check_id, "ssh-weak")].status is Status.FAIL, check_id
    weak = findings[("config.ssh.weak_algorithms", "ssh-weak")]
    assert {"3des-cbc", "aes128-cbc", "diffie-hellman-group1-sha1", "hmac-md5"} <= set(weak.facts["offending"])
    assert "3des-cbc" in weak.message["en"]
    subject = f"{sshd_servers['weak']['address']}:{sshd_servers['weak']['port']}"
    for check_id in REMOTE_CHECKS:
        assert findings[(check_id, subject)].status is Status.FAIL, check_id
    assert "diffie-hellman-group1-sha1" in findings[("config.remote.ssh_weak_algorithms", subject)].facts["offending"]


def test_hardened_server_passes(findings: dict, sshd_servers: dict) -> None:
    for check_id in BUNDLE_CHECKS:
        assert findings[(check_id, "ssh-hardened")].status is Status.PASS, check_id
    subject = f"{sshd_servers['hardened']['address']}:{sshd_servers['hardened']['port']}"
    for check_id in REMOTE_CHECKS:
        assert findings[(check_id, subject)].status is Status.PASS, check_id


def test_bundle_read_the_effective_config_through_sshd_t(findings: dict) -> None:
    root_login = findings[("config.ssh.root_login", "ssh-weak")]
    assert root_login.facts["values"] == {"ssh.permit_root_login": "yes"}
