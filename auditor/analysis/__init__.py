"""One analysis of a judged, scored run: everything a reader needs, computed once.

``analyse(run, lang=...)`` collapses the findings per check across targets,
applies the acceptances (once: ``RunInputs.active_keys``), classifies and
numbers the non-conformities, counts, follows up the previous audit and
ranks the actions by the one rule in ``auditor.analysis.ranking``.  Every
renderer — terminal, HTML, PDF, DOCX, ODT, CSV, plan-CSV, SARIF, JSON —
reads an ``Analysis`` and nothing else, so no two outputs can disagree on a
count, a class, a number or an order.  Nothing here imports ``auditor.report``.

Counting rule: a *failing* finding has status ``fail`` or ``warn``; an *open*
failing finding is one not covered by an acceptance valid on the scan day.
Severity counts, actions and non-conformities are over open failing findings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping
from zoneinfo import ZoneInfo

from auditor.analysis.followup import FollowUp, follow_up
from auditor.analysis.intrusive import IntrusiveRun, intrusive_runs
from auditor.analysis.nonconformity import (Evidence, NonConformity, RequirementRef, non_conformities,
                                            requirements_by_check)
from auditor.analysis.ranking import RANKING_RULES
from auditor.analysis.texts import Texts, per_subject_sources
from auditor.model import Acceptance, Finding, ProbeAttempt, ScanRun, Severity, Status
from auditor.registry import Registry, default_registry
from auditor.unchecked import Unchecked, unchecked
from auditor.scoring import ORGANISATION_TARGET, overall_grade
from auditor.settings import local_time, office_zone
from auditor.workflow.rules import AuditRules, load_audit_rules

__all__ = ["Analysis", "AuditRules", "Evidence", "FollowUp", "IntrusiveRun", "NonConformity", "RANKING_RULES", "RequirementRef", "STATUS_ORDER",
           "TOP_ACTIONS", "TargetGroup", "Texts", "analyse"]

#: How many actions every output puts first ("Najpierw napraw / Fix first").
TOP_ACTIONS = 5
STATUS_ORDER = (Status.FAIL, Status.WARN, Status.ERROR, Status.MANUAL, Status.PASS, Status.NOT_APPLICABLE)


@dataclass(frozen=True)
class TargetGroup:
    """The findings of one target (or one host of a per-subject source), worst first."""

    target_id: str
    name: str
    kind: str
    addresses: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def failing(self) -> int:
        return sum(1 for f in self.findings if f.failing)


@dataclass(frozen=True)
class Analysis:
    run: ScanRun
    lang: str
    texts: Texts
    rules: AuditRules
    actions: tuple[NonConformity, ...]
    """The one ranked action list: every open failing check, fix-first order."""
    requirements_of: Mapping[str, tuple[RequirementRef, ...]]
    open_failing: tuple[Finding, ...]
    accepted: tuple[Finding, ...]
    """Failing findings covered by an acceptance valid on the scan day."""
    expired: tuple[tuple[Finding, Acceptance], ...]
    """Failing findings whose acceptance had expired by the scan day (they count as failures)."""
    failing_by_severity: Mapping[str, int]
    """Open failing findings per severity (every severity present, zeros included)."""
    by_status: Mapping[str, int]
    groups: tuple[TargetGroup, ...]
    findings_by_key: Mapping[str, Finding]
    errors: tuple[ProbeAttempt, ...]
    overall_grade: str
    mean_coverage: float | None
    previous: ScanRun | None = None
    followup: tuple[FollowUp, ...] = ()
    unchecked: Unchecked = Unchecked((), False)
    """Families (or the whole run) without a single verdict: the run could not do its job (exit 3)."""
    intrusive: tuple[IntrusiveRun, ...] = ()
    """Whether each intrusive family's tests (default credentials) ran, were not authorised or were skipped."""

    @property
    def top(self) -> tuple[NonConformity, ...]:
        return self.actions[:TOP_ACTIONS]

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone (``settings.timezone``, Europe/Warsaw by default)."""
        return office_zone(self.run.extras.settings)

    def time(self, moment: datetime, *, date_only: bool = False) -> str:
        """A stored (UTC) moment as the reader sees it: in the office's zone, the zone named."""
        return local_time(moment, self.zone, date_only=date_only)

    @property
    def items(self) -> tuple[NonConformity, ...]:
        """The non-conformities in number order (class order, then rank)."""
        order = list(self.rules.classes)
        return tuple(sorted(self.actions, key=lambda a: (order.index(a.cls), a.rank)))

    def of_class(self, cls: str) -> tuple[NonConformity, ...]:
        return tuple(item for item in self.items if item.cls == cls)

    def class_counts(self) -> dict[str, int]:
        return {cls: len(self.of_class(cls)) for cls in self.rules.classes}

    def action_of(self, check_id: str) -> NonConformity | None:
        return next((a for a in self.actions if a.check_id == check_id), None)

    def acceptance(self, finding: Finding) -> Acceptance | None:
        return self.run.extras.acceptance(finding)

    def open_failures(self, at_least: Severity) -> tuple[Finding, ...]:
        """Open findings with status ``fail`` of at least this severity (``--fail-on``)."""
        return tuple(f for f in self.open_failing if f.status is Status.FAIL and f.severity.at_least(at_least))


