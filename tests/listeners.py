"""A listener that accepts, says nothing and holds the connection: nmap's version scan then waits on it.

Shared by tests that need a slow, real probe (a cluster lost mid-probe, an authorisation window
closing mid-scan).  ``connections`` counts what reached it; ``touched`` is set at the first one.
For a decoy that closes at once and also counts UDP, see ``hostile/scope_lab.Decoy``.
"""

from __future__ import annotations

import socket
import threading


class SilentListener:
    def __init__(self, address: str) -> None:
        self.connections = 0
        self.touched = threading.Event()
        self._sock = socket.create_server((address, 0))
        self.address, self.port = self._sock.getsockname()[:2]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        held = []
        while True:
            try:
                held.append(self._sock.accept()[0])
            except OSError:
                return
            self.connections += 1
            self.touched.set()

    def stop(self) -> None:
        self._sock.close()
