"""Misbehaving servers for the hostile-lab tests, all on loopback.

Each is a real listening socket with a thread per connection; each stops
with ``stop()``.  They misbehave on purpose: garbage instead of TLS, a
tarpit that accepts and never answers, a handshake cut in the middle, an
HTTP body that never ends or is 100 MB, a redirect loop, enormous headers.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from typing import Callable

Handler = Callable[[socket.socket, threading.Event], None]


@dataclass
class HostileServer:
    name: str
    address: str
    handler: Handler
    port: int = 0
    _sock: socket.socket = field(init=False, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    connections: int = 0

    def __post_init__(self) -> None:
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((self.address, self.port))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True, name=f"hostile-{self.name}").start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self.handler(conn, self._stop)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()


def _read_request(conn: socket.socket) -> bytes:
    conn.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def garbage(conn: socket.socket, stop: threading.Event) -> None:
    """Answers anything (a ClientHello included) with random bytes."""
    conn.settimeout(10)
    conn.recv(4096)
    conn.sendall(os.urandom(4096))


def tarpit(conn: socket.socket, stop: threading.Event) -> None:
    """Accepts and never says a word until the test ends."""
    stop.wait(600)


def close_mid_handshake(conn: socket.socket, stop: threading.Event) -> None:
    """Reads the ClientHello, sends the first bytes of a ServerHello record, hangs up."""
    conn.settimeout(10)
    conn.recv(4096)
    conn.sendall(b"\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03")


def endless_body(conn: socket.socket, stop: threading.Event) -> None:
    """A chunked HTTP response that never ends."""
    _read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n")
    chunk = b"A" * 8192
    while not stop.is_set():
        conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def huge_body(conn: socket.socket, stop: threading.Event) -> None:
    """Announces and starts sending a 100 MB body."""
    _read_request(conn)
    size = 100 * 1024 * 1024
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: text/html\r\n\r\n" % size)
    block = b"B" * 65536
    for _ in range(size // len(block)):
        if stop.is_set():
            return
        conn.sendall(block)


def redirect_loop(conn: socket.socket, stop: threading.Event) -> None:
    request = _read_request(conn)
    path = request.split(b" ")[1] if b" " in request else b"/"
    target = b"/a" if path != b"/a" else b"/b"
    conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % target)


def enormous_headers(conn: socket.socket, stop: threading.Event) -> None:
    """Thousands of header lines, one of them a megabyte long."""
    _read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    conn.sendall(b"X-Big: " + b"x" * (1024 * 1024) + b"\r\n")
    for i in range(5000):
        if stop.is_set():
            return
        conn.sendall(b"X-H%d: %s\r\n" % (i, b"y" * 100))
    conn.sendall(b"Content-Length: 2\r\n\r\nok")


def slow_drip(conn: socket.socket, stop: threading.Event) -> None:
    """Valid headers, then one body byte every two seconds."""
    _read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    while not stop.wait(2):
        conn.sendall(b".")
