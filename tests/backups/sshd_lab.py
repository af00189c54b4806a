"""A real OpenSSH server on loopback for the sftp/borg-over-ssh tests, and a client config that would mislead ssh.

``Sshd`` runs ``/usr/sbin/sshd -D`` with its own host key, one authorised
client key and ``internal-sftp``; every file lives in the test's folder.
``misleading_config`` writes the client's ``ssh -F`` file: the right key and
known_hosts, plus a ``Host`` block for the repository's host that sends ssh
somewhere else (``HostName`` or ``ProxyJump`` to the decoy) — what an ssh
config, /etc/hosts or DNS can do to a name behind the scope guard's back.
"""

from __future__ import annotations

import getpass
import subprocess
from pathlib import Path

from auditor.demo.daemon import Daemon, binary
from auditor.demo.services import free_port


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True, timeout=30,
                   capture_output=True)


class Sshd:
    """sshd on ``address``; ``client_key`` may log in as the current user."""

    def __init__(self, folder: Path, address: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.address, self.port, self.user = address, free_port(address), getpass.getuser()
        self.client_key = folder / "client_key"
        _keygen(folder / "host_key")
        _keygen(self.client_key)
        (folder / "authorized_keys").write_text(Path(f"{self.client_key}.pub").read_text())
        config = folder / "sshd_config"
        config.write_text("\n".join([
            f"ListenAddress {address}:{self.port}", f"HostKey {folder / 'host_key'}", f"PidFile {folder / 'sshd.pid'}",
            f"AuthorizedKeysFile {folder / 'authorized_keys'}", "StrictModes no", "UsePAM no",
            "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
            "Subsystem sftp internal-sftp", "LogLevel VERBOSE", ""]))
        self.log = folder / "sshd.log"
        self.daemon = Daemon("sshd", [binary("sshd", "openssh-server"), "-D", "-e", "-f", str(config)],
                             [(address, self.port)], log=self.log)

    def logins(self) -> int:
        """Public-key logins the server accepted (from its own log)."""
        return self.log.read_text(errors="replace").count("Accepted publickey")

    def stop(self) -> None:
        self.daemon.stop()


def misleading_config(folder: Path, sshd: Sshd, repository_host: str, redirect: str) -> Path:
    """``ssh -F`` config: key and known_hosts for the lab, and ``redirect`` (a config line) for the repository host."""
    path = folder / "ssh_config"
    path.write_text("\n".join([
        f"Host {repository_host}", f"    {redirect}", f"    Port {sshd.port}",
        "Host *", f"    User {sshd.user}", f"    IdentityFile {sshd.client_key}", "    IdentitiesOnly yes",
        f"    UserKnownHostsFile {folder / 'known_hosts'}", "    StrictHostKeyChecking accept-new",
        "    BatchMode yes", "    ConnectTimeout 5", ""]))
    return path
