"""The authorised scope: which addresses and names may receive a packet.

The inventory declares CIDRs and DNS suffixes the office authorised.  Every
network target is checked here *before* any probe runs, and probes ask the
same guard before following anything a target points to (a redirect, an MX
host).  A name inside an authorised suffix that resolves to an address
outside the authorised CIDRs is refused too (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Callable, Iterable

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str], list[str]]


class OutOfScope(Exception):
    """A target or a follow-up connection lies outside the authorised scope."""


def system_resolver(name: str) -> list[str]:
    """Addresses of ``name`` from the system resolver (no packet to the target itself)."""
    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return []
    return sorted({info[4][0] for info in infos})


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ScopeGuard:
    """Answers "may we talk to this?" for addresses and host names."""

    networks: tuple[IPNetwork, ...]
    domains: tuple[str, ...] = ()
    resolver: Resolver = field(default=system_resolver, compare=False, repr=False)

    @classmethod
    def from_lists(cls, cidrs: Iterable[str], domains: Iterable[str] = (), resolver: Resolver = system_resolver) -> "ScopeGuard":
        return cls(
            networks=tuple(ipaddress.ip_network(c, strict=False) for c in cidrs),
            domains=tuple(d.lower().strip(".") for d in domains),
            resolver=resolver,
        )

    def address_allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%")[0])
        return any(ip in net for net in self.networks if net.version == ip.version)

    def name_allowed(self, name: str) -> bool:
        name = name.lower().strip(".")
        return any(name == d or name.endswith("." + d) for d in self.domains)

    def require_address(self, address: str) -> None:
        if not self.address_allowed(address):
            raise OutOfScope(f"address {address} is outside the authorised scope")

    def require_host(self, host: str, addresses: Iterable[str] = ()) -> list[str]:
        """Checks a host name (or literal address) and the addresses to be used.

        Declared ``addresses`` must all be in scope.  With none, the name must
        lie in an authorised domain and *every* address it resolves to must be
        in scope.  Returns the addresses to connect to.
        """
        if is_ip(host):
            self.require_address(host)
            return [host]
        declared = list(addresses)
        if declared:
            # Declared addresses are what is contacted; the name is then only a label (SNI, Host header).
            for address in declared:
                self.require_address(address)
            return declared
        if not self.name_allowed(host):
            raise OutOfScope(f"host name {host} is outside the authorised domains")
        resolved = self.resolver(host)
        if not resolved:
            raise OutOfScope(f"host name {host} does not resolve; refusing to guess an address")
        outside = [a for a in resolved if not self.address_allowed(a)]
        if outside:
            raise OutOfScope(
                f"host name {host} resolves to {', '.join(outside)}, outside the authorised scope"
            )
        return resolved

    def require_url(self, url: str) -> None:
        """For probes following redirects or policy URLs."""
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname
        if not host:
            raise OutOfScope(f"URL {url!r} has no host")
        self.require_host(host)
