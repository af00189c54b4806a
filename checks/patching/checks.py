"""The patching checks: pure functions of the evidence and the knowledge data."""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Iterator, Mapping

from auditor.checks.patching.assess import (
    CMS_PRODUCTS, OS_PRODUCTS, EolFact, Outcome, VulnFact, eol_fact, host_observations, host_vuln_facts,
    os_eol_fact, package_vuln_facts, program_observations,
)
from auditor.checks.patching.family import FAMILY
from auditor.checks.patching.knowledge import Knowledge, knowledge_for
from auditor.checks.patching.versions import compare_upstream, cycle_of
from auditor.model import Severity, Target
from auditor.plugin import JudgeContext, Verdict, failed, manual, not_applicable, passed, warned

#: Checks that answer the same question for hosts (banners) and package inventories.
VERSION_PROBES = ("network", "software", "packages")
DEFAULT_EOL_SOON_DAYS = 180
DEFAULT_HOTFIX_MAX_AGE_DAYS = 45
_MAX_LISTED = 10


def _knowledge(ctx: JudgeContext) -> Knowledge:
    return knowledge_for(ctx.settings)


def _eol_facts(evidence: Mapping[str, Any], knowledge: Knowledge) -> list[EolFact]:
    """Release lines in use: products seen on a host, or the operating system of an inventory."""
    facts = []
    if evidence.get("packages") is not None:
        fact = os_eol_fact(knowledge, evidence["packages"].get("os"))
        facts.extend([fact] if fact else [])
        observed = program_observations(evidence["packages"].get("programs"))
    else:
        observed = host_observations(evidence.get("network"), evidence.get("software"))
    for item in observed:
        fact = eol_fact(knowledge, item.product, item.version, f"{item.product} {item.version}", item.distro)
        if fact:
            facts.append(fact)
    return facts


def _release_name(fact: EolFact) -> str:
    """``Apache HTTP Server 2.2``, ``Windows Server 2012 R2``, ``Microsoft Windows 10 22H2``.

    A label that names the product is used as is; a label that only adds the
    latest patch level (``2016 CU23 SU19``) is dropped for the cycle.
    """
    label, cycle = fact.cycle.label, fact.cycle.cycle
    if label and label.split()[0] in fact.product.name.split():
        return label
    if not label or label.startswith(cycle):
        return f"{fact.product.name} {cycle}"
    return f"{fact.product.name} {label}"


def _eol_common(fact: EolFact) -> dict[str, Any]:
    return {
        "name": _release_name(fact),
        "eol": fact.effective_eol.isoformat() if fact.effective_eol else "?",
        "source": fact.product.source,
    }