def _sorted(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (STATUS_ORDER.index(f.status), -f.severity.rank, f.check_id,
                                                 f.subject)))


def _groups(run: ScanRun, per_subject: frozenset[str]) -> tuple[TargetGroup, ...]:
    """Findings per target in inventory order (the organisation's answers last), worst first."""
    by_target: dict[str, list[Finding]] = defaultdict(list)
    for finding in run.findings:
        by_target[finding.target_id].append(finding)
    groups: list[TargetGroup] = []
    for t in run.targets:
        if not by_target.get(t.id):
            continue
        if t.id in per_subject:
            by_subject: dict[str, list[Finding]] = defaultdict(list)
            for finding in by_target[t.id]:
                by_subject[finding.subject].append(finding)
            groups += [TargetGroup(t.id, subject or t.name, f"{t.kind} · {t.name}" if subject else t.kind, (),
                                   _sorted(found)) for subject, found in sorted(by_subject.items())]
        else:
            groups.append(TargetGroup(t.id, t.name, t.kind, t.addresses, _sorted(by_target[t.id])))
    for target_id in sorted(set(by_target) - {t.id for t in run.targets}):
        name = run.organisation.get("name", target_id) if target_id == ORGANISATION_TARGET else target_id
        groups.append(TargetGroup(target_id, str(name), "organisation", (), _sorted(by_target[target_id])))
    return tuple(groups)


def analyse(run: ScanRun, *, lang: str = "pl", registry: Registry | None = None, rules: AuditRules | None = None,
            previous: ScanRun | None = None) -> Analysis:
    """The analysis of ``run`` in ``lang``; ``previous`` is the last earlier snapshot of the same office."""
    registry = registry or default_registry()
    rules = rules or load_audit_rules()
    texts = Texts(registry, lang)
    active = run.extras.active_keys
    failing = [f for f in run.findings if f.failing]
    open_failing = tuple(f for f in failing if f.key not in active)
    per_subject = per_subject_sources(run, registry)
    requirements = requirements_by_check(run)
    severities = Counter(f.severity for f in open_failing)
    statuses = Counter(f.status for f in run.findings)
    earlier: tuple[FollowUp, ...] = ()
    if previous is not None:
        before = analyse(previous, lang=lang, registry=registry, rules=rules)
        earlier = tuple(follow_up(before.actions, run))
    return Analysis(
        run=run, lang=lang, texts=texts, rules=rules,
        actions=non_conformities(run, open_failing, texts, rules, requirements, per_subject),
        requirements_of={check: tuple(refs) for check, refs in requirements.items()},
        open_failing=open_failing,
        accepted=tuple(f for f in failing if f.key in active),
        expired=tuple((f, entry) for f in failing if (entry := run.extras.acceptance(f)) and not entry.active),
        failing_by_severity={s.value: severities[s] for s in Severity},
        by_status={s.value: statuses[s] for s in STATUS_ORDER},
        groups=_groups(run, per_subject),
        findings_by_key={f.key: f for f in run.findings},
        errors=tuple(a for a in run.attempts if not a.completed),
        overall_grade=overall_grade(run.scores),
        mean_coverage=(sum(e.coverage for e in run.scores.values()) / len(run.scores)) if run.scores else None,
        previous=previous,
        followup=earlier,
        unchecked=unchecked(run.findings, {check_id: spec.family for check_id, spec in registry.checks.items()}),
        intrusive=intrusive_runs(run, registry, lang),
    )
