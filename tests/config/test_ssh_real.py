"""A real OpenSSH server on loopback: weak settings fail, hardened ones pass.

The same sshd_config runs the live server (seen remotely through nmap) and
sits in a planted tree read by the collector (``sshd -T -f`` on it), so the
bundle checks and the remote checks judge one and the same server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from auditor.demo.services import free_port
from auditor.model import Status

pytestmark = pytest.mark.probe

SSHD = "/usr/sbin/sshd"
WEAK = """\
PermitRootLogin yes
PasswordAuthentication yes
KbdInteractiveAuthentication yes
Ciphers +aes128-cbc,3des-cbc
KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha1
MACs +hmac-md5
"""
HARDENED = """\
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
"""
BUNDLE_CHECKS = ("config.ssh.root_login", "config.ssh.password_auth", "config.ssh.weak_algorithms")
REMOTE_CHECKS = ("config.remote.ssh_weak_algorithms", "config.remote.ssh_password_auth")


def _privsep_ready() -> bool:
    """sshd refuses to start without /run/sshd; as root the test may create it, as the package would."""
    if not os.path.isdir("/run/sshd") and os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    return os.path.isdir("/run/sshd")


def _wait_for(address: str, port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sshd exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            socket.create_connection((address, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("sshd did not start listening")


@pytest.fixture(scope="module")
def sshd_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    """Two real sshd processes (weak, hardened), each with its config planted in a tree."""
    if not os.path.exists(SSHD) or shutil.which("ssh-keygen") is None or shutil.which("nmap") is None:
        pytest.skip("openssh-server, ssh-keygen and nmap are needed")
    if not _privsep_ready():
        pytest.skip("/run/sshd is missing and cannot be created")
    servers: dict[str, dict[str, Any]] = {}
    processes = []
    try:
        for index, (label, settings) in enumerate((("weak", WEAK), ("hardened", HARDENED))):
            root = tmp_path_factory.mktemp(f"sshd-{label}")
            key = root / "host_ed25519"
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)
            config = root / "etc/ssh/sshd_config"
            config.parent.mkdir(parents=True)
            config.write_text(f"HostKey {key}\nPidFile none\n{settings}", encoding="utf-8")
            (root / "etc/hostname").write_text(f"ssh-{label}\n", encoding="utf-8")
            address = f"127.20.160.{index + 1}"
            port = free_port(address)
            process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config), "-p", str(port),
                                        "-o", f"ListenAddress={address}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            processes.append(process)
            _wait_for(address, port, process)
            servers[label] = {"root": root, "address": address, "port": port}
        yield servers
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def findings(sshd_servers: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory,
             collector_script: Path) -> dict[tuple[str, str], Any]:
    """One scan: both servers as hosts (remote probe) and their planted trees as bundles."""
    from conftest import _scan  # the module-scoped fixture cannot use the function-scoped scan_config

    work = tmp_path_factory.mktemp("ssh-scan")
    bundles = work / "bundles"
    bundles.mkdir()
    for label, server in sshd_servers.items():
        subprocess.run(["sh", str(collector_script), "--root", str(server["root"]), "-o", str(bundles / f"{label}.json")],
                       check=True, timeout=60, capture_output=True)
    hosts = [{"name": f"ssh-{label}.testowa.test", "addresses": [s["address"]], "ports": [{"port": s["port"], "service": "ssh"}]}
             for label, s in sshd_servers.items()]
    return _scan(work, hosts=hosts, sources=[{"type": "config_bundles", "name": "ssh", "path": str(bundles)}])


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
