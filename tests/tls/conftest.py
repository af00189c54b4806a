"""One real TLS lab per test module: nginx sites with known flaws plus a STARTTLS SMTP server.

``openssl s_server`` cannot act as an SMTP server, hence the tiny ESMTP listener below.

Every site has its own loopback address (127.99.4.x), so each is its own
host for the engine, scanned concurrently like a real office.
"""

from __future__ import annotations

import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from tls_inventory import write_tls_inventory

from auditor.demo.certs import CertificateAuthority
from auditor.demo.nginx import MODERN_CIPHERS, RunningNginx, TlsSite
from auditor.demo.services import free_port
from auditor.inventory import load_inventory
from auditor.model import ScanRun
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan


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


DOMAIN = "tls.test"
NETWORK = "127.99.4"


@dataclass
class TlsLab:
    run: ScanRun
    ca: CertificateAuthority
    folder: Path

    def findings(self, host: str) -> dict[str, Any]:
        """``{check_id: finding}`` for a host with one endpoint, ``{(check_id, subject): finding}`` otherwise."""
        found = [f for f in self.run.findings if f.target_id == f"host:{host}.{DOMAIN}"]
        subjects = {f.subject for f in found}
        if len(subjects) <= 1:
            return {f.check_id: f for f in found}
        return {(f.check_id, f.subject): f for f in found}

    def evidence(self, host: str) -> dict[str, Any]:
        for attempt in self.run.attempts:
            if attempt.target_id == f"host:{host}.{DOMAIN}" and attempt.probe == "tls":
                return attempt.evidence
        raise KeyError(host)


def _sites(ca: CertificateAuthority) -> dict[str, dict[str, Any]]:
    """Host label → nginx site settings; the certificate names ``<label>.tls.test`` unless said otherwise."""
    weak = f"{MODERN_CIPHERS}:@SECLEVEL=0"
    return {
        "good": {},
        "legacy": {"protocols": "TLSv1", "ciphers": "AES128-SHA:NULL-SHA:@SECLEVEL=0", "hsts_max_age": None},
        "expired": {"cert": {"valid_from_days": -100, "valid_days": 30}},
        "selfsigned": {"cert": {"self_signed": True}},
        "weakkey": {"cert": {"key": "rsa1024"}, "ciphers": weak},
        "sha1": {"cert": {"digest": "sha1"}, "ciphers": weak},
        "mismatch": {"cert": {"names": [f"other.{DOMAIN}"]}},
        "nohsts": {"hsts_max_age": None},
        "shorthsts": {"hsts_max_age": 86400},
    }


def _smtp_context(ca: CertificateAuthority) -> ssl.SSLContext:
    files = ca.issue("mail", [f"mail.{DOMAIN}"], key="ec256")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(MODERN_CIPHERS)
    context.load_cert_chain(files.cert, files.key)
    return context


@pytest.fixture(scope="module")
def tls_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsLab]:
    folder = tmp_path_factory.mktemp("tls-lab")
    ca = CertificateAuthority(folder / "pki")
    sites, hosts = [], []
    for index, (label, spec) in enumerate(_sites(ca).items(), start=1):
        address = f"{NETWORK}.{index}"
        port = free_port(address)
        cert_spec = dict(spec.get("cert", {}))
        names = cert_spec.pop("names", [f"{label}.{DOMAIN}"])
        cert = ca.issue(label, names, **cert_spec)
        site_args = {k: v for k, v in spec.items() if k != "cert"}
        sites.append(TlsSite(address, port, cert, **site_args))
        hosts.append({"name": f"{label}.{DOMAIN}", "addresses": [address],
                      "ports": [{"port": port, "service": "https", "tls": "implicit"}]})
    # one reachable and one dead endpoint on the same host
    dead = free_port(f"{NETWORK}.8")
    hosts[7]["ports"].append({"port": dead, "service": "https", "tls": "implicit"})
    smtp_address = f"{NETWORK}.30"
    smtp = StartTlsSmtp(smtp_address, free_port(smtp_address), _smtp_context(ca), hostname=f"mail.{DOMAIN}")
    hosts.append({"name": f"mail.{DOMAIN}", "addresses": [smtp_address],
                  "ports": [{"port": smtp.port, "service": "smtp", "tls": "starttls"}]})
    down_address = f"{NETWORK}.31"
    hosts.append({"name": f"down.{DOMAIN}", "addresses": [down_address],
                  "ports": [{"port": free_port(down_address), "service": "https", "tls": "implicit"}]})
    inventory = write_tls_inventory(folder, DOMAIN, hosts, ca.cert_path)
    nginx = RunningNginx(folder / "nginx", sites)
    try:
        run = run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"tls"}))
        yield TlsLab(run, ca, folder)
    finally:
        nginx.stop()
        smtp.stop()
