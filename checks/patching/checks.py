"""The patching checks: pure functions of the evidence and the knowledge data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Iterator, Mapping

from auditor.checks.patching.assess import (
    CMS_PRODUCTS, OS_PRODUCTS, DistroLife, EolFact, Outcome, VulnFact, distro_life, eol_fact, host_observations,
    host_vuln_facts,
    os_eol_fact, package_vuln_facts, program_observations,
)
from auditor.checks.patching.family import FAMILY
from auditor.checks.patching.knowledge import Knowledge, Vuln, knowledge_for
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
        fact = eol_fact(knowledge, item.product, item.version, f"{item.product} {item.version}", item.distro,
                        item.distro_release)
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
    knowledge = _knowledge(ctx)
    facts = _eol_facts(evidence, knowledge)
    if not facts:
        yield not_applicable(message="no_versions")
        return
    for fact in facts:
        common = _eol_common(fact)
        if not fact.ended(today):
            yield passed(subject=fact.subject, **common)
        elif fact.paid_until and fact.paid_until > today:
            yield warned(subject=fact.subject, message="paid_support", severity=Severity.HIGH,
                         paid_until=fact.paid_until.isoformat(), **common)
        elif fact.distro_hint and fact.product.key not in OS_PRODUCTS:
            yield _distro_verdict(fact, distro_life(knowledge, fact.distro_hint, fact.distro_release, today), common)
        else:
            yield failed(subject=fact.subject, severity=Severity.CRITICAL, **common)


def _distro_verdict(fact: EolFact, life: DistroLife | None, common: dict[str, Any]) -> Verdict:
    """An upstream-EOL line in a distribution package: failed when the distribution has ended too.

    A distribution backports fixes into old upstream lines only while the
    release is supported; an ended release (every CentOS, Debian 9 after its
    LTS) makes that hope moot.  While it may be supported, this is for the
    auditor to confirm (``manual``), not a warning the tool cannot back.
    """
    if life is not None and life.ended:
        return failed(subject=fact.subject, message="distro_eol", severity=Severity.CRITICAL, distro=life.name,
                      distro_eol=life.eol.isoformat() if life.eol else "?", **common)
    return manual(subject=fact.subject, message="distro_support", distro=fact.distro_hint, **common)


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


@dataclass(frozen=True)
class _Checked:
    """What a vulnerability check looked at, so its pass message can say it honestly."""

    facts: list[VulnFact]
    versions: list[str]
    """``product version`` of every identified version (hosts) or package count (inventories)."""
    entries: int
    """How many table entries exist for those products at all."""


def _vuln_facts(evidence: Mapping[str, Any], knowledge: Knowledge, *, kev: bool) -> _Checked | None:
    wanted = [v for v in knowledge.vulns if v.known_exploited == kev]
    if evidence.get("packages") is not None:
        inventory = evidence["packages"]
        programs = program_observations(inventory.get("programs"))
        facts = package_vuln_facts(knowledge, inventory) + host_vuln_facts(knowledge, programs)
        names = {str(p.get("source") or p["name"]) for p in inventory.get("packages", [])}
        names |= {str(p["name"]) for p in inventory.get("packages", [])}
        entries = sum(1 for v in wanted if any(fix.names() & names for fix in v.distros.values()))
        versions = [f"{len(inventory.get('packages', []))} pakietów/packages"] + [f"{o.product} {o.version}" for o in programs]
    else:
        observed = [o for o in host_observations(evidence.get("network"), evidence.get("software")) if o.version]
        if not observed:
            return None
        facts = host_vuln_facts(knowledge, observed)
        products = {o.product for o in observed}
        entries = sum(1 for v in wanted if v.product in products)
        versions = [f"{o.product} {o.version}" for o in observed]
    return _Checked([f for f in facts if f.vuln.known_exploited == kev], sorted(set(versions)), entries)


def _vuln_verdicts(checked: _Checked | None, *, kev: bool) -> Iterator[Verdict]:
    if checked is None:
        yield not_applicable(message="no_versions")
        return
    bad = False
    for fact in checked.facts:
        vuln = fact.vuln
        common = {"cve": vuln.cve, "title": vuln.title, "installed": fact.installed, "fixed": fact.fixed,
                  "advisory": fact.advisory or vuln.cve, "kev_added": vuln.kev_added or "-",
                  "exploited": _exploited_label(vuln)}
        if fact.outcome is Outcome.VULNERABLE:
            bad = True
            severity = Severity.CRITICAL if kev else Severity(vuln.severity)
            yield failed(subject=fact.subject, message="backdoor" if vuln.exploited == "backdoor" else None,
                         severity=severity, **common)
        elif fact.outcome is Outcome.UNDECIDABLE:
            yield manual(subject=fact.subject, message="undecidable", severity=Severity.INFO,
                         reason_pl=fact.reason_pl, reason_en=fact.reason_en, **common)
        else:
            yield passed(subject=fact.subject, message="fixed", **common)
    if not bad:
        yield passed(message="none_applies" if checked.entries else "no_entries", checked=len(checked.versions),
                     versions=", ".join(checked.versions[:_MAX_LISTED]), entries=checked.entries)


def _exploited_label(vuln: Vuln) -> str:
    if vuln.kev:
        return f"CISA KEV {vuln.kev_added or ''}".strip()
    return {"backdoor": "backdoor"}.get(vuln.exploited, vuln.exploited or "-")


@FAMILY.check("patch.known_exploited", reads=VERSION_PROBES, any_of=True)
def known_exploited(evidence: Mapping[str, Any], target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    yield from _vuln_verdicts(_vuln_facts(evidence, _knowledge(ctx), kev=True), kev=True)


@FAMILY.check("patch.known_vuln", reads=VERSION_PROBES, any_of=True)
def known_vuln(evidence: Mapping[str, Any], target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    yield from _vuln_verdicts(_vuln_facts(evidence, _knowledge(ctx), kev=False), kev=False)


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
