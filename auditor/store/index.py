"""The queryable summary of a ScanRun: one row per finding key, one per baseline score.

The full run is stored verbatim (compressed JSON); these rows exist so that
history, diff and trends read a few small columns instead of unpacking every
snapshot.  The same functions summarise an in-memory run, so a stored
snapshot and a freshly re-judged run are compared by one diff.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from auditor.model import BaselineScore, Finding, ScanRun, Severity, Status

#: Worst first: when a check reports the same key twice, the index keeps the worst.
STATUS_ORDER = (Status.FAIL, Status.WARN, Status.ERROR, Status.MANUAL, Status.PASS, Status.NOT_APPLICABLE)
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
FAILING = frozenset({Status.FAIL.value, Status.WARN.value})


@dataclass(frozen=True)
class FindingRow:
    """What the index keeps of a finding: its identity, status and severity."""

    key: str
    check_id: str
    target_id: str
    subject: str
    status: str
    severity: str

    @property
    def failing(self) -> bool:
        return self.status in FAILING


@dataclass(frozen=True)
class ScoreRow:
    """One baseline's result as ``auditor.scoring`` leaves it in ``ScanRun.scores``."""

    baseline: str
    version: str
    title: dict[str, str]
    score: float | None
    coverage: float | None
    grade: str


@dataclass(frozen=True)
class RequirementRow:
    """One requirement's status in one baseline of a run (``met``, ``partial``, ``not_met`` ...)."""

    baseline: str
    requirement: str
    ref: str
    title: dict[str, str]
    status: str


def requirement_rows(scores: Mapping[str, BaselineScore]) -> list[RequirementRow]:
    """Requirement rows from ``ScanRun.scores``, in the baseline's own order."""
    return [RequirementRow(baseline_id, requirement_id, item.ref, dict(item.title), item.status.value)
            for baseline_id, entry in scores.items() for requirement_id, item in entry.requirements.items()]


def finding_rows(findings: Iterable[Finding]) -> dict[str, FindingRow]:
    """One row per ``Finding.key``; duplicates collapse to the worst status (the JSON keeps all)."""
    rows: dict[str, FindingRow] = {}
    for finding in findings:
        row = FindingRow(finding.key, finding.check_id, finding.target_id, finding.subject,
                         finding.status.value, finding.severity.value)
        old = rows.get(row.key)
        if old is None or _STATUS_RANK[finding.status] < _STATUS_RANK[Status(old.status)]:
            rows[row.key] = row
    return rows


def score_rows(scores: Mapping[str, BaselineScore]) -> dict[str, ScoreRow]:
    """Score rows from ``ScanRun.scores`` (typed and validated when the run was loaded)."""
    return {baseline_id: ScoreRow(baseline=baseline_id, version=entry.version, title=dict(entry.title),
                                  score=entry.score, coverage=entry.coverage, grade=entry.grade)
            for baseline_id, entry in scores.items()}


def counts(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """Findings by status, and failing (status ``fail``) findings by severity."""
    by_status: Counter[str] = Counter()
    failing: Counter[str] = Counter()
    for finding in findings:
        by_status[finding.status.value] += 1
        if finding.status is Status.FAIL:
            failing[finding.severity.value] += 1
    return {
        "status": {s.value: by_status[s.value] for s in STATUS_ORDER if by_status[s.value]},
        "failing": {s.value: failing[s.value] for s in Severity if failing[s.value]},
    }


def series_of(run: ScanRun) -> str:
    """Which office a run belongs to: snapshots of one series are compared and trended together.

    TERYT identifies a Polish office uniquely; without it the organisation
    name, and without that the inventory file.
    """
    org = run.organisation
    if org.get("teryt"):
        return f"teryt:{org['teryt']}"
    if org.get("name"):
        return f"name:{org['name']}"
    return f"inventory:{run.meta.inventory_path}"
