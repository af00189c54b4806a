"""A small authoritative DNS server for the demo lab and the tests (dnslib).

It answers from zone-file text over UDP and TCP on a loopback address, so
dnspython talks to it exactly as to an office's resolver.  A name that
exists with other record types answers NOERROR with no data (not NXDOMAIN),
as the mail checks need.  It cannot sign or validate, so it never sets the
AD flag (a non-validating resolver): DNSSEC verdicts are tested on a real
named and a validating Unbound (``auditor.demo.bind9``, ``auditor.demo.unbound``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dnslib import QTYPE, RCODE, RR
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class ZoneAnswerer(BaseResolver):
    """Answers queries from a fixed list of resource records."""

    def __init__(self, zone_text: str) -> None:
        self.records = RR.fromZone(zone_text)

    def resolve(self, request: Any, handler: Any) -> Any:
        reply = request.reply()
        qname, qtype = request.q.qname, request.q.qtype
        matching = [rr for rr in self.records if rr.rname == qname]
        for rr in matching:
            if rr.rtype == qtype or qtype == QTYPE.ANY or rr.rtype == QTYPE.CNAME:
                reply.add_answer(rr)
        if not matching and not any(rr.rname.matchSuffix(qname) for rr in self.records):
            reply.header.rcode = RCODE.NXDOMAIN
        reply.header.ad = 0  # reply() copies the query's AD bit; nothing here is validated
        return reply


@dataclass
class RunningDns:
    """A started DNS server; ``stop()`` closes its UDP and TCP listeners."""

    address: str
    port: int
    _servers: list[DNSServer] = field(repr=False)

    @property
    def resolver_setting(self) -> str:
        """The inventory setting ``dns_resolver`` pointing at this server."""
        return f"{self.address}:{self.port}"

    def stop(self) -> None:
        for server in self._servers:
            server.stop()
            server.server.server_close()


def dns_service(address: str, port: int, zone_text: str) -> RunningDns:
    """Serves ``zone_text`` on ``address:port`` over UDP and TCP from daemon threads."""
    answerer = ZoneAnswerer(zone_text)
    logger = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
    servers = [
        DNSServer(answerer, address=address, port=port, tcp=tcp, logger=logger)
        for tcp in (False, True)
    ]
    for server in servers:
        server.start_thread()
    return RunningDns(address, port, servers)
