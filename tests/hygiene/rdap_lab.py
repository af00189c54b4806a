"""A local RDAP registry serving fixture files (RFC 9083 JSON), with hostile variants, and its bootstrap file.

One real HTTP server plays several registries, one per path prefix, so a
bootstrap file (RFC 9224 format) can send each test TLD to its own
behaviour: ``/ok/`` answers from ``fixtures/rdap/<domain>.json`` (404 with
an RDAP error object for any other name), ``/broken/`` answers 500,
``/slow/`` drips its body a byte at a time, ``/huge/`` streams far more
than any answer may be, ``/redirect/`` points the client at ``redirect_to``.  Every request line and its headers are recorded,
so tests can prove what left the scanner.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "rdap"
NOT_FOUND = {"rdapConformance": ["rdap_level_0"], "errorCode": 404, "title": "Not Found",
             "description": ["The requested object was not found."]}


def fixture(name: str, expires_in_days: float | None = None) -> dict[str, Any]:
    """A fixture file, its expiration event moved to ``expires_in_days`` from now (the rest as recorded)."""
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    if expires_in_days is not None:
        when = (datetime.now(timezone.utc) + timedelta(days=expires_in_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for event in data["events"]:
            if event["eventAction"] == "expiration":
                event["eventDate"] = when
    return data


class RdapLab:
    def __init__(self, address: str, domains: dict[str, dict[str, Any]], redirect_to: str = "") -> None:
        self.domains = {name.lower(): doc for name, doc in domains.items()}
        self.redirect_to = redirect_to
        self.requests: list[dict[str, Any]] = []
        lab = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                lab.requests.append({"path": self.path, "headers": dict(self.headers)})
                prefix, _, rest = self.path.lstrip("/").partition("/")
                handler = {"ok": self.answer, "broken": self.broken, "slow": self.slow, "huge": self.huge,
                           "redirect": self.redirect}.get(prefix)
                (handler or self.broken)(rest)

            def send(self, status: int, body: bytes, length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/rdap+json")
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                self.wfile.write(body)

            def answer(self, rest: str) -> None:
                name = rest.removeprefix("domain/").lower()
                doc = lab.domains.get(name)
                self.send(200 if doc else 404, json.dumps(doc or NOT_FOUND).encode())

            def redirect(self, rest: str) -> None:
                self.send_response(302)
                self.send_header("Location", f"{lab.redirect_to}/{rest}")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def broken(self, rest: str) -> None:
                self.send(500, b'{"errorCode": 500, "title": "Internal Server Error"}')

            def slow(self, rest: str) -> None:
                self.send(200, b"", length=100_000)
                try:
                    for _ in range(400):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    pass

            def huge(self, rest: str) -> None:
                self.send(200, b"", length=64 * 2**20)
                chunk = b"[" * 65536
                try:
                    for _ in range(1024):
                        self.wfile.write(chunk)
                except OSError:
                    pass

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{address}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bootstrap(self, path: Path, tlds: dict[str, str]) -> Path:
        """Writes a bootstrap file sending each TLD to one of the lab's registries (``ok``, ``slow`` …)."""
        services = [[[tld], [f"{self.base}/{registry}/"]] for tld, registry in tlds.items()]
        path.write_text(json.dumps({"description": "test registries", "publication": "2026-12-01T00:00:00Z",
                                    "version": "1.0", "services": services}), encoding="utf-8")
        return path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
