"""Lab DNS for the mail_dns family: a real DNS server on 127.0.10.40:8053.

Zone ``przykladowo.test`` has the gaps typical of a gmina: SPF ending in
``?all``, DMARC ``p=none`` without reports, a 1024-bit DKIM key, no
MTA-STS, TLS-RPT, DNSSEC or CAA.  ``sport.przykladowo.test`` (a municipal
sports centre) publishes ``v=spf1 +all`` and no DMARC at all.  The key is
generated at start-up, so no private key ships with the package.
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auditor.demo.dns import dns_service
from auditor.demo.lab import LAB_DOMAIN, LabPart

DNS_ADDRESS = "127.0.10.40"
DNS_PORT = 8053  # not 5353: mDNS (avahi) often holds it on 0.0.0.0
MX_ADDRESS = "127.0.10.41"


def _dkim_record(bits: int) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key()
    der = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    value = "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()
    return " ".join(f'"{value[i:i + 255]}"' for i in range(0, len(value), 255))


def zone() -> str:
    d = LAB_DOMAIN
    return "\n".join([
        f'{d}. 300 IN TXT "v=spf1 a mx ?all"',
        f'_dmarc.{d}. 300 IN TXT "v=DMARC1; p=none"',
        f"mail._domainkey.{d}. 300 IN TXT {_dkim_record(1024)}",
        f"{d}. 300 IN MX 10 poczta.{d}.",
        f"poczta.{d}. 300 IN A {MX_ADDRESS}",
        f"{d}. 300 IN A 127.0.10.30",
        f"www.{d}. 300 IN A 127.0.10.1",
        f"bip.{d}. 300 IN A 127.0.10.30",
        f'sport.{d}. 300 IN TXT "v=spf1 +all"',
        f"sport.{d}. 300 IN MX 10 poczta.{d}.",
    ])


def start(workdir: Path) -> LabPart:
    server = dns_service(DNS_ADDRESS, DNS_PORT, zone())
    return LabPart(
        services=[server],
        domains=[
            {"name": LAB_DOMAIN, "dkim_selectors": ["mail"], "mail": True},
            {"name": f"sport.{LAB_DOMAIN}", "mail": True},
        ],
        settings={"dns_resolver": server.resolver_setting},
    )
