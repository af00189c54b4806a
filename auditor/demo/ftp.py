"""A real FTP server (pyftpdlib) for the demo lab and the tests: local accounts, a chosen banner.

pyftpdlib is a complete FTP server (RFC 959 login, 530 on a wrong
password, 421 when it refuses), so ``ftplib`` and nmap talk to it exactly as
to vsftpd; running it in-process needs no system users and no root.
``connections`` counts every TCP connection it accepted, for tests that
must prove nothing reached it.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from typing import Any, Mapping

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import ThreadedFTPServer

# pyftpdlib logs every session at INFO (to stderr when no logging is set up); the lab's server must not
# write the lab's account names into the scanner's terminal or log.
_LOG = logging.getLogger("pyftpdlib")
_LOG.addHandler(logging.NullHandler())
_LOG.setLevel(logging.WARNING)
_LOG.propagate = False


class RunningFtp:
    """A started FTP server on ``address:port`` with ``users`` (name → password); ``stop()`` ends it."""

    def __init__(self, address: str, port: int, users: Mapping[str, str], banner: str = "(vsFTPd 3.0.3)",
                 failed_login_delay: float = 1.0) -> None:
        self._home = tempfile.TemporaryDirectory(prefix="auditor-ftp-")
        authorizer = DummyAuthorizer()
        for name, password in users.items():
            authorizer.add_user(name, password, self._home.name, perm="elr")
        self.connections = 0
        owner = self

        class Handler(FTPHandler):
            def on_connect(self) -> None:
                owner.connections += 1

        Handler.authorizer = authorizer
        Handler.banner = banner
        Handler.timeout = 30
        Handler.auth_failed_timeout = failed_login_delay  # seconds before "530": vsftpd's delay_failed_login is 1
        # its own event loop: pyftpdlib's default is one per process, which two servers in two threads would share
        self._server = ThreadedFTPServer((address, port), Handler, ioloop=IOLoop())
        self.address, self.port = self._server.address[:2]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"ftp-{address}", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        # one poll at a time, so the loop and the closing happen in this thread only
        while not self._stopping.is_set():
            self._server.serve_forever(timeout=0.2, blocking=False, handle_exit=False)
        self._server.close_all()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)
        self._home.cleanup()

    def __enter__(self) -> "RunningFtp":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
