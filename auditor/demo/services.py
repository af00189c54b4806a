"""Tiny real network services for the demo lab and the tests.

Each is a real listening TCP socket on a loopback address, served from a
daemon thread, so nmap, sslyze and requests talk to them exactly as to a
production server.  They are deliberately minimal, not emulators.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


class _QuietErrors:
    """Scanners reset connections all the time; that is not worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        return


class _ReusableTCPServer(_QuietErrors, socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class _QuietHTTPServer(_QuietErrors, ThreadingHTTPServer):
    daemon_threads = True


@dataclass
class RunningService:
    """A started service; ``stop()`` closes its socket and thread."""

    name: str
    address: str
    port: int
    _server: socketserver.BaseServer = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _serve(name: str, server: socketserver.BaseServer) -> RunningService:
    thread = threading.Thread(target=server.serve_forever, name=f"lab-{name}", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    return RunningService(name, host, port, server, thread)


def banner_service(name: str, address: str, port: int, banner: bytes,
                   reply: Callable[[bytes], bytes | None] | None = None) -> RunningService:
    """A TCP service that greets with ``banner`` and answers lines with ``reply`` (FTP, SMTP, SSH-like)."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.settimeout(5)
            try:
                self.request.sendall(banner)
                while reply is not None:
                    data = self.request.recv(4096)
                    if not data:
                        break
                    answer = reply(data)
                    if answer is None:
                        break
                    self.request.sendall(answer)
            except OSError:
                pass

    return _serve(name, _ReusableTCPServer((address, port), Handler))


def ftp_reply(data: bytes) -> bytes | None:
    """Just enough FTP for nmap's version probes to recognise an FTP server."""
    command = data.strip().split(b" ")[0].upper()
    if command == b"QUIT":
        return None
    if command in (b"USER",):
        return b"331 Please specify the password.\r\n"
    if command in (b"PASS",):
        return b"530 Login incorrect.\r\n"
    if command == b"HELP":
        return b"214-The following commands are recognized.\r\n USER PASS QUIT\r\n214 Help OK.\r\n"
    return b"530 Please login with USER and PASS.\r\n"


def http_service(name: str, address: str, port: int, headers: dict[str, str] | None = None,
                 body: bytes = b"<html><head><title>Urzad</title></head><body>BIP</body></html>",
                 routes: dict[str, tuple[int, dict[str, str], bytes]] | None = None) -> RunningService:
    """An HTTP server returning ``body`` (or per-path ``routes``) with the given headers."""
    extra = dict(headers or {})
    table = dict(routes or {})

    class Handler(BaseHTTPRequestHandler):
        server_version = extra.pop("Server", "nginx")

        def version_string(self) -> str:
            return self.server_version  # exactly the banner asked for, as a real server sends it

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            status, route_headers, payload = table.get(self.path.split("?")[0], (200, {}, body))
            self.send_response(status)
            for key, value in {**extra, **route_headers}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_HEAD = do_GET

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence access log
            return

    return _serve(name, _QuietHTTPServer((address, port), Handler))


def free_port(address: str = "127.0.0.1") -> int:
    """A currently free TCP port on ``address`` (for tests that need several)."""
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]
