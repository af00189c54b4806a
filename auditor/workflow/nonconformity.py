"""Non-conformities: failing checks collapsed over targets, classified, numbered and planned.

The same failing check on many targets is one finding of the audit: one
numbered item listing the targets, not twenty lines.  Its class
(``niezgodność`` / ``obserwacja`` / ``zalecenie``), the owner role, the
suggested deadline and the effort estimate come from the audit rules
(``baselines/audit.yaml``), the legal basis from the baselines' requirement
mapping stored in ``run.scores``, the remediation from the check's sidecar.

Failing findings under a valid risk acceptance are left out (the report
lists them as accepted risks); those whose acceptance expired are in, with
the expiry noted.  Pure: a run in, values out; numbers are stable for a given
run (class order, then severity, then severity × requirements affected, then
targets, then check id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from auditor.model import Finding, ScanRun, Status
from auditor.registry import Registry
from auditor.report.view import ReportView
from auditor.workflow.accepted import active_accepted_keys, accepted_entry
from auditor.workflow.rules import AuditRules

#: Evidence lines printed per non-conformity (the HTML/JSON report has them all).
MAX_EVIDENCE = 12


@dataclass(frozen=True)
class Evidence:
    target: str
    message: str


@dataclass(frozen=True)
class NonConformity:
    number: str
    cls: str
    check_id: str
    title: str
    severity: str
    status: str
    """Worst status among its findings: ``fail`` or ``warn``."""
    targets: tuple[str, ...]
    keys: tuple[str, ...]
    legal_basis: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    evidence_total: int
    remediation: str
    owner: str
    owner_label: str
    deadline: dt.date
    deadline_days: int
    effort_hours: float
    expired_acceptances: tuple[str, ...] = ()
    """ISO dates of acceptances that covered some of these findings and expired before the scan."""


@dataclass
class Classified:
    """All items of one run, by class in the rules' order, plus the accepted risks left out."""

    items: list[NonConformity] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)

    def of_class(self, cls: str) -> list[NonConformity]:
        return [item for item in self.items if item.cls == cls]


def _worst_status(findings: Iterable[Finding]) -> str:
    return Status.FAIL.value if any(f.status is Status.FAIL for f in findings) else Status.WARN.value


def non_conformities(run: ScanRun, registry: Registry, rules: AuditRules, lang: str = "pl") -> Classified:
    """The run's failing checks as classified, numbered non-conformities (see the module docstring)."""
    accepted_keys = active_accepted_keys(run)
    failing = [f for f in run.findings if f.failing and f.key not in accepted_keys]
    view = ReportView(run.with_findings(tuple(failing)), lang, registry)
    by_check: dict[str, list[Finding]] = {}
    for finding in failing:
        by_check.setdefault(finding.check_id, []).append(finding)
    day = run.meta.started.date()
    drafts: list[tuple[tuple[int, int, int], NonConformity]] = []
    class_order = list(rules.classes)
    for order, action in enumerate(view.actions()):
        findings = by_check[action.check_id]
        status = _worst_status(findings)
        cls = rules.classify(status, action.severity)
        owner = rules.owner_of(action.check_id)
        days = rules.deadline_days[action.severity]
        expired = sorted({str(entry["expires"]) for f in findings
                          if (entry := accepted_entry(run, f)) is not None})
        drafts.append(((class_order.index(cls), -action.severity.rank, order), NonConformity(
            number="", cls=cls, check_id=action.check_id, title=action.title, severity=action.severity.value,
            status=status, targets=tuple(action.targets), keys=tuple(f.key for f in findings),
            legal_basis=tuple(dict.fromkeys(ref.cited(lang) for ref in action.requirements)),
            evidence=tuple(Evidence(view.target_label(f), view.message(f)) for f in findings[:MAX_EVIDENCE]),
            evidence_total=len(findings), remediation=action.remediation, owner=owner.owner,
            owner_label=getattr(rules.owner_roles[owner.owner], lang), deadline=day + dt.timedelta(days=days),
            deadline_days=days,
            effort_hours=owner.base_hours + owner.per_target_hours * max(0, len(action.targets) - 1),
            expired_acceptances=tuple(expired),
        )))
    counters: dict[str, int] = {}
    items = []
    for _, draft in sorted(drafts, key=lambda pair: pair[0]):
        counters[draft.cls] = counters.get(draft.cls, 0) + 1
        number = f"{rules.classes[draft.cls].prefix}-{counters[draft.cls]:02d}"
        items.append(NonConformity(**{**draft.__dict__, "number": number}))
    return Classified(items, [f for f in run.findings if f.key in accepted_keys])
