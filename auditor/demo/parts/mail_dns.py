"""Lab DNS for the mail_dns family: a validating resolver on 127.0.10.40:8053.

Zone ``przykladowo.test`` has the gaps typical of a gmina: SPF ending in
``?all``, DMARC ``p=none`` without reports, a 1024-bit DKIM key, no
MTA-STS, TLS-RPT, DNSSEC or CAA.  ``sport.przykladowo.test`` (a municipal
sports centre) publishes ``v=spf1 +all`` and no DMARC at all.  The key is
generated at start-up, so no private key ships with the package.

``sesja.przykladowo.test`` (the council-session portal) was signed once and
never re-signed: its signatures expired, so the validating Unbound in front
of ``named`` refuses it (``dns.dnssec`` fails as bogus).  Without named or
Unbound installed the zone is served by the dnslib server instead, without
the signed child.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auditor.demo.bind9 import Bind9, sign_zone
from auditor.demo.daemon import DaemonError
from auditor.demo.dns import dns_service
from auditor.demo.lab import LAB_DOMAIN, LabPart
from auditor.demo.services import free_port
from auditor.demo.unbound import Unbound

log = logging.getLogger(__name__)

DNS_ADDRESS = "127.0.10.40"
DNS_PORT = 8053  # not 5353: mDNS (avahi) often holds it on 0.0.0.0
MX_ADDRESS = "127.0.10.41"
NAMED_ADDRESS = "127.0.0.1"  # named listens only on configured interface addresses
SIGNED_CHILD = f"sesja.{LAB_DOMAIN}"
DOMAINS = [{"name": LAB_DOMAIN, "dkim_selectors": ["mail"], "mail": True}, {"name": f"sport.{LAB_DOMAIN}", "mail": True}]


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


def _soa(origin: str) -> str:
    return (f"$ORIGIN {origin}.\n$TTL 300\n@ IN SOA ns.{LAB_DOMAIN}. hostmaster.{LAB_DOMAIN}. 2026120201 3600 600 86400 300\n"
            f"@ IN NS ns.{LAB_DOMAIN}.\n")


def _validating_dns(workdir: Path, records: str) -> list[Bind9 | Unbound]:
    """named with the lab zone and the expired signed child, behind a validating Unbound anchored at the child."""
    child = sign_zone(workdir / "dns" / "keys", SIGNED_CHILD, _soa(SIGNED_CHILD) + "\n".join([
        '@ IN TXT "v=spf1 -all"', '_dmarc IN TXT "v=DMARC1; p=reject"', "@ IN A 127.0.10.30"]), expired=True)
    parent = _soa(LAB_DOMAIN) + f"ns IN A {NAMED_ADDRESS}\n{SIGNED_CHILD}. IN NS ns.{LAB_DOMAIN}.\n" + records + "\n"
    # the TLD too: a resolver asks the DS of przykladowo.test there, and without it that query fails
    tld = LAB_DOMAIN.rsplit(".", 1)[-1]
    top = _soa(tld) + f"{LAB_DOMAIN}. IN NS ns.{LAB_DOMAIN}.\nns.{LAB_DOMAIN}. IN A {NAMED_ADDRESS}\n"
    named = Bind9(workdir / "dns" / "named", NAMED_ADDRESS, free_port(NAMED_ADDRESS),
                  {tld: top, LAB_DOMAIN: parent, SIGNED_CHILD: child.text})
    try:
        resolver = Unbound(workdir / "dns" / "unbound", DNS_ADDRESS, DNS_PORT,
                           {f"{tld}.": f"{NAMED_ADDRESS}@{named.port}"}, [child.dnskey])
    except DaemonError:
        named.stop()
        raise
    return [resolver, named]


def start(workdir: Path) -> LabPart:
    records = zone()
    try:
        servers = _validating_dns(workdir, records)
    except DaemonError as exc:
        log.warning("mail_dns lab part: no named/unbound (%s); dnslib serves the zone, no DNSSEC case", exc)
        server = dns_service(DNS_ADDRESS, DNS_PORT, records)
        return LabPart(services=[server], domains=DOMAINS, settings={"dns_resolver": server.resolver_setting})
    return LabPart(services=servers, domains=DOMAINS + [{"name": SIGNED_CHILD, "mail": False}],
                   settings={"dns_resolver": f"{DNS_ADDRESS}:{DNS_PORT}"})
