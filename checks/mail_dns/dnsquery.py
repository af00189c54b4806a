"""DNS queries with a configurable resolver, where failure is data.

The inventory setting ``dns_resolver`` (``"127.0.0.1:5353"``, ``"10.0.0.53"``,
``"[::1]:53"``) points the probe at a given server — the test server, or
the office's internal resolver in a split-DNS setup.  Without it the
system resolver is used.  Every answer distinguishes "no such record"
(``[]``) from "the query failed" (``None``), so a resolver timeout never
reads as a missing DMARC record.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import dns.exception
import dns.flags
import dns.message
import dns.name
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
