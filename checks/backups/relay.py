"""A loopback relay that confines restic's REST backend to the one checked address.

restic (a Go binary) makes its own connections and follows HTTP redirects
itself: an in-scope REST server answering ``302 Location: http://decoy/``
would send restic, and its password-protected requests, out of scope.  So
restic never talks to the REST server directly.  It talks plain HTTP to
this relay on 127.0.0.1, and the relay sends each request to the address
the scope guard checked (name resolved once, the name kept in Host/SNI),
passes answers back and turns every redirect into ``502`` — a redirect is
recorded and never followed.  Whatever restic does, the only socket it can
open leads here.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, urlunsplit

from auditor.http import Hop, parse_hop
from auditor.scope import ScopeGuard

#: Request headers restic's REST backend sends that the server needs.
_FORWARDED_REQUEST = ("Accept", "Authorization", "Content-Type", "Content-Length", "Range", "User-Agent")
#: Response headers restic reads.
_FORWARDED_RESPONSE = ("Content-Type", "Content-Length", "Content-Range", "Accept-Ranges")
_CHUNK = 256 * 1024


class RestRelay:
    """``with RestRelay(url, scope, timeout) as relay: restic --repo relay.repository``."""

    def __init__(self, url: str, scope: ScopeGuard, timeout: float) -> None:
        parts = urlsplit(url)
        userinfo, _, hostport = parts.netloc.rpartition("@")
        self.upstream: Hop = parse_hop(urlunsplit(parts._replace(netloc=hostport)))
        self.address = scope.require_host(self.upstream.host)[0]
        self.timeout = timeout
        self.refused: list[str] = []
        """Redirects the server answered with, never followed."""
        self._userinfo = userinfo
        self._path = self.upstream.target
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="restic-relay")

    @property
    def repository(self) -> str:
        """The ``rest:`` repository string restic is given: this relay, with the original credentials and path."""
        credentials = f"{self._userinfo}@" if self._userinfo else ""
        return f"rest:http://{credentials}127.0.0.1:{self._server.server_address[1]}{self._path}"

    def __enter__(self) -> "RestRelay":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _connect(self) -> http.client.HTTPConnection:
        """A connection to the checked address; for https the name goes into SNI and is verified."""
        connection = http.client.HTTPConnection(self.address, self.upstream.port, timeout=self.timeout)
        sock = socket.create_connection((self.address, self.upstream.port), timeout=self.timeout)
        if self.upstream.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.upstream.host)
        connection.sock = sock
        return connection

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection; the body ends when the relay closes

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k in _FORWARDED_REQUEST if (v := self.headers.get(k)) is not None}
                headers["Host"] = relay.upstream.host_header
                try:
                    upstream = relay._connect()
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                except (OSError, http.client.HTTPException) as exc:
                    self._refuse(502, f"auditor relay: {relay.upstream.host}:{relay.upstream.port}: {exc}")
                    return
                try:
                    if 300 <= answer.status < 400:
                        relay.refused.append(answer.getheader("Location", "")[:300])
                        self._refuse(502, "auditor relay: the repository answered with a redirect; not followed")
                        return
                    self.send_response(answer.status)
                    for key in _FORWARDED_RESPONSE:
                        if (value := answer.getheader(key)) is not None:
                            self.send_header(key, value)
                    self.end_headers()
                    while self.command != "HEAD" and (chunk := answer.read(_CHUNK)):
                        self.wfile.write(chunk)
                finally:
                    upstream.close()

            def _refuse(self, status: int, message: str) -> None:
                data = message.encode("utf-8", "replace")
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_HEAD = do_POST = do_DELETE = _relay  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        return Handler
