"""Scope-escape lab: an in-scope server that points elsewhere, and a decoy that counts.

Tests use 127.123.30.0/24 as the authorised scope and 127.123.31.5 as the
out-of-scope decoy.  A ``Decoy`` accepts on a real socket and counts every
connection (TCP) or datagram (UDP); every scope test asserts it stays at 0.
"""

from __future__ import annotations

import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

SCOPE = "127.123.30.0/24"
IN_SCOPE = "127.123.30.14"
DECOY = "127.123.31.5"


class Decoy:
    """An out-of-scope listener (TCP and UDP on the same port) counting what reaches it."""

    def __init__(self, address: str = DECOY, port: int = 0) -> None:
        self.tcp = socket.socket()
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((address, port))
        self.tcp.listen(64)
        self.tcp.settimeout(0.1)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((address, self.port))
        self.udp.settimeout(0.1)
        self.address = address
        self.connections = 0
        self.datagrams = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True),
                         threading.Thread(target=self._receive, daemon=True)]
        for thread in self._threads:
            thread.start()

    @property
    def total(self) -> int:
        return self.connections + self.datagrams

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                self.udp.recvfrom(4096)
            except OSError:
                continue
            self.datagrams += 1

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self.tcp.close()
        self.udp.close()


class PointingServer:
    """A real HTTP(S) server answering every request with ``respond(path) -> (status, headers, body)``.

    Records the Host header of each request it served, so a test can tell
    the request that came to the checked address carried the name.
    """

    def __init__(self, respond: Callable[[str], tuple[int, dict[str, str], bytes]], address: str = IN_SCOPE,
                 tls: ssl.SSLContext | None = None) -> None:
        hosts: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                hosts.append(self.headers.get("Host", ""))
                status, headers, body = respond(self.path)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.hosts = hosts
        self.address = address
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def redirect_to(location: str) -> Callable[[str], tuple[int, dict[str, str], bytes]]:
    return lambda path: (302, {"Location": location}, b"")
