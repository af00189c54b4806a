"""Real servers with known accounts on loopback: OpenSSH sshd, MariaDB, PostgreSQL, nginx basic auth.

Each is the distribution's own server binary, configured in a temporary
folder, listening on one 127.0.27.x address, and stopped by the test.
``sshd`` needs a system account (it checks /etc/shadow): the fixture
creates one with a no-login shell and deletes it again, so only this
test's sshd (bound to loopback, ``AllowUsers`` that account) accepts it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from auditor.demo.daemon import Daemon, DaemonError, binary


def _run(argv: list[str], **kwargs: object) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, **kwargs)  # type: ignore[call-overload]
    if done.returncode:
        raise DaemonError(f"{argv[0]} failed: {(done.stderr or done.stdout)[-400:]}")


class Sshd:
    """OpenSSH's sshd on ``address:port`` accepting password logins for one temporary system account."""

    def __init__(self, folder: Path, address: str, port: int, user: str, password: str) -> None:
        sshd = binary("sshd", "openssh-server")
        if os.geteuid() != 0:
            raise DaemonError("creating the test's system account needs root")
        folder.mkdir(parents=True, exist_ok=True)
        self.user, self.created = user, False
        try:
            pwd.getpwnam(user)
        except KeyError:
            _run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
            self.created = True
        _run(["chpasswd"], input=f"{user}:{password}\n")
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "host_key")])
        Path("/run/sshd").mkdir(exist_ok=True)
        config = folder / "sshd_config"
        config.write_text(
            f"ListenAddress {address}:{port}\nHostKey {folder / 'host_key'}\nPidFile {folder / 'sshd.pid'}\n"
            f"UsePAM no\nPasswordAuthentication yes\nKbdInteractiveAuthentication no\nPermitRootLogin no\n"
            f"AllowUsers {user}\nStrictModes no\nMaxStartups 50\nLogLevel VERBOSE\n", encoding="utf-8")
        try:
            self.daemon = Daemon("sshd", [sshd, "-D", "-e", "-f", str(config)], [(address, port)], log=folder / "sshd.log")
        except DaemonError:
            self._remove_user()
            raise

    def _remove_user(self) -> None:
        if self.created:
            subprocess.run(["userdel", self.user], capture_output=True, timeout=30)

    def stop(self) -> None:
        self.daemon.stop()
        self._remove_user()


class MariaDb:
    """MariaDB initialised as ``mysql_install_db --auth-root-authentication-method=normal`` leaves it: root, no password."""

    def __init__(self, folder: Path, address: str, port: int) -> None:
        install = binary("mariadb-install-db", "mariadb-server")
        server = binary("mariadbd", "mariadb-server")
        data = folder / "data"
        data.mkdir(parents=True, exist_ok=True)
        self.socket = folder / "mysql.sock"
        _run([install, "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=normal",
              "--user=root", "--skip-test-db"])
        self.daemon = Daemon("mariadbd", [server, "--no-defaults", f"--datadir={data}", f"--socket={self.socket}",
                                          f"--port={port}", f"--bind-address={address}", "--user=root",
                                          f"--pid-file={folder / 'mariadb.pid'}", "--skip-log-bin"],
                             [(address, port)], log=folder / "mariadb.log", timeout=60)

    def stop(self) -> None:
        self.daemon.stop()


def _postgres_bin(name: str) -> str:
    found = shutil.which(name) or next((str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None)
    if found is None:
        raise DaemonError(f"{name} is not installed (apt-get install postgresql)")
    return found


class Postgres:
    """PostgreSQL (initdb + postgres, run as the ``postgres`` account) with password (scram) logins over TCP."""

    def __init__(self, address: str, port: int, password: str) -> None:
        initdb, server = _postgres_bin("initdb"), _postgres_bin("postgres")
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise DaemonError("the postgres system account is missing (apt-get install postgresql)") from None
        self.folder = Path(tempfile.mkdtemp(prefix="auditor-pg-"))  # outside pytest's root-only folders
        shutil.chown(self.folder, "postgres")
        (self.folder / "pw").write_text(password + "\n")
        shutil.chown(self.folder / "pw", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
        data = self.folder / "data"
        _run(as_postgres + [initdb, "-D", str(data), "-U", "postgres", "--auth=scram-sha-256",
                            f"--pwfile={self.folder / 'pw'}"])
        (data / "pg_hba.conf").write_text("host all all 127.0.0.0/8 scram-sha-256\n")
        self.daemon = Daemon("postgres", as_postgres + [server, "-D", str(data), "-k", str(self.folder),
                                                         "-h", address, "-p", str(port)],
                             [(address, port)], log=self.folder / "postgres.log", timeout=60)
        ready = _postgres_bin("pg_isready")
        deadline = time.monotonic() + 60
        while subprocess.run([ready, "-q", "-h", address, "-p", str(port)], timeout=30).returncode:
            if time.monotonic() > deadline:
                self.stop()
                raise DaemonError(f"postgres did not accept connections: {self.daemon.log_tail()}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.daemon.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class BasicAuthSite:
    """An nginx site (for ``auditor.demo.nginx.RunningNginx``) whose ``path`` asks for HTTP basic auth."""

    address: str
    port: int
    root: Path
    htpasswd: Path
    path: str = "/"
    redirect: str | None = None
    """Where ``/manager/html`` redirects to (a decoy: the probe must not follow it)."""

    def block(self) -> str:
        moved = f"        location = /manager/html {{ return 302 {self.redirect}; }}\n" if self.redirect else ""
        return (
            "    server {\n"
            f"        listen {self.address}:{self.port};\n"
            f"        root {self.root};\n"
            f"        location {self.path} {{ auth_basic \"Router\"; auth_basic_user_file {self.htpasswd}; }}\n"
            f"{moved}"
            "    }\n"
        )


def htpasswd(path: Path, user: str, password: str) -> Path:
    """An htpasswd line in nginx's ``{SSHA}`` scheme (salted SHA-1)."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    path.write_text(f"{user}:{{SSHA}}{base64.b64encode(digest + salt).decode()}\n", encoding="utf-8")
    return path

