"""A small authoritative DNS server for the demo lab and the tests (dnslib).

It answers from zone-file text over UDP and TCP on a loopback address, so
dnspython talks to it exactly as to an office's resolver.  Two behaviours
matter for the mail checks and are therefore real here, not approximated:
a name that exists with other record types answers NOERROR with no data
(not NXDOMAIN), and names inside zones listed as ``validated`` carry the AD
flag, the way a validating resolver marks a DNSSEC-verified answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from dnslib import QTYPE, RCODE, RR, DNSLabel
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class ZoneAnswerer(BaseResolver):
    """Answers queries from a fixed list of resource records."""

    def __init__(self, zone_text: str, validated: Iterable[str] = ()) -> None:
        self.records = RR.fromZone(zone_text)
        self.validated = tuple(DNSLabel(name) for name in validated)

    def resolve(self, request: Any, handler: Any) -> Any:
        reply = request.reply()
        qname, qtype = request.q.qname, request.q.qtype
        matching = [rr for rr in self.records if rr.rname == qname]
        for rr in matching:
            if rr.rtype == qtype or qtype == QTYPE.ANY or rr.rtype == QTYPE.CNAME:
                reply.add_answer(rr)
        if not matching and not any(rr.rname.matchSuffix(qname) for rr in self.records):
            reply.header.rcode = RCODE.NXDOMAIN
        # reply() copies the query's AD bit; only a validated zone keeps it.
        reply.header.ad = int(any(qname.matchSuffix(zone) for zone in self.validated))
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


def dns_service(address: str, port: int, zone_text: str, validated: Iterable[str] = ()) -> RunningDns:
    """Serves ``zone_text`` on ``address:port`` over UDP and TCP from daemon threads."""
    answerer = ZoneAnswerer(zone_text, validated)
    logger = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
    servers = [
        DNSServer(answerer, address=address, port=port, tcp=tcp, logger=logger)
        for tcp in (False, True)
    ]
    for server in servers:
        server.start_thread()
    return RunningDns(address, port, servers)
