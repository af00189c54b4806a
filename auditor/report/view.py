"""What every report format needs to know about a run, computed once.

Check texts come from the registry (``CheckSpec``); a check the registry no
longer knows (a run from another version) or a manual answer falls back to
the finding's own message, so an old run still renders.  Requirement texts
come from ``run.scores`` (the scorer copies them there), so rendering needs
no baseline files.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from auditor.model import Finding, ScanRun, Severity, Status, Target
from auditor.registry import Registry
from auditor.scoring import MANUAL_PREFIX, ORGANISATION_TARGET

STATUS_ORDER = (Status.FAIL, Status.WARN, Status.ERROR, Status.MANUAL, Status.PASS, Status.NOT_APPLICABLE)
#: Longest rendered fact value; evidence beyond this is cut (the JSON report has it all).
MAX_FACT_CHARS = 2000
TOP_ACTIONS = 10


#: How a reference that is not confirmed is marked wherever it is cited (formal report, actions).
_UNCERTAIN_MARK = {
    "secondary": {"pl": "wg źródeł wtórnych", "en": "per secondary sources"},
    "unconfirmed": {"pl": "niepotwierdzone", "en": "unconfirmed"},
}


@dataclass(frozen=True)
class RequirementRef:
    baseline: str
    requirement: str
    ref: str
    status: str
    confirmation: str | None = None
    """The requirement's confirmation state (``basis``), ``None`` in runs scored before it existed."""

    def cited(self, lang: str) -> str:
        """The reference, with its confirmation state when it is less than confirmed — never shown as certain."""
        mark = _UNCERTAIN_MARK.get(self.confirmation or "")
        return f"{self.ref} ({mark[lang]})" if mark else self.ref


@dataclass
class Action:
    """One remediation: a failing check (all targets) with the requirements it hurts."""

    check_id: str
    title: str
    severity: Severity
    remediation: str
    targets: list[str] = field(default_factory=list)
    findings: int = 0
    requirements: list[RequirementRef] = field(default_factory=list)

    @property
    def rank(self) -> int:
        """Severity × requirements affected (DESIGN: ranking of the top remediation actions)."""
        return (self.severity.rank + 1) * max(1, len(self.requirements))


@dataclass
class TargetGroup:
    target_id: str
    name: str
    kind: str
    addresses: tuple[str, ...]
    findings: list[Finding]

    @property
    def failing(self) -> int:
        return sum(1 for f in self.findings if f.failing)


@dataclass
class ReportView:
    run: ScanRun
    lang: str
    registry: Registry

    def __post_init__(self) -> None:
        # Evidence sources whose subjects are separate hosts (a folder of configuration bundles):
        # their findings are grouped, and counted in actions, per host rather than per source.
        self.per_subject = {t.id for t in self.run.targets
                            if getattr(self.registry.source_types.get(t.kind), "findings_per_subject", False)}
        self.requirements_of: dict[str, list[RequirementRef]] = defaultdict(list)
        for baseline_id, entry in self.run.scores.items():
            for req_id, req in entry["requirements"].items():
                basis = req.get("basis") or {}
                ref = RequirementRef(baseline_id, req_id, req["ref"], req["status"], basis.get("confirmation"))
                for check in req["checks"]:
                    self.requirements_of[check["id"]].append(ref)
                for item in req.get("manual", []):
                    self.requirements_of[MANUAL_PREFIX + item["id"]].append(ref)

    # ----------------------------------------------------------------- texts

    def check_title(self, check_id: str, fallback: Finding | None = None) -> str:
        spec = self.registry.checks.get(check_id)
        if spec is not None:
            return spec.title(self.lang)
        if fallback is not None and check_id.startswith(MANUAL_PREFIX):
            return fallback.message.get(self.lang, "").split(" — ")[0]
        title = fallback.facts.get("title") if fallback is not None else None
        if isinstance(title, dict) and title.get(self.lang):
            # findings made by the scorer itself (baseline.entity_class) carry their own title
            return str(title[self.lang])
        return check_id

    def check_remediation(self, check_id: str) -> str:
        spec = self.registry.checks.get(check_id)
        return spec.remediation(self.lang).strip() if spec is not None else ""

    def target_label(self, finding: Finding) -> str:
        """The target an action lists: the host (subject) of a per-subject source, else the target id."""
        return finding.subject if finding.subject and finding.target_id in self.per_subject else finding.target_id

    def message(self, finding: Finding) -> str:
        return finding.message.get(self.lang) or finding.message.get("en", "")

    # ----------------------------------------------------------------- numbers

    def failing_by_severity(self) -> dict[str, int]:
        counts = Counter(f.severity.value for f in self.run.findings if f.failing)
        return {s.value: counts.get(s.value, 0) for s in Severity}

    def by_status(self) -> dict[str, int]:
        counts = Counter(f.status.value for f in self.run.findings)
        return {s.value: counts.get(s.value, 0) for s in STATUS_ORDER}

    # ----------------------------------------------------------------- grouping

    def actions(self) -> list[Action]:
        """Every failing check as one action, worst first (rank, then targets affected)."""
        actions: dict[str, Action] = {}
        for finding in self.run.findings:
            if not finding.failing:
                continue
            action = actions.get(finding.check_id)
            if action is None:
                action = actions[finding.check_id] = Action(
                    check_id=finding.check_id, title=self.check_title(finding.check_id, finding),
                    severity=finding.severity, remediation=self.check_remediation(finding.check_id),
                    requirements=list(self.requirements_of.get(finding.check_id, [])))
            if finding.severity.rank > action.severity.rank:
                action.severity = finding.severity
            action.findings += 1
            label = self.target_label(finding)
            if label not in action.targets:
                action.targets.append(label)
        return sorted(actions.values(), key=lambda a: (-a.rank, -len(a.targets), a.check_id))

    def target_groups(self) -> list[TargetGroup]:
        """Findings per target in inventory order (the organisation's answers last), worst first."""
        by_target: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.run.findings:
            by_target[finding.target_id].append(finding)
        targets: list[Target] = list(self.run.targets)
        known = {t.id for t in targets}
        groups = []
        for t in targets:
            if not by_target.get(t.id):
                continue
            if t.id in self.per_subject:
                by_subject: dict[str, list[Finding]] = defaultdict(list)
                for finding in by_target[t.id]:
                    by_subject[finding.subject].append(finding)
                groups += [TargetGroup(t.id, subject or t.name, f"{t.kind} · {t.name}" if subject else t.kind, (),
                                       _sorted(found)) for subject, found in sorted(by_subject.items())]
            else:
                groups.append(TargetGroup(t.id, t.name, t.kind, t.addresses, _sorted(by_target[t.id])))
        for target_id in sorted(set(by_target) - known):
            name = self.run.organisation.get("name", target_id) if target_id == ORGANISATION_TARGET else target_id
            groups.append(TargetGroup(target_id, str(name), "organisation", (), _sorted(by_target[target_id])))
        return groups


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (STATUS_ORDER.index(f.status), -f.severity.rank, f.check_id, f.subject))


def fact_text(value: Any) -> str:
    """A fact value as one readable string, bounded in length."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= MAX_FACT_CHARS else text[: MAX_FACT_CHARS - 1] + "…"
