"""Lab part for the config family (127.0.10.60: an SSH server with weak settings).

A real OpenSSH server (``/usr/sbin/sshd``) runs with root login, passwords
and legacy algorithms allowed; the same sshd_config sits in a planted system
tree that the Linux collector reads (``--root``), next to one month of
journald retention, so the lab's bundle folder and the remote nmap view show
the same server.  Without sshd (or without the right to start it) the server
is skipped and only the bundle is offered.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from auditor.checks.config.collectors import collector_source
from auditor.demo.lab import LAB_DOMAIN, LabPart

log = logging.getLogger(__name__)

SSHD = "/usr/sbin/sshd"
ADDRESS = "127.0.10.60"
PORT = 2222
HOST = f"ssh.{LAB_DOMAIN}"
#: Deliberately weak: what the lab's findings (and the tests) expect to fail.
WEAK_SSHD = """\
PermitRootLogin yes
PasswordAuthentication yes
KbdInteractiveAuthentication yes
Ciphers +aes128-cbc,3des-cbc
KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha1
MACs +hmac-md5
"""
_TREE = {
    "etc/systemd/journald.conf": "[Journal]\nStorage=persistent\nMaxRetentionSec=1month\n",
    "etc/login.defs": "PASS_MAX_DAYS 90\nPASS_MIN_DAYS 0\n",
    "etc/pam.d/common-password": "password [success=1 default=ignore] pam_unix.so obscure yescrypt\n",
    "etc/pam.d/common-auth": "auth [success=1 default=ignore] pam_unix.so nullok\n",
}


@dataclass
class SshdProcess:
    """A running sshd; ``stop()`` ends it (the lab's service protocol)."""

    address: str
    port: int
    process: subprocess.Popen[bytes] = field(repr=False)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def sshd_unavailable() -> str | None:
    """Why a test sshd cannot run here, or ``None`` when it can."""
    if not os.path.exists(SSHD) or shutil.which("ssh-keygen") is None:
        return "openssh-server is not installed"
    if not os.path.isdir("/run/sshd") and os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # what the package's tmpfiles rule does at boot
    return None if os.path.isdir("/run/sshd") else "/run/sshd is missing (sshd's privilege separation directory)"


def write_sshd_tree(root: Path, settings: str, hostname: str) -> Path:
    """A planted system tree with a host key and ``etc/ssh/sshd_config``; returns the config path."""
    key = root / "host_ed25519"
    config = root / "etc/ssh/sshd_config"
    config.parent.mkdir(parents=True, exist_ok=True)
    if not key.exists():
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)
    config.write_text(f"HostKey {key}\nPidFile none\n{settings}", encoding="utf-8")
    (root / "etc/hostname").write_text(f"{hostname}\n", encoding="utf-8")
    return config


def start_sshd(config: Path, address: str, port: int, *, timeout: float = 10) -> SshdProcess:
    """Starts ``sshd -D`` on ``address:port`` and waits until it accepts connections."""
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config), "-p", str(port), "-o", f"ListenAddress={address}"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
            raise RuntimeError(f"sshd exited: {detail[:300]}")
        try:
            socket.create_connection((address, port), timeout=0.5).close()
            return SshdProcess(address, port, process)
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError(f"sshd did not listen on {address}:{port} within {timeout:.0f} s")


def collect_tree(root: Path, bundle: Path) -> Path:
    """Runs the shipped Linux collector on a planted tree."""
    script = root.parent / "collector.sh"
    script.write_text(collector_source("linux"), encoding="utf-8")
    subprocess.run(["sh", str(script), "--root", str(root), "-o", str(bundle)], check=True, timeout=120,
                   stdin=subprocess.DEVNULL, capture_output=True)
    return bundle


def start(workdir: Path) -> LabPart:
    """The weak SSH server (when sshd can run) and a folder with its configuration bundle."""
    root = workdir / "config" / "ssh-root"
    bundles = workdir / "config" / "bundles"
    bundles.mkdir(parents=True, exist_ok=True)
    for name, content in _TREE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    part = LabPart(sources=[{"type": "config_bundles", "name": "konfiguracja-serwerow", "path": str(bundles)}])
    reason = sshd_unavailable()
    config = write_sshd_tree(root, WEAK_SSHD, HOST) if reason is None else None
    if config is not None:
        try:
            part.services.append(start_sshd(config, ADDRESS, PORT))
            part.hosts.append({"name": HOST, "addresses": [ADDRESS], "ports": [{"port": PORT, "service": "ssh"}],
                               "roles": ["ssh"]})
        except RuntimeError as exc:
            reason = str(exc)
    if reason is not None:
        log.warning("config lab part: no SSH server (%s); the bundle folder is still scanned", reason)
        (root / "etc/hostname").write_text(f"{HOST}\n", encoding="utf-8")
    collect_tree(root, bundles / f"{HOST}.json")
    return part
