"""A real nginx serving HTTPS sites with chosen TLS settings (demo lab and tests).

One nginx master process serves every site, each on its own loopback
address and port, so a whole set of good and bad TLS configurations costs
one process.  Sites are described by ``TlsSite``; the configuration, logs
and pid file live in a folder the caller owns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from auditor.demo.certs import CertFiles
from auditor.demo.daemon import Daemon, binary

MODERN_CIPHERS = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" \
                 "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
"""Mozilla's intermediate TLS 1.2 suites (guideline 6.0: ECDHE with AEAD only)."""


@dataclass(frozen=True)
class TlsSite:
    address: str
    port: int
    cert: CertFiles
    protocols: str = "TLSv1.2 TLSv1.3"
    ciphers: str = MODERN_CIPHERS
    hsts_max_age: int | None = 63072000
    prefer_server_ciphers: bool = True
    """``False``: nginx takes the client's order of suites (the default of many old servers)."""
    root: Path | None = None
    """Serve this folder's files (as ``text/plain``, nginx's default type) instead of a fixed page."""

    def block(self) -> str:
        return _server_block(self)


@dataclass(frozen=True)
class StaticSite:
    """Plain HTTP serving a folder as it is (``.php`` files as text/html: the page a PHP app would show)."""

    address: str
    port: int
    root: Path

    def block(self) -> str:
        return (
            "    server {\n"
            f"        listen {self.address}:{self.port};\n"
            f"        root {self.root};\n"
            "        index index.html;\n"
            "        location ~ \\.php$ { default_type text/html; }\n"
            "    }\n"
        )


def _server_block(site: TlsSite) -> str:
    hsts = (f'        add_header Strict-Transport-Security "max-age={site.hsts_max_age}" always;\n'
            if site.hsts_max_age is not None else "")
    return (
        "    server {\n"
        f"        listen {site.address}:{site.port} ssl;\n"
        f"        ssl_certificate {site.cert.cert};\n"
        f"        ssl_certificate_key {site.cert.key};\n"
        f"        ssl_protocols {site.protocols};\n"
        f'        ssl_ciphers "{site.ciphers}";\n'
        f"        ssl_prefer_server_ciphers {'on' if site.prefer_server_ciphers else 'off'};\n"
        f"{hsts}"
        + (f"        root {site.root};\n" if site.root else '        location / { return 200 "BIP\\n"; }\n')
        + "    }\n"
    )


def nginx_config(folder: Path, sites: "list[TlsSite] | list[StaticSite]") -> str:
    return (
        ""
        # as root, nginx's workers would drop to "nobody" and could not read a test's private folders
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log warn;\n"
        "worker_processes 1;\n"
        # a 200-site bench lab holds more idle keep-alive connections than 256; past the limit
        # nginx closes them under the client ("reusing connections") and a request fails
        "events { worker_connections 4096; }\n"
        "http {\n"
        "    access_log off;\n"
        f"    client_body_temp_path {folder}/body;\n"
        f"    proxy_temp_path {folder}/proxy;\n"
        f"    fastcgi_temp_path {folder}/fastcgi;\n"
        f"    uwsgi_temp_path {folder}/uwsgi;\n"
        f"    scgi_temp_path {folder}/scgi;\n"
        + "".join(site.block() for site in sites)
        + "}\n"
    )


class RunningNginx(Daemon):
    """A started nginx in the foreground; ``stop()`` ends exactly the process it started."""

    def __init__(self, folder: Path, sites: "list[TlsSite] | list[StaticSite]", timeout: float = 10.0) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.sites = sites
        config = folder / "nginx.conf"
        config.write_text(nginx_config(folder, sites), encoding="utf-8")
        argv = [binary("nginx", "nginx"), "-p", str(folder), "-c", str(config), "-g", "daemon off;"]
        super().__init__("nginx", argv, [(s.address, s.port) for s in sites], log=folder / "nginx.out",
                         timeout=timeout)
