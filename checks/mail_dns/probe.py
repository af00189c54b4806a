"""The ``mail_dns`` probe: what a domain publishes in DNS about its mail and its zone.

DNS queries to the configured resolver, one HTTPS request for the MTA-STS
policy (scope-checked, pinned to the address the resolver gave), and one
STARTTLS per in-scope MX only where a published MTA-STS policy or TLSA
record makes the certificate it presents part of a verdict (``smtp``).
The full TLS scan of an MX stays the TLS family's job when it is a declared
host; MX hosts outside the authorised scope are never connected to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditor.checks.mail_dns.dkim import COMMON_SELECTORS, describe_key
from auditor.checks.mail_dns.family import FAMILY
from auditor.checks.mail_dns.smtp import mx_certificate, policy_certificate
from auditor.checks.mail_dns.spf import count_lookups, spf_records
from auditor.checks.mail_dns.tags import starts_with
from auditor.http import FetchError, fetch
from auditor.model import Evidence, Target
from auditor.plugin import Probe, ProbeContext, ProbeUnreachable
from auditor.scope import OutOfScope, ScopeGuard
from auditor.settings import resolver_address

if TYPE_CHECKING:  # dnspython loads only when a scan resolves names (listing checks stays fast)
    from auditor.checks.mail_dns.dnsquery import Dns

MAX_MX_HOSTS = 10
MAX_RECORD_CHARS = 2048
MTA_STS_MAX_BYTES = 64 * 1024  # RFC 8461 §3.2: policies are at most 64 KiB


def _records(txt: list[str] | None, version: str) -> list[str] | None:
    return None if txt is None else [t[:MAX_RECORD_CHARS] for t in txt if starts_with(t, version)]


@FAMILY.probe
class MailDnsProbe(Probe):
    name = "mail_dns"
    target_kinds = frozenset({"domain"})

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        domain = target.name.lower().rstrip(".")
        from auditor.checks.mail_dns.dnsquery import Dns

        setting = ctx.settings.get("dns_resolver")
        if setting:  # the inventory loader refused it already; a probe never trusts that alone
            ctx.scope.require_address(resolver_address(setting)[0])
        resolver = Dns.from_setting(setting, timeout=max(2.0, ctx.timeout * 0.8))
        validation = resolver.validation(domain)
        if validation["rcode"] is None:
            failure = next(iter(resolver.failures.values()), "no answer")
            raise ProbeUnreachable(f"resolver {resolver.label} did not answer for {domain}: {failure}")
        bogus = validation["rcode"] == "SERVFAIL" and validation["cd_rcode"] in ("NOERROR", "NXDOMAIN")
        if bogus:  # read what the zone publishes; dns.dnssec says that validating resolvers refuse all of it
            resolver.disable_checking()
        apex_txt = resolver.txt(domain)
        if apex_txt is None:
            failure = next(iter(resolver.failures.values()), "no answer")
            raise ProbeUnreachable(f"resolver {resolver.label} did not answer for {domain}: {failure}")
        mx = _mx(domain, resolver, ctx.scope)
        evidence: dict[str, Any] = {
            "domain": domain,
            "mail": bool(target.attrs.get("mail", True)),
            "resolver": resolver.label,
            "spf": _spf(domain, apex_txt, resolver),
            "dmarc": {"records": _records(resolver.txt(f"_dmarc.{domain}"), "v=DMARC1")},
            "dkim": _dkim(domain, list(target.attrs.get("dkim_selectors", [])), resolver),
            "mx": mx,
            "mta_sts": _mta_sts(domain, resolver, ctx),
            "dane": _dane(mx, resolver),
            "tls_rpt": {"records": _records(resolver.txt(f"_smtp._tls.{domain}"), "v=TLSRPTv1")},
            "dnssec": _dnssec(domain, resolver, validation, bogus),
            "caa": _caa(domain, resolver),
        }
        evidence["mx_tls"] = _mx_tls(evidence, resolver, ctx)
        evidence["query_failures"] = dict(resolver.failures)
        return evidence


def _spf(domain: str, apex_txt: list[str], resolver: Dns) -> dict[str, Any]:
    records = [r[:MAX_RECORD_CHARS] for r in spf_records(apex_txt)]
    facts: dict[str, Any] = {"records": records}
    if len(records) == 1:
        facts.update(count_lookups(domain, records[0], resolver.txt))
    return facts


def _dkim(domain: str, configured: list[str], resolver: Dns) -> dict[str, Any]:
    selectors = list(dict.fromkeys(configured + list(COMMON_SELECTORS)))
    found: list[dict[str, Any]] = []
    failed: list[str] = []
    for selector in selectors:
        txt = resolver.txt(f"{selector}._domainkey.{domain}")
        if txt is None:
            failed.append(selector)
            continue
        keys = [t for t in txt if "p=" in t.replace(" ", "")]
        for record in keys[:2]:
            found.append({"selector": selector, "configured": selector in configured,
                          "record": record[:MAX_RECORD_CHARS], **describe_key(record)})
    return {"configured": configured, "tried": selectors, "failed": failed, "keys": found}


def _mx(domain: str, resolver: Dns, scope: ScopeGuard) -> dict[str, Any]:
    records, _ = resolver.query(domain, "MX")
    if records is None:
        return {"hosts": None, "null_mx": False}
    ordered = sorted(records, key=lambda r: (r.preference, str(r.exchange)))[:MAX_MX_HOSTS]
    hosts = [{"host": str(r.exchange).rstrip(".").lower(), "preference": r.preference} for r in ordered]
    null_mx = len(hosts) == 1 and hosts[0]["host"] == ""
    for host in ([] if null_mx else hosts):
        addresses = resolver.addresses(host["host"])
        host["addresses"] = addresses
        host["in_scope"] = bool(addresses) and scope.name_allowed(host["host"]) and all(
            scope.address_allowed(a) for a in addresses)
    return {"hosts": [] if null_mx else hosts, "null_mx": null_mx}


def _mta_sts(domain: str, resolver: Dns, ctx: ProbeContext) -> dict[str, Any]:
    records = _records(resolver.txt(f"_mta-sts.{domain}"), "v=STSv1")
    facts: dict[str, Any] = {"records": records, "policy": None}
    if records:
        facts["policy"] = _mta_sts_policy(domain, resolver, ctx)
    return facts


def _mta_sts_policy(domain: str, resolver: Dns, ctx: ProbeContext) -> dict[str, Any]:
    """Fetches ``https://mta-sts.<domain>/.well-known/mta-sts.txt`` (no redirects, RFC 8461 §3.3)."""
    host = f"mta-sts.{domain}"
    port = int(ctx.settings.get("mta_sts_port", 443))
    url = f"https://{host}{'' if port == 443 else f':{port}'}/.well-known/mta-sts.txt"
    addresses = resolver.addresses(host)
    if not addresses:
        return {"url": url, "error": f"{host} does not resolve"}
    if resolver.remaining() < 1.0:
        return {"url": url, "error": "not fetched: the probe's time budget was used up"}
    try:
        response = fetch(url, ctx.scope, timeout=min(resolver.remaining(), 15.0), max_bytes=MTA_STS_MAX_BYTES,
                         max_redirects=0, connect_to=addresses[0])
    except (FetchError, OutOfScope) as exc:
        return {"url": url, "error": str(exc)[:300]}
    policy: dict[str, Any] = {"url": url, "status": response.status, "error": None,
                              "content_type": response.headers.get("Content-Type", ""), "mx": [],
                              # the fetch itself does not verify; a sender does (RFC 8461 §3.3)
                              "certificate": policy_certificate(host, addresses[0], port, ctx.scope,
                                                                min(max(resolver.remaining(), 1.0), 10.0),
                                                                ctx.settings.get("tls_ca_file"))}
    for line in response.text().splitlines():
        key, sep, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not sep:
            continue
        if key == "mx":
            policy["mx"].append(value.lower())
        elif key in ("version", "mode", "max_age"):
            policy[key] = value
    return policy


