"""Non-conformities: failing checks collapsed over targets, ranked, classified, numbered and planned.

The same failing check on many targets is one finding of the audit: one
numbered item listing the targets, not twenty lines — and one remediation
action.  Its rank comes from ``auditor.analysis.ranking``; its class
(``niezgodność`` / ``obserwacja`` / ``zalecenie``), the owner role, the
suggested deadline and the effort estimate from the audit rules
(``baselines/audit.yaml``), the legal basis from the baselines' requirement
mapping stored in ``run.scores``, the remediation from the check's sidecar.

Failing findings under a valid risk acceptance are left out (the report
lists them as accepted risks); those whose acceptance expired are in, with
the expiry noted.  Pure: a run in, values out; numbers are stable for a given
run: class order, then rank.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Iterable, Mapping

from auditor.analysis.ranking import internet_facing, known_exploited, rank_key
from auditor.analysis.texts import Texts, first_step, target_label
from auditor.model import Finding, ScanRun, Severity, Status
from auditor.scoring import MANUAL_PREFIX
from auditor.workflow.rules import AuditRules

#: Evidence lines printed per non-conformity (the HTML/JSON report has them all).
MAX_EVIDENCE = 12


#: How a reference that is not confirmed is marked wherever it is cited (formal report, actions).
_UNCERTAIN_MARK = {
    "secondary": {"pl": "wg źródeł wtórnych", "en": "per secondary sources"},
    "unconfirmed": {"pl": "niepotwierdzone", "en": "unconfirmed"},
}
_FORMERLY = {"pl": "dawniej", "en": "formerly"}


@dataclass(frozen=True)
class RequirementRef:
    """A requirement a check gives evidence for, with its status on this run."""

    baseline: str
    requirement: str
    ref: str
    status: str
    confirmation: str | None = None
    """The requirement's confirmation state (``basis``), ``None`` in runs scored before it existed."""
    legacy: str | None = None
    """The number in the act this one replaced (KRI 2012), shown beside an unconfirmed new number."""

    def cited(self, lang: str, former: bool = True) -> str:
        """The reference, with its confirmation state when it is less than confirmed — never shown as certain.

        An unconfirmed number carries the former act's number too, labelled as such, so the reader has one
        number to rely on and never sees two numberings presented as one.  ``former=False`` where the page
        already gives it once per requirement (the HTML's requirement matrix), not again in every row.
        """
        mark = _UNCERTAIN_MARK.get(self.confirmation or "")
        notes = [mark[lang]] if mark else []
        if former and notes and self.legacy and self.legacy != self.ref:
            notes.append(f"{_FORMERLY[lang]} {self.legacy}")
        return f"{self.ref} ({'; '.join(notes)})" if notes else self.ref


@dataclass(frozen=True)
class Evidence:
    target: str
    message: str


@dataclass(frozen=True)
class NonConformity:
    """One failing check over all its targets: an action to take and a numbered item of the audit."""

    number: str
    """``N-01``, ``O-02``, ``Z-01`` … (class prefix, then rank within the class)."""
    rank: int
    """Position in the one ranked action list (1 = fix first)."""
    cls: str
    check_id: str
    title: str
    severity: Severity
    status: Status
    """Worst status among its findings: ``fail`` or ``warn``."""
    targets: tuple[str, ...]
    keys: tuple[str, ...]
    requirements: tuple[RequirementRef, ...]
    legal_basis: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    evidence_total: int
    remediation: str
    first_step: str
    owner: str
    owner_label: str
    deadline: dt.date
    deadline_days: int
    effort_hours: float
    known_exploited: bool = False
    internet: bool = False
    """Some target faces the Internet (see the ranking rule)."""
    expired_acceptances: tuple[str, ...] = ()
    """ISO dates of acceptances that covered some of these findings and expired before the scan."""


def requirements_by_check(run: ScanRun) -> dict[str, list[RequirementRef]]:
    """Check id (or ``manual.<question>``) → the requirements it gives evidence for, from ``run.scores``."""
    refs: dict[str, list[RequirementRef]] = defaultdict(list)
    for baseline_id, entry in run.scores.items():
        for req_id, req in entry.requirements.items():
            ref = RequirementRef(baseline_id, req_id, req.ref, req.status.value,
                                 req.basis.confirmation if req.basis else None, req.legacy_ref)
            for check in req.checks:
                refs[check.id].append(ref)
            for item in req.manual:
                refs[MANUAL_PREFIX + item.id].append(ref)
    return refs


def _worst_status(findings: Iterable[Finding]) -> Status:
    return Status.FAIL if any(f.status is Status.FAIL for f in findings) else Status.WARN


def non_conformities(run: ScanRun, open_failing: Iterable[Finding], texts: Texts, rules: AuditRules,
                     requirements: Mapping[str, list[RequirementRef]],
                     per_subject: frozenset[str]) -> tuple[NonConformity, ...]:
    """``open_failing`` (failing, not validly accepted) as numbered items, in rank order."""
    by_check: dict[str, list[Finding]] = {}
    for finding in open_failing:
        by_check.setdefault(finding.check_id, []).append(finding)
    targets = {t.id: t for t in run.targets}
    day = run.meta.started.date()
    drafts = []
    for check_id, findings in by_check.items():
        severity = max((f.severity for f in findings), key=lambda s: s.rank)
        status = _worst_status(findings)
        labels = tuple(dict.fromkeys(target_label(f, per_subject) for f in findings))
        refs = tuple(requirements.get(check_id, ()))
        kev = known_exploited(findings)
        internet = any(internet_facing(targets.get(f.target_id)) for f in findings)
        cls = rules.classify(status.value, severity)
        owner = rules.owner_of(check_id)
        days = rules.deadline_days[severity]
        expired = sorted({str(entry.expires) for f in findings
                          if (entry := run.extras.acceptance(f)) is not None and not entry.active})
        remediation = texts.remediation(check_id)
        drafts.append(NonConformity(
            number="", rank=0, cls=cls, check_id=check_id, title=texts.check_title(check_id, findings[0]),
            severity=severity, status=status, targets=labels, keys=tuple(f.key for f in findings),
            requirements=refs, legal_basis=tuple(dict.fromkeys(ref.cited(texts.lang) for ref in refs)),
            evidence=tuple(Evidence(target_label(f, per_subject), texts.message(f)) for f in findings[:MAX_EVIDENCE]),
            evidence_total=len(findings), remediation=remediation, first_step=first_step(remediation),
            owner=owner.owner, owner_label=getattr(rules.owner_roles[owner.owner], texts.lang),
            deadline=day + dt.timedelta(days=days), deadline_days=days,
            effort_hours=owner.base_hours + owner.per_target_hours * max(0, len(labels) - 1),
            known_exploited=kev, internet=internet, expired_acceptances=tuple(expired),
        ))
    ranked = sorted(drafts, key=lambda d: rank_key(d.severity, d.known_exploited, d.internet, len(d.targets),
                                                   len(d.requirements), d.status, d.check_id))
    class_order = list(rules.classes)
    numbered: dict[str, int] = {}
    counters: dict[str, int] = {}
    for draft in sorted(ranked, key=lambda d: class_order.index(d.cls)):  # stable: rank order within a class
        counters[draft.cls] = counters.get(draft.cls, 0) + 1
        numbered[draft.check_id] = counters[draft.cls]
    return tuple(replace(d, rank=position, number=f"{rules.classes[d.cls].prefix}-{numbered[d.check_id]:02d}")
                 for position, d in enumerate(ranked, 1))
