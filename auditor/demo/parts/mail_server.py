"""Lab part: the office's MX (127.0.10.41, the address of the zone's MX ``poczta``), a real Postfix.

The address is the one the lab zone's MX record points to.  Port 2525
speaks SMTP with STARTTLS and presents a certificate that expired months
ago, signed by the mail server's own CA (not the one the scanner is told to
trust): the TLS family's certificate checks fail on it, scanned through
STARTTLS.  Postfix needs root; without it (or without Postfix) the host is
left out.
"""

from __future__ import annotations

import logging
from pathlib import Path

from auditor.demo.certs import CertificateAuthority
from auditor.demo.daemon import DaemonError
from auditor.demo.lab import LAB_DOMAIN, LabPart
from auditor.demo.parts.mail_dns import MX_ADDRESS
from auditor.demo.postfix import SmtpListener, start_postfix

log = logging.getLogger(__name__)

HOST = f"mx.{LAB_DOMAIN}"
PORT = 2525


def start(workdir: Path) -> LabPart:
    ca = CertificateAuthority(workdir / "mail" / "pki", name="Poczta Przykładowo CA (demo)")
    cert = ca.issue("poczta", [HOST], valid_from_days=-400, valid_days=365)
    try:
        server = start_postfix(HOST, [SmtpListener(MX_ADDRESS, PORT, cert)])
    except DaemonError as exc:
        log.warning("mail server lab part: no MX (%s)", exc)
        return LabPart()
    return LabPart(services=[server], hosts=[{"name": HOST, "addresses": [MX_ADDRESS], "roles": ["mail"],
                                              "ports": [{"port": PORT, "service": "smtp", "tls": "starttls"}]}])