def _dane(mx: dict[str, Any], resolver: Dns) -> dict[str, Any]:
    """The TLSA records of each MX's SMTP port (``_25._tcp.<mx>``, RFC 7672) and whether the resolver validated them."""
    hosts = []
    for host in mx.get("hosts") or []:
        name = f"_25._tcp.{host['host']}"
        records, ad = resolver.query(name, "TLSA")
        hosts.append({"host": host["host"], "name": name, "ad": ad, "records": None if records is None else [
            {"usage": r.usage, "selector": r.selector, "mtype": r.mtype, "data": r.cert.hex()} for r in records[:8]]})
    return {"hosts": hosts}


def _mx_tls(evidence: dict[str, Any], resolver: Dns, ctx: ProbeContext) -> dict[str, Any]:
    """STARTTLS to each in-scope MX whose certificate a published policy (MTA-STS, TLSA) makes part of a verdict."""
    policy = (evidence["mta_sts"].get("policy") or {}).get("status") == 200
    tlsa = {h["host"] for h in evidence["dane"]["hosts"] if h["records"]}
    port = int(ctx.settings.get("smtp_port") or 25)
    hosts = []
    for host in evidence["mx"].get("hosts") or []:
        if not (policy or host["host"] in tlsa):
            continue
        if not host.get("in_scope"):
            hosts.append({"host": host["host"], "skipped": "out_of_scope"})
        elif resolver.remaining() < 1.0:
            hosts.append({"host": host["host"], "skipped": "time_budget"})
        else:
            hosts.append(mx_certificate(host["host"], host["addresses"][0], port, ctx.scope,
                                        timeout=min(resolver.remaining(), 10.0), ca_file=ctx.settings.get("tls_ca_file")))
    return {"hosts": hosts}


def _dnssec(domain: str, resolver: Dns, validation: dict[str, Any], bogus: bool) -> dict[str, Any]:
    """The zone's keys and delegation, and the resolver's verdict on its SOA (``ad``, ``bogus``, ``ede``)."""
    dnskey, _ = resolver.query(domain, "DNSKEY")
    ds, _ = resolver.query(domain, "DS")
    return {
        "dnskey": None if dnskey is None else len(dnskey),
        "algorithms": sorted({int(k.algorithm) for k in dnskey or []}),
        "ds": None if ds is None else len(ds),
        "ad": validation["ad"],
        "rcode": validation["rcode"],
        "bogus": bogus,
        "ede": validation["ede"],
    }


def _caa(domain: str, resolver: Dns) -> dict[str, Any]:
    """CAA is looked up at the name and then up the tree (RFC 8659 §3) — not at the TLD."""
    labels = domain.split(".")
    for start in range(len(labels) - 1):
        name = ".".join(labels[start:])
        records, _ = resolver.query(name, "CAA")
        if records is None:
            return {"owner": None, "records": None}
        if records:
            return {"owner": name, "records": [
                {"flags": r.flags, "tag": r.tag.decode("ascii", "replace"), "value": r.value.decode("utf-8", "replace")}
                for r in records]}
    return {"owner": None, "records": []}

