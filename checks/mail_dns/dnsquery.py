"""DNS queries with a configurable resolver, where failure is data.

The inventory setting ``dns_resolver`` (``"127.0.0.1:5353"``, ``"10.0.0.53"``,
``"[::1]:53"``) points the probe at a given server — the test server, or
the office's internal resolver in a split-DNS setup.  Without it the
system resolver is used.  Every answer distinguishes "no such record"
(``[]``) from "the query failed" (``None``), so a resolver timeout never
reads as a missing DMARC record.

DNSSEC is judged from the resolver's own validation, not by validating
here: ``validation`` asks for the zone's SOA with the DO bit and reads the
AD bit, the rcode and any Extended DNS Error (RFC 8914); a SERVFAIL is asked
again with CD (checking disabled), and a zone that then answers is bogus —
signed, but its signatures or chain do not verify.  For such a zone
``disable_checking`` lets the other records still be read as published.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver

from auditor.settings import resolver_address


@dataclass
class Dns:
    """One resolver for one probe run: a per-query limit and one deadline for all queries."""

    resolver: dns.resolver.Resolver
    label: str
    deadline: float
    failures: dict[str, str] = field(default_factory=dict)
    answered: int = 0

    @classmethod
    def from_setting(cls, setting: str | None, timeout: float, per_query: float = 3.0) -> "Dns":
        if setting:
            address, port = resolver_address(setting)
            resolver = dns.resolver.Resolver(configure=False)
            resolver.nameservers = [address]
            resolver.port = port
            label = setting
        else:
            resolver = dns.resolver.Resolver()
            label = "system"
        resolver.lifetime = min(timeout, per_query)
        resolver.timeout = min(timeout, per_query)
        # Ask for DNSSEC data and the AD bit: a validating resolver sets AD on verified answers.
        resolver.use_edns(0, dns.flags.DO, 1232)
        resolver.flags = dns.flags.RD | dns.flags.AD
        resolver.cache = None
        return cls(resolver, label, time.monotonic() + timeout)

    def remaining(self) -> float:
        """Seconds left of the probe's time budget."""
        return max(0.0, self.deadline - time.monotonic())

    def disable_checking(self) -> None:
        """Every later query carries CD: the validator hands over data it could not verify."""
        self.resolver.flags |= dns.flags.CD

    def validation(self, name: str) -> dict[str, Any]:
        """The validator's answer for ``name`` SOA: ``rcode`` (``None``: no answer), ``ad``, ``ede``, ``cd_rcode``."""
        response = self._ask(name, "SOA", checking_disabled=False)
        if response is None:
            return {"rcode": None, "ad": False, "ede": [], "cd_rcode": None}
        facts: dict[str, Any] = {
            "rcode": dns.rcode.to_text(response.rcode()),
            "ad": bool(response.flags & dns.flags.AD),
            "ede": [f"{int(e.code)} {e.code.name}: {e.text or ''}".strip()[:300] for e in response.extended_errors()],
            "cd_rcode": None,
        }
        if response.rcode() == dns.rcode.SERVFAIL:
            again = self._ask(name, "SOA", checking_disabled=True)
            facts["cd_rcode"] = None if again is None else dns.rcode.to_text(again.rcode())
        return facts

    def _ask(self, name: str, rdtype: str, checking_disabled: bool) -> dns.message.Message | None:
        """One raw query to the configured resolver (UDP, TCP when truncated); ``None`` when it did not answer."""
        remaining = self.remaining()
        if remaining <= 0:
            self.failures[f"{name} {rdtype}"] = "not asked: the probe's time budget was used up"
            return None
        query = dns.message.make_query(name, rdtype, want_dnssec=True, payload=1232)
        query.flags |= dns.flags.AD | (dns.flags.CD if checking_disabled else 0)
        try:
            response, _ = dns.query.udp_with_fallback(query, self.resolver.nameservers[0], port=self.resolver.port,
                                                      timeout=min(remaining, self.resolver.timeout))
        except (dns.exception.DNSException, OSError) as exc:
            self.failures[f"{name} {rdtype}"] = "timeout" if isinstance(exc, dns.exception.Timeout) else \
                f"{type(exc).__name__}: {str(exc)[:200]}"
            return None
        self.answered += 1
        return response

    def query(self, name: str, rdtype: str) -> tuple[list[dns.rdata.Rdata] | None, bool]:
        """Records of ``name``/``rdtype`` (``[]`` none, ``None`` failed) and whether AD was set."""
        remaining = self.remaining()
        if remaining <= 0:
            self.failures[f"{name} {rdtype}"] = "not asked: the probe's time budget was used up"
            return None, False
        try:
            answer = self.resolver.resolve(name, rdtype, raise_on_no_answer=False,
                                           lifetime=min(remaining, self.resolver.lifetime))
        except dns.resolver.NXDOMAIN:
            self.answered += 1
            return [], False
        except dns.resolver.NoNameservers:
            self.failures[f"{name} {rdtype}"] = "no nameserver answered (SERVFAIL or refused)"
            return None, False
        except (dns.exception.Timeout, dns.resolver.LifetimeTimeout):
            self.failures[f"{name} {rdtype}"] = "timeout"
            return None, False
        except dns.exception.DNSException as exc:
            self.failures[f"{name} {rdtype}"] = f"{type(exc).__name__}: {str(exc)[:200]}"
            return None, False
        self.answered += 1
        ad = bool(answer.response.flags & dns.flags.AD)
        return (list(answer.rrset) if answer.rrset is not None else []), ad

    def txt(self, name: str) -> list[str] | None:
        """TXT strings of ``name``, each record's character-strings joined as RFC 7208 says."""
        records, _ = self.query(name, "TXT")
        if records is None:
            return None
        return [b"".join(r.strings).decode("utf-8", errors="replace") for r in records]

    def addresses(self, name: str) -> list[str] | None:
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            records, _ = self.query(name, rdtype)
            if records is None:
                return None
            found.extend(r.address for r in records)
        return found
