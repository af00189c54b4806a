"""Asset discovery for the audit's inventory: names an office has that its inventory may not list.

``auditor discover`` *proposes*; it never scans.  It asks public
Certificate Transparency logs (crt.sh's JSON) and the office's own DNS —
NS, MX, SRV, a list of common names, reverse DNS of the scope's small
networks, and a zone transfer (AXFR) from each name server that lies in the
authorised scope — then sorts every name into "in scope, not in the
inventory yet", "already in the inventory" and "out of scope" (with why).
Packets go only to the configured resolver and to in-scope name servers;
the hosts found are resolved, never contacted.  Two findings come out of it
as facts for the auditor: an open zone transfer, and a CNAME pointing at an
unclaimed cloud name (subdomain takeover).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from auditor.inventory import LoadedInventory
from auditor.settings import resolver_address

if TYPE_CHECKING:  # dnspython loads when a discovery runs, not when the CLI lists its commands
    from auditor.checks.mail_dns.dnsquery import Dns

#: Names a JST commonly publishes (Polish and English), asked directly.
COMMON_LABELS = ("www", "bip", "poczta", "mail", "smtp", "imap", "webmail", "owa", "autodiscover", "vpn", "ftp",
                 "portal", "ebok", "eboi", "intranet", "sekretariat", "esesja", "rada", "bok", "zdalny", "rdp")
SRV_NAMES = ("_autodiscover._tcp", "_sip._tls", "_sipfederationtls._tcp", "_ldap._tcp", "_kerberos._tcp",
             "_submission._tcp", "_imaps._tcp")
#: Cloud suffixes whose unclaimed names anyone can register (a CNAME to one that no longer resolves is takeable).
TAKEOVER_SUFFIXES = ("azurewebsites.net", "cloudapp.net", "cloudapp.azure.com", "trafficmanager.net",
                     "blob.core.windows.net", "s3.amazonaws.com", "elasticbeanstalk.com", "herokuapp.com",
                     "github.io", "netlify.app", "wordpress.com", "ghost.io", "pantheonsite.io")
#: Reverse DNS only for networks this small (a /24): larger ones are listed, not swept.
MAX_PTR_ADDRESSES = 256
CT_URL = "https://crt.sh/?q=%25.{domain}&output=json"

Fetch = Callable[[str, float], Any]
"""(url, timeout) → parsed JSON; injected so the public CT source is one place."""


@dataclass
class Candidate:
    name: str
    addresses: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    cname: str | None = None


@dataclass
class Discovery:
    domains: list[str]
    candidates: dict[str, Candidate] = field(default_factory=dict)
    zone_transfers: list[dict[str, Any]] = field(default_factory=list)
    dangling: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, source: str) -> Candidate:
        name = name.lower().strip(".").removeprefix("*.")
        candidate = self.candidates.setdefault(name, Candidate(name))
        candidate.sources.add(source)
        return candidate


def ct_names(domain: str, fetch: Fetch, timeout: float, ct_url: str = CT_URL) -> list[str]:
    """Names under ``domain`` in crt.sh's JSON (``name_value`` holds one or more names, newline-separated)."""
    entries = fetch(ct_url.format(domain=domain), timeout)
    names: set[str] = set()
    for entry in entries if isinstance(entries, list) else []:
        for value in (str(entry.get("name_value", "")), str(entry.get("common_name", ""))):
            for name in value.split("\n"):
                name = name.strip().lower().removeprefix("*.").strip(".")
                if name == domain or name.endswith("." + domain):
                    names.add(name)
    return sorted(names)


def _zone_transfer(discovery: Discovery, domain: str, ns: str, address: str, port: int, timeout: float) -> None:
    import dns.exception
    import dns.query
    import dns.zone

    try:
        zone = dns.zone.from_xfr(dns.query.xfr(address, domain, port=port, timeout=timeout, lifetime=timeout))
    except (dns.exception.DNSException, OSError, EOFError) as exc:
        discovery.zone_transfers.append({"domain": domain, "ns": ns, "address": address, "open": False,
                                         "detail": type(exc).__name__})
        return
    names = sorted({f"{n}.{domain}".lower() if str(n) != "@" else domain for n in zone.nodes})
    discovery.zone_transfers.append({"domain": domain, "ns": ns, "address": address, "open": True,
                                     "names": len(names)})
    for name in names:
        discovery.add(name, "axfr")


