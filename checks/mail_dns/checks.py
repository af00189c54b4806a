"""Judging a domain's mail and DNS records.

Every failing verdict carries ``publish``: the exact record (or records)
to put into the zone, built from what the domain already has, so the
message is the fix.  A query that failed gives ``manual`` with the reason,
never a "missing" failure.
"""

from __future__ import annotations

import fnmatch
from typing import Any, Callable, Iterable

from auditor.checks.mail_dns import records
from auditor.checks.mail_dns.family import FAMILY
from auditor.checks.mail_dns.spf import MAX_LOOKUPS, MAX_VOID_LOOKUPS, all_qualifier, parse, redirect_target
from auditor.checks.mail_dns.tags import parse_tags
from auditor.model import Evidence, Severity, Status, Target
from auditor.plugin import CheckFunction, JudgeContext, Verdict, failed, manual, not_applicable, passed, warned

WEAK_RSA_BITS = 1024
RECOMMENDED_RSA_BITS = 2048


def query_failed(evidence: Evidence, name: str) -> Verdict:
    return manual(message="query_failed", domain=evidence["domain"], name=name, resolver=evidence.get("resolver"))


def _mx_hosts(evidence: Evidence) -> list[str]:
    return [h["host"] for h in (evidence.get("mx", {}).get("hosts") or [])]


def _receives_mail(evidence: Evidence) -> bool:
    return bool(evidence.get("mail", True)) and bool(_mx_hosts(evidence))


# --------------------------------------------------------------------------- SPF


def _spf_record(evidence: Evidence) -> str | None:
    found = evidence["spf"].get("records") or []
    return found[0] if len(found) == 1 else None


def _presence(evidence: Evidence, section: str, queried: str, publish: str) -> Verdict:
    """Pass with the record, fail with the record to publish, or manual when the query failed."""
    domain, found = evidence["domain"], evidence[section].get("records")
    if found is None:
        return query_failed(evidence, queried)
    if not found:
        return failed(domain=domain, publish=publish)
    return passed(domain=domain, record=found[0])


def _single_record(evidence: Evidence, section: str) -> tuple[str | None, Verdict | None]:
    """The one record of ``section``, or the verdict when there is none (n/a) or several (fail)."""
    domain, found = evidence["domain"], evidence[section].get("records") or []
    if not found:
        return None, not_applicable(domain=domain)
    if len(found) > 1:
        return None, failed(message="multiple", domain=domain, count=len(found), records=found)
    return found[0], None


