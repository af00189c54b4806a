"""Zones served by the test DNS server, targets, and judging recorded evidence.

Zones:
- ``dobra.testowa.test`` — everything right: SPF via include ending in -all,
  DMARC p=reject with rua, a 2048-bit DKIM key under a configured selector,
  MX inside the scope, MTA-STS enforce (policy served over HTTPS), TLS-RPT, CAA.
  No DNSSEC: this server cannot sign or validate (tests/mail_dns/test_dnssec_real.py
  judges DNSSEC, DANE and the MX certificate on real named/Unbound/Postfix).
- ``zla.testowa.test`` — the typical gaps: ``v=spf1 +all``, no DMARC, a
  1024-bit DKIM key under ``default``, MX at a provider outside the scope,
  no MTA-STS, TLS-RPT, DNSSEC or CAA.
- ``petla.testowa.test`` — SPF with 11 lookups through nested includes.
- ``podpisana.testowa.test`` — DNSKEY and DS records but no AD flag (what a non-validating resolver gives).
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auditor.judge import judge
from auditor.model import AttemptStatus, Finding, ProbeAttempt, Target
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

DNS_ADDRESS = "127.0.41.1"
POLICY_ADDRESS = "127.0.41.2"
MX_ADDRESS = "127.0.41.3"
GOOD, BAD, LOOP, SIGNED = (f"{label}.testowa.test" for label in ("dobra", "zla", "petla", "podpisana"))


def dkim_value(bits: int) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key()
    der = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def txt(name: str, value: str) -> str:
    """A zone line, splitting values over 255 characters into several strings as DNS requires."""
    chunks = " ".join(f'"{value[i:i + 255]}"' for i in range(0, len(value), 255))
    return f"{name}. 300 IN TXT {chunks}"


def zone_text() -> str:
    lines = [
        txt(GOOD, "v=spf1 mx include:_spf.dobra.testowa.test -all"),
        txt(GOOD, "google-site-verification=abc"),
        txt(f"_spf.{GOOD}", "v=spf1 ip4:127.0.41.0/24 -all"),
        txt(f"_dmarc.{GOOD}", "v=DMARC1; p=reject; rua=mailto:dmarc@dobra.testowa.test"),
        txt(f"mail2026._domainkey.{GOOD}", dkim_value(2048)),
        f"{GOOD}. 300 IN MX 10 poczta.{GOOD}.",
        f"poczta.{GOOD}. 300 IN A {MX_ADDRESS}",
        f"mta-sts.{GOOD}. 300 IN A {POLICY_ADDRESS}",
        txt(f"_mta-sts.{GOOD}", "v=STSv1; id=20260101000000"),
        txt(f"_smtp._tls.{GOOD}", f"v=TLSRPTv1; rua=mailto:tlsrpt@{GOOD}"),
        f'{GOOD}. 300 IN CAA 0 issue "letsencrypt.org"',
        txt(BAD, "v=spf1 +all"),
        txt(f"default._domainkey.{BAD}", dkim_value(1024)),
        f"{BAD}. 300 IN MX 10 mx.dostawca.example.",
        "mx.dostawca.example. 300 IN A 192.0.2.25",
        txt(LOOP, "v=spf1 include:a.petla.testowa.test include:b.petla.testowa.test -all"),
        txt(f"_dmarc.{LOOP}", "v=DMARC1; p=none"),
        f"{SIGNED}. 300 IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
        f"{SIGNED}. 300 IN DS 2371 13 2 1F987CC6583E92DF0890718C42B7AE5D5E6B7C1C1F3D4A06E55B4E6E8B0F5A29",
    ]
    # a.petla: 5 lookups (a, mx, 3 includes); b.petla: 4 more → 2 + 5 + 4 = 11 in total.
    lines.append(txt(f"a.{LOOP}", "v=spf1 a mx include:c.petla.testowa.test include:d.petla.testowa.test "
                                   "include:e.petla.testowa.test -all"))
    lines.append(txt(f"b.{LOOP}", "v=spf1 a mx exists:x.petla.testowa.test ptr -all"))
    for leaf in "cde":
        lines.append(txt(f"{leaf}.{LOOP}", "v=spf1 ip4:127.0.41.9 -all"))
    return "\n".join(lines)


def domain_target(name: str, selectors: list[str] | None = None, mail: bool = True) -> Target:
    return Target(id=f"domain:{name}", kind="domain", name=name,
                  attrs={"dkim_selectors": selectors or [], "mail": mail})


STAND_IN_LIMITS = {"dns.dnssec": ["fail"], "mail.mta_sts.mx_certificate": ["manual"], "mail.dane.tlsa": ["not_applicable"]}
"""What the good domain gets from the stand-in alone: no signed zone (unsigned), no MX server (not reached), no TLSA."""


def judged(evidence: dict[str, Any], target: Target) -> dict[str, list[Finding]]:
    """Findings of every mail_dns check on recorded evidence, by check id."""
    attempt = ProbeAttempt("mail_dns", target.id, AttemptStatus.COMPLETED, evidence=evidence)
    checks = default_registry().checks_of({"mail_dns"})
    now = datetime(2026, 11, 27, tzinfo=timezone.utc)
    by_id: dict[str, list[Finding]] = {}
    for finding in judge(checks, [target], [attempt], JudgeContext(now=now)):
        by_id.setdefault(finding.check_id, []).append(finding)
    return by_id