@FAMILY.check("patch.eol", reads=VERSION_PROBES, any_of=True)
def eol(evidence: Mapping[str, Any], target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    today = ctx.now.date()
    facts = _eol_facts(evidence, _knowledge(ctx))
    if not facts:
        yield not_applicable(message="no_versions")
        return
    for fact in facts:
        common = _eol_common(fact)
        ended = fact.cycle.eol_reached or (fact.effective_eol is not None and fact.effective_eol <= today)
        if not ended:
            yield passed(subject=fact.subject, **common)
        elif fact.paid_until and fact.paid_until > today:
            yield warned(subject=fact.subject, message="paid_support", severity=Severity.HIGH,
                         paid_until=fact.paid_until.isoformat(), **common)
        elif fact.distro_hint and fact.product.key not in OS_PRODUCTS:
            yield warned(subject=fact.subject, message="distro_support", severity=Severity.HIGH,
                         distro=fact.distro_hint, **common)
        else:
            yield failed(subject=fact.subject, severity=Severity.CRITICAL, **common)


@FAMILY.check("patch.eol_soon", reads=VERSION_PROBES, any_of=True)
def eol_soon(evidence: Mapping[str, Any], target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    today = ctx.now.date()
    horizon = int(ctx.setting("patch_eol_soon_days", DEFAULT_EOL_SOON_DAYS))
    dated = [(f, f.effective_eol) for f in _eol_facts(evidence, _knowledge(ctx))
             if f.effective_eol and not f.cycle.eol_reached]
    if not dated:
        yield not_applicable(message="no_versions")
        return
    for fact, end in dated:
        left = (end - today).days
        if 0 < left <= horizon:
            yield warned(subject=fact.subject, days=left, horizon=horizon, **_eol_common(fact))
        elif left > horizon:
            yield passed(subject=fact.subject, days=left, horizon=horizon, **_eol_common(fact))


def _vuln_facts(evidence: Mapping[str, Any], knowledge: Knowledge) -> list[VulnFact] | None:
    if evidence.get("packages") is not None:
        programs = program_observations(evidence["packages"].get("programs"))
        return package_vuln_facts(knowledge, evidence["packages"]) + host_vuln_facts(knowledge, programs)
    observed = [o for o in host_observations(evidence.get("network"), evidence.get("software")) if o.version]
    return host_vuln_facts(knowledge, observed) if observed else None


def _vuln_verdicts(facts: list[VulnFact] | None, *, kev: bool) -> Iterator[Verdict]:
    if facts is None:
        yield not_applicable(message="no_versions")
        return
    relevant = [f for f in facts if f.vuln.kev == kev]
    bad = False
    for fact in relevant:
        common = {"cve": fact.vuln.cve, "title": fact.vuln.title, "installed": fact.installed, "fixed": fact.fixed,
                  "kev_added": fact.vuln.kev_added or "-"}
        if fact.outcome is Outcome.VULNERABLE:
            bad = True
            severity = Severity.CRITICAL if kev else Severity(fact.vuln.severity)
            yield failed(subject=fact.subject, severity=severity, **common)
        elif fact.outcome is Outcome.UNDECIDABLE:
            bad = True
            yield warned(subject=fact.subject, message="undecidable", severity=Severity.HIGH if kev else None,
                         reason_pl=fact.reason_pl, reason_en=fact.reason_en, **common)
    if not bad:
        yield passed(checked=len(relevant))


@FAMILY.check("patch.known_exploited", reads=VERSION_PROBES, any_of=True)
def known_exploited(evidence: Mapping[str, Any], target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    yield from _vuln_verdicts(_vuln_facts(evidence, _knowledge(ctx)), kev=True)


@FAMILY.check("patch.known_vuln", reads=VERSION_PROBES, any_of=True)
def known_vuln(evidence: Mapping[str, Any], target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    yield from _vuln_verdicts(_vuln_facts(evidence, _knowledge(ctx)), kev=False)


@FAMILY.check("patch.outdated_cms", reads="software")
def outdated_cms(evidence: Mapping[str, Any], target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    knowledge = _knowledge(ctx)
    cms = [o for o in host_observations(None, evidence) if o.product in CMS_PRODUCTS]
    if not cms:
        yield not_applicable(message="no_cms")
        return
    for item in cms:
        yield _cms_verdict(knowledge, item.product, item.version)


def _cms_verdict(knowledge: Knowledge, name: str, version: str | None) -> Verdict:
    """One CMS against the latest release of its line in the lifecycle data."""
    if not version:
        return manual(subject=name, message="hidden", product=name)
    product = knowledge.products.get(name)
    cycle_name = cycle_of(version, [c.cycle for c in product.cycles]) if product else None
    cycle = product.cycle(cycle_name) if product and cycle_name else None
    if product is None or cycle is None or not cycle.latest:
        return manual(subject=f"{name} {version}", message="unknown_release", product=name, version=version)
    facts = {"product": product.name, "version": version, "latest": cycle.latest,
             "newest": product.cycles[0].latest or product.cycles[0].cycle}
    if compare_upstream(version, cycle.latest) < 0:
        return failed(subject=f"{name} {version}", **facts)
    return passed(subject=f"{name} {version}", **facts)


@FAMILY.check("patch.pending_updates", reads="packages")
def pending_updates(evidence: Mapping[str, Any], target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    updates = evidence.get("upgradable")
    if updates is None:
        yield not_applicable(message="no_list")
        return
    security = sorted(u["name"] for u in updates if u.get("security"))
    other = sorted(u["name"] for u in updates if not u.get("security"))
    if security:
        yield failed(subject="security", security_count=len(security), packages=security[:_MAX_LISTED],
                     other_count=len(other))
    elif other:
        yield warned(subject="other", other_count=len(other), packages=other[:_MAX_LISTED])
    else:
        yield passed()


@FAMILY.check("patch.no_recent_updates", reads="packages")
def no_recent_updates(evidence: Mapping[str, Any], target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    hotfixes = evidence.get("hotfixes")
    if hotfixes is None:
        yield not_applicable(message="no_list")
        return
    dates = [date.fromisoformat(h["installed_on"]) for h in hotfixes if h.get("installed_on")]
    if not dates:
        yield manual(message="no_dates", count=len(hotfixes))
        return
    newest = max(dates)
    age = (ctx.now.date() - newest).days
    limit = int(ctx.setting("patch_hotfix_max_age_days", DEFAULT_HOTFIX_MAX_AGE_DAYS))
    latest_ids = sorted(h["id"] for h in hotfixes if h.get("installed_on") == newest.isoformat())
    facts = {"newest": newest.isoformat(), "age": age, "limit": limit, "hotfixes": latest_ids[:_MAX_LISTED]}
    yield failed(**facts) if age > limit else passed(**facts)