@FAMILY.check("mail.spf.missing")
def spf_missing(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain = evidence["domain"]
    yield _presence(evidence, "spf", domain, records.spf(domain, bool(_mx_hosts(evidence))))


@FAMILY.check("mail.spf.syntax")
def spf_syntax(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, (record, verdict) = evidence["domain"], _single_record(evidence, "spf")
    if record is None:
        yield verdict
        return
    errors = list(evidence["spf"].get("errors", []))
    if evidence["spf"].get("void_lookups", 0) > MAX_VOID_LOOKUPS:
        errors.append(f"{evidence['spf']['void_lookups']} void lookups (limit {MAX_VOID_LOOKUPS})")
    if errors:
        yield failed(domain=domain, record=record, errors=errors)
    else:
        yield passed(domain=domain, record=record)


def _effective_all(evidence: Evidence, record: str) -> str | None:
    """The ``all`` qualifier in force: the record's own, else its redirect target's."""
    terms, _ = parse(record)
    qualifier = all_qualifier(terms)
    target = redirect_target(terms)
    if qualifier is None and target:
        for link in evidence["spf"].get("chain", []):
            if link["via"] == "redirect" and link["domain"] == target.lower().rstrip("."):
                return all_qualifier(parse(link["record"])[0])
    return qualifier


@FAMILY.check("mail.spf.permissive")
def spf_permissive(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, record = evidence["domain"], _spf_record(evidence)
    if record is None:
        yield not_applicable(domain=domain)
        return
    qualifier = _effective_all(evidence, record)
    publish = records.spf_with_all(domain, record)
    if qualifier == "+":
        yield failed(message="pass_all", severity=Severity.CRITICAL, domain=domain, record=record, publish=publish)
    elif qualifier == "?":
        yield failed(message="neutral_all", severity=Severity.MEDIUM, domain=domain, record=record, publish=publish)
    elif qualifier is None:
        yield warned(message="no_all", domain=domain, record=record, publish=publish)
    else:
        yield passed(domain=domain, record=record, all=f"{qualifier}all")


@FAMILY.check("mail.spf.too_many_lookups")
def spf_lookups(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, record = evidence["domain"], _spf_record(evidence)
    if record is None:
        yield not_applicable(domain=domain)
        return
    lookups = evidence["spf"].get("lookups", 0)
    incomplete = evidence["spf"].get("incomplete", [])
    chain = [link["domain"] for link in evidence["spf"].get("chain", [])]
    if lookups > MAX_LOOKUPS:
        yield failed(domain=domain, lookups=lookups, limit=MAX_LOOKUPS, chain=chain)
    elif incomplete:
        yield manual(message="incomplete", domain=domain, lookups=lookups, limit=MAX_LOOKUPS, incomplete=incomplete)
    else:
        yield passed(domain=domain, lookups=lookups, limit=MAX_LOOKUPS)


# --------------------------------------------------------------------------- DMARC


def _dmarc(evidence: Evidence) -> tuple[str | None, dict[str, str]]:
    found = evidence["dmarc"].get("records") or []
    return (found[0], parse_tags(found[0])) if len(found) == 1 else (None, {})


def _dmarc_target(domain: str, record: str, tags: dict[str, str]) -> str:
    """The one record every DMARC finding asks for: an enforcing policy with reports, other tags kept."""
    policy = tags.get("p") if tags.get("p") in ("quarantine", "reject") else "quarantine"
    return records.dmarc(domain, policy, record)


@FAMILY.check("mail.dmarc.missing")
def dmarc_missing(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain = evidence["domain"]
    policy = "quarantine" if evidence.get("mail", True) else "reject"
    yield _presence(evidence, "dmarc", f"_dmarc.{domain}", records.dmarc(domain, policy))


@FAMILY.check("mail.dmarc.syntax")
def dmarc_syntax(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, (record, verdict) = evidence["domain"], _single_record(evidence, "dmarc")
    if record is None:
        yield verdict
        return
    tags, errors = parse_tags(record), []
    if tags.get("p") not in ("none", "quarantine", "reject"):
        errors.append(f"p={tags.get('p', '')!s} (expected none, quarantine or reject)")
    if "sp" in tags and tags["sp"] not in ("none", "quarantine", "reject"):
        errors.append(f"sp={tags['sp']}")
    if "pct" in tags and not (tags["pct"].isdigit() and 0 <= int(tags["pct"]) <= 100):
        errors.append(f"pct={tags['pct']} (expected 0-100)")
    for key in ("rua", "ruf"):
        bad = [uri for uri in tags.get(key, "").split(",") if uri and not uri.lower().startswith(("mailto:", "https:"))]
        errors.extend(f"{key}: {uri}" for uri in bad)
    if errors:
        yield failed(domain=domain, record=record, errors=errors, publish=_dmarc_target(domain, record, tags))
    else:
        yield passed(domain=domain, record=record)


@FAMILY.check("mail.dmarc.policy_none")
def dmarc_policy(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, (record, tags) = evidence["domain"], _dmarc(evidence)
    if record is None or tags.get("p") not in ("none", "quarantine", "reject"):
        yield not_applicable(domain=domain)
        return
    policy, pct = tags["p"], tags.get("pct", "100")
    publish = _dmarc_target(domain, record, tags)
    if policy == "none":
        yield failed(domain=domain, record=record, publish=publish)
    elif pct.isdigit() and int(pct) < 100:
        yield warned(message="partial", domain=domain, record=record, pct=pct, publish=publish)
    elif tags.get("sp") == "none":
        yield warned(message="subdomains_none", domain=domain, record=record, publish=publish)
    else:
        yield passed(domain=domain, policy=policy, sp=tags.get("sp", policy))


@FAMILY.check("mail.dmarc.no_rua")
def dmarc_rua(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, (record, tags) = evidence["domain"], _dmarc(evidence)
    if record is None:
        yield not_applicable(domain=domain)
    elif not tags.get("rua"):
        yield warned(domain=domain, record=record, publish=_dmarc_target(domain, record, tags))
    else:
        yield passed(domain=domain, rua=tags["rua"], ruf=tags.get("ruf", ""))


# --------------------------------------------------------------------------- DKIM


@FAMILY.check("mail.dkim.missing")
def dkim_missing(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, dkim = evidence["domain"], evidence["dkim"]
    if not evidence.get("mail", True):
        yield not_applicable(message="no_mail", domain=domain)
        return
    found = {key["selector"] for key in dkim["keys"]}
    missing = [s for s in dkim["configured"] if s not in found and s not in dkim["failed"]]
    for selector in missing:
        yield failed(subject=selector, message="configured_missing", domain=domain, selector=selector,
                     publish=records.dkim(domain, selector))
    if missing:
        return
    if found:
        yield passed(domain=domain, selectors=sorted(found))
    elif dkim["failed"]:
        yield manual(message="query_failed", domain=domain, name=f"_domainkey.{domain}", resolver=evidence.get("resolver"))
    else:
        yield warned(message="none_found", domain=domain, tried=dkim["tried"],
                     publish=records.dkim(domain, "<selektor/selector>"))


@FAMILY.check("mail.dkim.weak_key")
def dkim_weak_key(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, keys = evidence["domain"], [k for k in evidence["dkim"]["keys"] if not k.get("revoked")]
    if not keys:
        yield not_applicable(domain=domain)
        return
    for key in keys:
        selector, bits = key["selector"], key.get("key_bits")
        facts = {"domain": domain, "selector": selector, "key_type": key.get("key_type"), "key_bits": bits}
        if key.get("error"):
            yield failed(subject=selector, message="invalid", error=key["error"], **facts)
        elif key.get("key_type") == "rsa" and bits is not None and bits < WEAK_RSA_BITS:
            yield failed(subject=selector, severity=Severity.HIGH, **facts)
        elif key.get("key_type") == "rsa" and bits is not None and bits < RECOMMENDED_RSA_BITS:
            yield warned(subject=selector, message="short", **facts)
        else:
            yield passed(subject=selector, **facts)


# --------------------------------------------------------------------------- MX, MTA-STS, TLS-RPT


@FAMILY.check("mail.mx")
def mx_hosts(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, mx = evidence["domain"], evidence["mx"]
    if mx.get("hosts") is None:
        yield query_failed(evidence, domain)
        return
    if mx.get("null_mx") or not evidence.get("mail", True):
        yield not_applicable(message="no_mail", domain=domain)
        return
    if not mx["hosts"]:
        yield warned(message="no_mx", domain=domain)
        return
    for host in mx["hosts"]:
        facts = {"domain": domain, "host": host["host"], "preference": host["preference"],
                 "addresses": host.get("addresses") or [], "in_scope": host.get("in_scope", False)}
        if host.get("in_scope"):
            yield passed(subject=host["host"], **facts)
        else:
            yield manual(subject=host["host"], message="out_of_scope", **facts)


def _policy_covers(patterns: list[str], host: str) -> bool:
    """RFC 8461 §4.1: ``*.example.com`` matches exactly one leftmost label."""
    for pattern in patterns:
        if pattern.startswith("*."):
            if "." in host and host.split(".", 1)[1] == pattern[2:]:
                return True
        elif fnmatch.fnmatchcase(host, pattern) and "*" not in pattern:
            return True
    return False


def mail_not_applicable(evidence: Evidence) -> Verdict | None:
    """Why MTA-STS / TLS-RPT cannot be judged: MX unknown (query failed) or the domain takes no mail."""
    if evidence["mx"].get("hosts") is None:
        return query_failed(evidence, evidence["domain"])
    if not _receives_mail(evidence):
        return not_applicable(message="no_mail", domain=evidence["domain"])
    return None


def receiving_check(check_id: str) -> Callable[[CheckFunction], CheckFunction]:
    """Registers a check of a domain that receives mail: ``mail_not_applicable`` answers for the others."""

    def register(judge: CheckFunction) -> CheckFunction:
        def evaluate(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
            skip = mail_not_applicable(evidence)
            if skip is not None:
                return [skip]
            return judge(evidence, target, ctx)

        FAMILY.check(check_id)(evaluate)
        return judge

    return register


@receiving_check("mail.mta_sts")
def mta_sts(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, sts = evidence["domain"], evidence["mta_sts"]
    mx = _mx_hosts(evidence)
    policy_id = ctx.now.strftime("%Y%m%d%H%M%S")
    publish = records.mta_sts(domain, policy_id) + "\n\n" + records.mta_sts_policy(mx)
    if sts.get("records") is None:
        yield query_failed(evidence, f"_mta-sts.{domain}")
        return
    if not sts["records"]:
        yield warned(message="missing", domain=domain, publish=publish)
        return
    policy: dict[str, Any] = sts.get("policy") or {}
    if policy.get("error") or policy.get("status") != 200 or policy.get("version") != "STSv1":
        error = policy.get("error") or f"HTTP {policy.get('status')}, version={policy.get('version', '—')}"
        yield failed(message="policy_unavailable", domain=domain, url=policy.get("url", ""), error=error, publish=publish)
        return
    certificate = policy.get("certificate") or {}
    if certificate.get("valid") is False:
        yield failed(message="policy_untrusted", domain=domain, url=policy.get("url", ""), error=certificate["error"])
        return
    uncovered = [host for host in mx if not _policy_covers(policy.get("mx", []), host)]
    facts = {"domain": domain, "mode": policy.get("mode", ""), "policy_mx": policy.get("mx", []), "mx": mx}
    if uncovered:
        yield failed(message="mx_not_covered", uncovered=uncovered, publish=records.mta_sts_policy(mx), **facts)
    elif policy.get("mode") != "enforce":
        yield warned(message="not_enforced", publish=records.mta_sts_policy(mx), **facts)
    else:
        yield passed(**facts)


@receiving_check("mail.tls_rpt")
def tls_rpt(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain = evidence["domain"]
    verdict = _presence(evidence, "tls_rpt", f"_smtp._tls.{domain}", records.tls_rpt(domain))
    # a missing TLS-RPT record is a recommendation, not a failure
    yield warned(**verdict.facts) if verdict.status is Status.FAIL else verdict


# --------------------------------------------------------------------------- DNSSEC, CAA


@FAMILY.check("dns.dnssec")
def dnssec(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, facts = evidence["domain"], evidence["dnssec"]
    dnskey, ds = facts.get("dnskey"), facts.get("ds")
    if facts.get("bogus"):
        # The validator refused the zone (SERVFAIL) and answered once checking was disabled: signed, not valid.
        yield failed(message="bogus", severity=Severity.HIGH, domain=domain, resolver=evidence.get("resolver"),
                     reason="; ".join(facts.get("ede") or []) or "SERVFAIL")
    elif dnskey is None or ds is None:
        yield query_failed(evidence, domain)
    elif not dnskey and not ds:
        yield failed(message="unsigned", domain=domain)
    elif dnskey and not ds:
        yield failed(message="no_ds", domain=domain, dnskey=dnskey)
    elif ds and not dnskey:
        yield failed(message="no_dnskey", severity=Severity.HIGH, domain=domain, ds=ds)
    elif facts.get("ad"):
        yield passed(domain=domain, dnskey=dnskey, ds=ds, algorithms=facts.get("algorithms", []))
    else:
        # Signed and delegated, but the resolver set no AD bit: it may simply not validate.
        yield manual(message="not_validated", domain=domain, dnskey=dnskey, ds=ds, resolver=evidence.get("resolver"))


@FAMILY.check("dns.caa")
def caa(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain, facts = evidence["domain"], evidence["caa"]
    if facts.get("records") is None:
        yield query_failed(evidence, domain)
        return
    issuers = [r["value"] for r in facts["records"] if r["tag"] in ("issue", "issuewild")]
    if not issuers:
        yield warned(domain=domain, publish=records.caa(domain))
    else:
        yield passed(domain=domain, owner=facts["owner"], issuers=issuers)