def discover(inventory: LoadedInventory, *, fetch: Fetch | None, timeout: float = 30.0,
             ct_url: str = CT_URL) -> Discovery:
    """Everything ``auditor discover`` proposes for ``inventory``; ``fetch=None`` skips the public CT source."""
    scope = inventory.scope
    domains = sorted({d for d in scope.domains})
    from auditor.checks.mail_dns.dnsquery import Dns

    setting = inventory.settings.get("dns_resolver")
    dns_client = Dns.from_setting(setting, timeout)
    resolver_ip, resolver_port = resolver_address(setting) if setting else (None, 53)
    discovery = Discovery(domains)
    for domain in domains:
        if fetch is not None:
            try:
                for name in ct_names(domain, fetch, timeout, ct_url):
                    discovery.add(name, "ct")
            except Exception as exc:  # noqa: BLE001 - a public source failing is a note, not a stop
                discovery.errors.append(f"crt.sh {domain}: {type(exc).__name__}: {str(exc)[:160]}")
        for label in COMMON_LABELS:
            discovery.add(f"{label}.{domain}", "dns")
        _records(discovery, dns_client, domain, scope, resolver_ip, resolver_port, timeout)
    for network in scope.networks:
        if network.num_addresses <= MAX_PTR_ADDRESSES:
            for address in (network.hosts() if network.num_addresses > 2 else network):
                _ptr(discovery, dns_client, str(address))
    for candidate in list(discovery.candidates.values()):
        _resolve(discovery, dns_client, candidate)
    discovery.candidates = {n: c for n, c in discovery.candidates.items() if c.addresses or c.cname or
                            c.sources - {"dns"}}
    discovery.errors.extend(f"DNS {query}: {why}" for query, why in dns_client.failures.items())
    return discovery


def _records(discovery: Discovery, client: Dns, domain: str, scope: Any, resolver_ip: str | None,
             resolver_port: int, timeout: float) -> None:
    for record in client.query(domain, "MX")[0] or []:
        discovery.add(str(record.exchange), "mx")
    for srv in SRV_NAMES:
        for record in client.query(f"{srv}.{domain}", "SRV")[0] or []:
            discovery.add(str(record.target), "srv")
    for record in client.query(domain, "NS")[0] or []:
        ns = str(record.target).lower().strip(".")
        discovery.add(ns, "ns")
        for address in client.addresses(ns) or []:
            if not scope.address_allowed(address):
                discovery.zone_transfers.append({"domain": domain, "ns": ns, "address": address, "open": None,
                                                 "detail": "out of scope: not asked"})
                continue
            port = resolver_port if address == resolver_ip else 53
            _zone_transfer(discovery, domain, ns, address, port, timeout)


def _ptr(discovery: Discovery, client: Dns, address: str) -> None:
    reverse = ipaddress.ip_address(address).reverse_pointer
    for record in client.query(reverse, "PTR")[0] or []:
        discovery.add(str(record.target), "ptr").addresses.append(address)


def _resolve(discovery: Discovery, client: Dns, candidate: Candidate) -> None:
    records, _ = client.query(candidate.name, "CNAME")
    if records:
        candidate.cname = str(records[0].target).lower().strip(".")
        if candidate.cname.endswith(TAKEOVER_SUFFIXES):
            target, _ = client.query(candidate.cname, "A")
            if target == []:  # NXDOMAIN / no data: the cloud name is unclaimed
                discovery.dangling.append({"name": candidate.name, "cname": candidate.cname})
    found = client.addresses(candidate.name) or []
    candidate.addresses = sorted(set(candidate.addresses) | set(found))


def classify(discovery: Discovery, inventory: LoadedInventory) -> dict[str, list[dict[str, Any]]]:
    """Sorts candidates into proposed (in scope, new), known (already in the inventory) and out of scope."""
    known_names = {t.name.lower() for t in inventory.targets if t.kind == "host"}
    result: dict[str, list[dict[str, Any]]] = {"proposed": [], "known": [], "out_of_scope": []}
    for name, candidate in sorted(discovery.candidates.items()):
        entry: dict[str, Any] = {"name": name, "addresses": candidate.addresses, "sources": sorted(candidate.sources)}
        if candidate.cname:
            entry["cname"] = candidate.cname
        outside = [a for a in candidate.addresses if not inventory.scope.address_allowed(a)]
        if not inventory.scope.name_allowed(name) or outside or not candidate.addresses:
            entry["why"] = ("addresses outside the authorised CIDRs: " + ", ".join(outside) if outside else
                            "no address" if not candidate.addresses else "name outside the authorised domains")
            result["out_of_scope"].append(entry)
        elif name in known_names:
            result["known"].append(entry)
        else:
            result["proposed"].append(entry)
    return result
