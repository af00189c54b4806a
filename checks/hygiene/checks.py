"""Judging domain hygiene: registrations about to lapse, scripts from names anyone can register, weak SSH keys.

Pure functions of the evidence and the scan time.  A lookup that did not
happen or did not answer (offline, no RDAP service for the TLD, a registry
error) is ``manual`` — the office must check it by hand — never ``pass``.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from auditor.checks.hygiene.family import FAMILY
from auditor.checks.hygiene.sshkeys import BLACKLIST_PREFIX, weak_key_set
from auditor.model import Evidence, Severity, Target
from auditor.plugin import JudgeContext, Verdict, failed, manual, not_applicable, passed, warned
from auditor.rdap import LAPSING_STATUSES, expiry_date

DEFAULT_WARN_DAYS = 60
DEFAULT_FAIL_DAYS = 14


def _unanswered(record: Mapping[str, Any]) -> str | None:
    """The message key for a lookup that gave no answer, or ``None`` when the registry answered."""
    return {"offline": "offline", "no_service": "no_service", "error": "rdap_error"}.get(str(record.get("outcome")))


def _tld(domain: str) -> str:
    return domain.rsplit(".", 1)[-1]


@FAMILY.check("hygiene.domain.expiry", reads="rdap")
def domain_expiry(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    domain = evidence["domain"]
    facts = {"domain": domain, "tld": _tld(domain), "server": evidence.get("server") or "—",
             "error": evidence.get("error") or "—", "bootstrap_date": evidence.get("bootstrap_date", "?")}
    unanswered = _unanswered(evidence)
    if unanswered:
        yield manual(subject=domain, message=unanswered, **facts)
        return
    if evidence["outcome"] == "not_registered":
        yield failed(subject=domain, message="not_registered", severity=Severity.CRITICAL, **facts)
        return
    lapsing = sorted(set(evidence.get("statuses", [])) & LAPSING_STATUSES)
    if lapsing:
        yield failed(subject=domain, message="lapsing", severity=Severity.CRITICAL, statuses=", ".join(lapsing),
                     **facts)
        return
    expires = expiry_date(evidence)
    if expires is None:
        yield manual(subject=domain, message="no_expiry", **facts)
        return
    days = (expires - ctx.now).total_seconds() / 86400
    warn_days = int(ctx.setting("domain_expiry_warn_days", DEFAULT_WARN_DAYS))
    fail_days = int(ctx.setting("domain_expiry_fail_days", DEFAULT_FAIL_DAYS))
    dated = {**facts, "expires": expires.date().isoformat(), "days": max(0, int(days)), "warn_days": warn_days,
             "fail_days": fail_days}
    if days <= 0:
        yield failed(subject=domain, message="expired", severity=Severity.CRITICAL, **dated)
    elif days <= fail_days:
        yield failed(subject=domain, message="fail", **dated)
    elif days <= warn_days:
        yield warned(subject=domain, message="warn", severity=Severity.MEDIUM, **dated)
    else:
        yield passed(subject=domain, **dated)


@FAMILY.check("hygiene.script_domain.unregistered", reads="cms")
def script_domain_unregistered(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    sites = [site for site in evidence["sites"] if not site.get("error")]
    if not sites or "script_domains" not in evidence:
        yield not_applicable(message="no_site")
        return
    pages = {domain: site["origin"] for site in sites for domain in site.get("foreign_script_domains", [])}
    for record in evidence["script_domains"]:
        domain = record["domain"]
        facts = {"domain": domain, "page": pages.get(domain, "?"), "tld": _tld(domain),
                 "error": record.get("error") or "—", "bootstrap_date": record.get("bootstrap_date", "?")}
        unanswered = _unanswered(record)
        lapsing = sorted(set(record.get("statuses", [])) & LAPSING_STATUSES)
        expires = expiry_date(record)
        if unanswered:
            yield manual(subject=domain, message=unanswered, **facts)
        elif record["outcome"] == "not_registered":
            yield failed(subject=domain, **facts)
        elif lapsing or (expires is not None and expires <= ctx.now):
            yield failed(subject=domain, message="lapsed", severity=Severity.HIGH,
                         state=", ".join(lapsing) or f"expired {expires.date().isoformat() if expires else '?'}",
                         **facts)
        else:
            yield passed(subject=domain, message="registered", **facts)
    if not evidence["script_domains"]:
        yield passed(subject=target.name, message="none", scripts=sum(len(s.get("scripts", [])) for s in sites))


@FAMILY.check("hygiene.ssh.debian_weak_key", reads="ssh_hostkeys")
def debian_weak_key(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    data = weak_key_set(ctx.setting("ssh_blacklist_dir", None))
    dataset = {"source": data.source, "data_date": data.date}
    for subject in evidence["subjects"]:
        keys = subject["keys"]
        weak = [k for k in keys if data.is_weak(k)]
        for key in weak:
            yield failed(subject=f"{subject['subject']} {key['type']}", endpoint=subject["subject"],
                         key_type=key["type"], bits=key["bits"], md5=key["md5"], sha256=key["sha256"], **dataset)
        if weak:
            continue
        # a type the bug produced (RSA, DSA) needs a list of its size; a sample list only proves a match
        unjudged = [k for k in keys if k["type"] in BLACKLIST_PREFIX and (data.list_for(k) is None or not data.complete)]
        shown = ", ".join(f"{k['type']} {k['bits']}" for k in keys)
        if unjudged:
            yield manual(subject=subject["subject"], message="no_list" if data.complete else "incomplete",
                         endpoint=subject["subject"], keys=shown,
                         unjudged=", ".join(f"{k['type']} {k['bits']}" for k in unjudged), **dataset)
        else:
            yield passed(subject=subject["subject"], endpoint=subject["subject"], keys=shown, **dataset)
    for error in evidence.get("errors", []):  # a declared port that gave no key is not judged, and says so
        endpoint, _, why = str(error).partition(": ")
        yield manual(subject=endpoint, message="not_read", endpoint=endpoint, error=why or "—", **dataset)
