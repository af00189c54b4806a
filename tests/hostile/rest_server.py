"""A read-only restic REST server (the rest-server protocol, v1 and v2 listings) over a local repository.

Enough of https://restic.readthedocs.io/en/stable/100_references.html#rest-backend
for ``snapshots``, ``check`` and ``restore``: HEAD/GET of ``/config`` and of
``/<type>/<name>`` (with ``Range``), and listings of ``/<type>/``.  Used to
prove the relay passes a real repository through, and, with
``redirect=...``, to play a REST server that points restic elsewhere.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_V2 = "application/vnd.x.restic.rest.v2"
_TYPES = ("data", "keys", "locks", "snapshots", "index")


class RestServer:
    def __init__(self, repository: Path, address: str, redirect: str | None = None) -> None:
        root = repository
        requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _send(self, status: int, body: bytes = b"", content_type: str = "application/octet-stream",
                      extra: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                requests.append(f"{self.command} {self.path}")
                if redirect is not None:
                    self._send(302, extra={"Location": redirect + self.path})
                    return
                parts = [p for p in self.path.split("?")[0].split("/") if p]
                if parts[-1:] == ["config"]:
                    self._file(root / "config")
                elif parts and parts[-1] in _TYPES and self.path.endswith("/"):
                    self._listing(parts[-1])
                elif len(parts) >= 2 and parts[-2] in _TYPES:
                    folder = root / parts[-2]
                    path = folder / parts[-1][:2] / parts[-1] if parts[-2] == "data" else folder / parts[-1]
                    self._file(path)
                else:
                    self._send(404)

            do_HEAD = do_GET  # noqa: N815

            def _listing(self, kind: str) -> None:
                files = [p for p in (root / kind).rglob("*") if p.is_file()]
                if _V2 in self.headers.get("Accept", ""):
                    body = json.dumps([{"name": p.name, "size": p.stat().st_size} for p in files])
                    self._send(200, body.encode(), _V2)
                else:
                    self._send(200, json.dumps([p.name for p in files]).encode(), "application/vnd.x.restic.rest.v1")

            def _file(self, path: Path) -> None:
                if not path.is_file():
                    self._send(404)
                    return
                data = path.read_bytes()
                match = re.match(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
                if match:
                    start = int(match.group(1))
                    end = int(match.group(2)) if match.group(2) else len(data) - 1
                    self._send(206, data[start:end + 1],
                               extra={"Content-Range": f"bytes {start}-{end}/{len(data)}"})
                else:
                    self._send(200, data)

            def log_message(self, *args: object) -> None:
                pass

        self.requests = requests
        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
