"""Lab TLS endpoints (127.0.10.20 e-urząd, good; 127.0.10.21 old webmail, bad), served by one nginx.

The lab's own CA signs both certificates; ``tls_ca_file`` points the scanner
at it, as an office with an internal CA would.  The bad endpoint is a
typical forgotten server: TLS 1.0/1.1, static-RSA CBC suites, no HSTS and a
1024-bit certificate that expired.
"""

from __future__ import annotations

from pathlib import Path

from auditor.demo.certs import CertificateAuthority
from auditor.demo.lab import LAB_DOMAIN, LabPart
from auditor.demo.nginx import RunningNginx, TlsSite

GOOD = ("127.0.10.20", f"e-urzad.{LAB_DOMAIN}")
BAD = ("127.0.10.21", f"poczta-stara.{LAB_DOMAIN}")
PORT = 8443


def start(workdir: Path) -> LabPart:
    folder = workdir / "tls"
    ca = CertificateAuthority(folder / "pki", name="Gmina Przykładowo CA (demo)")
    good = TlsSite(GOOD[0], PORT, ca.issue("e-urzad", [GOOD[1]], key="ec256"))
    bad = TlsSite(BAD[0], PORT, ca.issue("poczta-stara", [BAD[1]], key="rsa1024", valid_from_days=-400, valid_days=365),
                  protocols="TLSv1 TLSv1.1 TLSv1.2", ciphers="AES128-SHA:AES256-SHA:@SECLEVEL=0", hsts_max_age=None)
    nginx = RunningNginx(folder / "nginx", [good, bad])
    return LabPart(
        services=[nginx],
        hosts=[
            {"name": name, "addresses": [address], "ports": [PORT], "roles": [role]}
            for (address, name), role in ((GOOD, "www"), (BAD, "webmail"))
        ],
        settings={"tls_ca_file": str(ca.cert_path)},
    )
