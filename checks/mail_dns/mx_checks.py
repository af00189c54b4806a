"""Judging what an MX presents against what the domain publishes: MTA-STS certificates and DANE/TLSA.

Both read the ``mx_tls`` facts (one STARTTLS per in-scope MX, ``checks.mail_dns.smtp``).
DANE is judged from the resolver's validation, as a sending server does:
a TLSA answer without the AD bit is unusable (RFC 7672 §2.2), whatever it says.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from auditor.checks.mail_dns.checks import query_failed, receiving_check
from auditor.model import Evidence, Target
from auditor.plugin import JudgeContext, Verdict, failed, manual, not_applicable, passed

DANE_TA, DANE_EE = 2, 3
"""The TLSA usages RFC 7672 §3.1 allows for SMTP; PKIX-TA/PKIX-EE (0, 1) are not to be used there."""

#: (selector, matching type) → the certificate digest in ``smtp.certificate_facts``.
DIGESTS = {(0, 1): "cert_sha256", (0, 2): "cert_sha512", (1, 1): "spki_sha256", (1, 2): "spki_sha512"}


def _tls_by_host(evidence: Evidence) -> dict[str, dict[str, Any]]:
    return {h["host"]: h for h in (evidence.get("mx_tls") or {}).get("hosts", [])}


def _connection_verdict(host: str, tls: dict[str, Any] | None) -> Verdict | None:
    """Why the MX's certificate cannot be compared: not asked, no STARTTLS, no answer; ``None`` when it can."""
    if tls is None or tls.get("skipped"):
        return manual(subject=host, message="out_of_scope" if tls else "not_collected", host=host)
    if tls.get("starttls") is False:
        return failed(subject=host, message="no_starttls", host=host, address=tls["address"], port=tls["port"])
    if tls.get("certificate") is None:
        return manual(subject=host, message="unreachable", host=host, error=tls.get("error") or "?")
    return None


def _active_policy(evidence: Evidence) -> dict[str, Any] | None:
    policy = (evidence.get("mta_sts") or {}).get("policy") or {}
    if policy.get("status") != 200 or policy.get("version") != "STSv1" or policy.get("mode") not in ("enforce", "testing"):
        return None
    return policy


@receiving_check("mail.mta_sts.mx_certificate")
def mta_sts_certificate(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    """RFC 8461 §4.1: under a policy, a sender delivers only to an MX whose certificate is valid for its name."""
    domain = evidence["domain"]
    policy = _active_policy(evidence)
    if policy is None:
        yield not_applicable(message="no_policy", domain=domain)
        return
    tls = _tls_by_host(evidence)
    for host in [h["host"] for h in evidence["mx"]["hosts"]]:
        verdict = _connection_verdict(host, tls.get(host))
        if verdict is not None:
            yield verdict
            continue
        facts = {"host": host, "mode": policy["mode"], "names": tls[host]["certificate"]["names"],
                 "not_after": tls[host]["certificate"]["not_after"]}
        if tls[host]["pkix_valid"]:
            yield passed(subject=host, **facts)
        else:
            yield failed(subject=host, error=tls[host]["pkix_error"], **facts)


def _tlsa_record(record: dict[str, Any]) -> str:
    return f"{record['usage']} {record['selector']} {record['mtype']} {record['data']}"


def _dane_host(evidence: Evidence, entry: dict[str, Any], tls: dict[str, Any] | None) -> Verdict:
    host, records = entry["host"], entry["records"]
    facts = {"host": host, "name": entry["name"], "tlsa": [_tlsa_record(r) for r in records]}
    if not entry["ad"]:
        return failed(message="not_validated", resolver=evidence.get("resolver"), **facts)
    usable = [r for r in records if r["usage"] in (DANE_TA, DANE_EE)]
    if not usable:
        return failed(message="unusable_usage", **facts)
    blocked = _connection_verdict(host, tls)
    if blocked is not None or tls is None:
        return blocked or manual(subject=host, message="not_collected", host=host)
    certificate = tls["certificate"]
    matched = [r for r in usable if r["usage"] == DANE_EE
               and certificate.get(DIGESTS.get((r["selector"], r["mtype"]), "")) == r["data"].lower()]
    if matched:
        return passed(matched=_tlsa_record(matched[0]), **facts)
    comparable = [r for r in usable if r["usage"] == DANE_EE and (r["selector"], r["mtype"]) in DIGESTS]
    if not comparable:
        return manual(message="not_compared", **facts)
    return failed(message="mismatch", presented=certificate["spki_sha256"],
                  publish=f"{entry['name']}. TLSA 3 1 1 {certificate['spki_sha256']}", **facts)


@receiving_check("mail.dane.tlsa")
def dane_tlsa(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain = evidence["domain"]
    entries = (evidence.get("dane") or {}).get("hosts", [])
    if not any(entry["records"] for entry in entries):
        for entry in entries:
            if entry["records"] is None:
                yield query_failed(evidence, entry["name"])
        if all(entry["records"] is not None for entry in entries):
            yield not_applicable(message="none", domain=domain)
        return
    tls = _tls_by_host(evidence)
    for entry in entries:
        if entry["records"] is None:
            yield query_failed(evidence, entry["name"])
        elif not entry["records"]:
            yield not_applicable(subject=entry["host"], message="none_host", host=entry["host"], name=entry["name"])
        else:
            yield replace(_dane_host(evidence, entry, tls.get(entry["host"])), subject=entry["host"])
