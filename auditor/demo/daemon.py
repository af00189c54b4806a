"""Start and stop a real server daemon in the foreground (demo lab and tests).

Samba, Postfix, BIND, Unbound and xrdp all run here the same way: a
foreground process on loopback addresses and unprivileged ports, with every
file it writes in a folder the caller owns.  ``Daemon`` waits until every
listening address answers and ``stop()`` ends exactly the process it started.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path


class DaemonError(OSError):
    """The server binary is missing, rejected its configuration or did not start listening."""


def binary(name: str, package: str) -> str:
    """The path of ``name`` (also looked up in the sbin folders a non-root PATH lacks)."""
    found = shutil.which(name) or next((str(p) for p in (Path("/usr/sbin") / name, Path("/usr/lib/postfix/sbin") / name)
                                        if p.exists()), None)
    if found is None:
        raise DaemonError(f"{name} is not installed (apt-get install {package})")
    return found


class Daemon:
    """A started foreground process listening on ``listens`` (TCP ``(address, port)`` pairs)."""

    def __init__(self, name: str, argv: list[str], listens: list[tuple[str, int]], *, log: Path,
                 timeout: float = 20.0) -> None:
        self.name = name
        self.listens = listens
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            # A session of its own: smbd signals its whole process group when it stops, which would
            # otherwise be the caller's (the test runner, ``auditor demo``).
            self._process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                             start_new_session=True)
        self._wait_listening(timeout)

    def _wait_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = list(self.listens)
        while pending:
            if self._process.poll() is not None:
                raise DaemonError(f"{self.name} exited with {self._process.returncode}: {self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise DaemonError(f"{self.name} did not listen on {pending} within {timeout:.0f} s: {self.log_tail()}")
            try:
                with socket.create_connection(pending[0], timeout=0.5):
                    pending.pop(0)
            except OSError:
                time.sleep(0.1)

    def log_tail(self, chars: int = 600) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:].strip()
        except OSError:
            return ""

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
