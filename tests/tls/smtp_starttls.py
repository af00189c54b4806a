"""A tiny SMTP server that speaks just enough ESMTP to offer STARTTLS (``openssl s_server`` cannot)."""

from __future__ import annotations

import socketserver
import ssl
import threading
from dataclasses import dataclass, field


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return  # scanners reset connections all the time


@dataclass
class StartTlsSmtp:
    """Listens on ``address:port``; ``stop()`` closes it."""

    address: str
    port: int
    context: ssl.SSLContext
    hostname: str = "mail.test"
    _server: _Server = field(init=False, repr=False)

    def __post_init__(self) -> None:
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(10)
                self.wfile.write(f"220 {outer.hostname} ESMTP\r\n".encode())
                for line in self.rfile:
                    verb = line.strip().split(b" ")[0].upper()
                    if verb in (b"EHLO", b"HELO"):
                        self.wfile.write(f"250-{outer.hostname}\r\n250 STARTTLS\r\n".encode())
                    elif verb == b"STARTTLS":
                        self.wfile.write(b"220 2.0.0 Ready to start TLS\r\n")
                        tls = outer.context.wrap_socket(self.request, server_side=True)
                        while tls.recv(4096):
                            pass
                        return
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 Bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 OK\r\n")

        self._server = _Server((self.address, self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True, name="smtp-starttls").start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
