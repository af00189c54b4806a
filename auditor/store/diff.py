"""What changed between two snapshots of one office: new failures, fixes, scores.

Findings are matched by ``Finding.key`` (check | target | subject).  A
failure that disappears is only called *fixed* when the later run actually
evaluated that check on that target; when the target was not scanned or its
probe failed, the finding is reported as *not re-checked*, never as fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from auditor.analysis.texts import severity_word, status_word
from auditor.i18n import _, current_language
from auditor.model import ScanRun, Severity, Status
from auditor.settings import DEFAULT_TIMEZONE, local_time
from auditor.store.db import SnapshotInfo, Store, StoreError
from auditor.store.index import FindingRow, ScoreRow, finding_rows, score_rows

_FIXED_STATUSES = frozenset({Status.PASS.value, Status.NOT_APPLICABLE.value})
_EVALUATED = frozenset({Status.PASS.value, Status.FAIL.value, Status.WARN.value, Status.NOT_APPLICABLE.value})
_SEVERITY_RANK = {s.value: s.rank for s in Severity}


@dataclass(frozen=True)
class Side:
    """One side of a diff: a stored snapshot or an in-memory run, reduced to its index."""

    label: str
    findings: dict[str, FindingRow]
    scores: dict[str, ScoreRow]
    info: SnapshotInfo | None = None


def side_of_snapshot(store: Store, info: SnapshotInfo, zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)) -> Side:
    """A stored snapshot, labelled with its number and start in the office's ``zone``."""
    label = f"#{info.id} {local_time(info.started, zone)}"
    return Side(label, store.findings(info.id), store.scores([info.id]).get(info.id, {}), info)


def side_of_run(run: ScanRun, label: str) -> Side:
    return Side(label, finding_rows(run.findings), score_rows(run.scores))


@dataclass(frozen=True)
class FindingChange:
    """A finding key whose standing changed; ``before``/``after`` is ``None`` when absent."""

    before: FindingRow | None
    after: FindingRow | None

    @property
    def row(self) -> FindingRow:
        return self.after or self.before  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        row = self.row
        return {
            "key": row.key, "check_id": row.check_id, "target_id": row.target_id, "subject": row.subject,
            "severity": row.severity,
            "before": self.before.status if self.before else None,
            "after": self.after.status if self.after else None,
        }


@dataclass(frozen=True)
class ScoreChange:
    baseline: str
    title: dict[str, str]
    before: ScoreRow | None
    after: ScoreRow | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None or self.before.score is None or self.after.score is None:
            return None
        return round(self.after.score - self.before.score, 1)

    @property
    def lower(self) -> bool:
        return self.delta is not None and self.delta < 0

    def to_dict(self) -> dict[str, Any]:
        def side(row: ScoreRow | None) -> dict[str, Any] | None:
            return None if row is None else {"score": row.score, "coverage": row.coverage, "grade": row.grade,
                                             "version": row.version}
        return {"baseline": self.baseline, "title": self.title, "before": side(self.before),
                "after": side(self.after), "delta": self.delta}


@dataclass(frozen=True)
class Diff:
    before: Side
    after: Side
    new_failures: list[FindingChange] = field(default_factory=list)
    fixed: list[FindingChange] = field(default_factory=list)
    not_rechecked: list[FindingChange] = field(default_factory=list)
    still_failing: int = 0
    scores: list[ScoreChange] = field(default_factory=list)

    @property
    def regressions(self) -> list[str]:
        """Why ``--fail-on-regression`` fails: new failures and lower scores, one line each."""
        return self.regressions_except(frozenset())

    def regressions_except(self, accepted: frozenset[str]) -> list[str]:
        """``regressions`` without new failures whose key is a validly accepted risk."""
        lang = current_language()
        reasons = [_("new {status} ({severity}): {check} on {target}").format(
                       status=status_word(c.row.status, lang), severity=severity_word(c.row.severity, lang),
                       check=c.row.check_id, target=c.row.target_id + (f" {c.row.subject}" if c.row.subject else ""))
                   for c in self.new_failures if c.row.key not in accepted]
        reasons += [_("score {baseline} fell by {drop:.1f} to {score:.1f}").format(
                        baseline=s.baseline, drop=-s.delta, score=s.after.score)  # type: ignore[union-attr,operator]
                    for s in self.scores if s.lower]
        return reasons

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": {"label": self.before.label, **(self.before.info.to_dict() if self.before.info else {})},
            "after": {"label": self.after.label, **(self.after.info.to_dict() if self.after.info else {})},
            "new_failures": [c.to_dict() for c in self.new_failures],
            "fixed": [c.to_dict() for c in self.fixed],
            "not_rechecked": [c.to_dict() for c in self.not_rechecked],
            "still_failing": self.still_failing,
            "scores": [s.to_dict() for s in self.scores],
            "regressed": bool(self.regressions),
        }


def _worse(before: FindingRow | None, after: FindingRow) -> bool:
    """``after`` fails and ``before`` did not (or only warned where it now fails)."""
    if not after.failing:
        return False
    if before is None or not before.failing:
        return True
    return before.status == Status.WARN.value and after.status == Status.FAIL.value


def _evaluated_pairs(findings: dict[str, FindingRow]) -> set[tuple[str, str]]:
    """(check, target) pairs the run really judged: some verdict, and no probe error."""
    judged = {(r.check_id, r.target_id) for r in findings.values() if r.status in _EVALUATED}
    errored = {(r.check_id, r.target_id) for r in findings.values() if r.status == Status.ERROR.value}
    return judged - errored


def _order(change: FindingChange) -> tuple[int, str, str, str]:
    row = change.row
    return (-_SEVERITY_RANK.get(row.severity, 0), row.check_id, row.target_id, row.subject)


def diff(before: Side, after: Side) -> Diff:
    new_failures: list[FindingChange] = []
    fixed: list[FindingChange] = []
    not_rechecked: list[FindingChange] = []
    still_failing = 0
    evaluated = _evaluated_pairs(after.findings)
    for key, now in after.findings.items():
        if _worse(before.findings.get(key), now):
            new_failures.append(FindingChange(before.findings.get(key), now))
    for key, then in before.findings.items():
        if not then.failing:
            continue
        now = after.findings.get(key)
        if now is not None and now.failing:
            still_failing += 1
        elif (now is not None and now.status in _FIXED_STATUSES) or (
                now is None and (then.check_id, then.target_id) in evaluated):
            fixed.append(FindingChange(then, now))
        else:
            not_rechecked.append(FindingChange(then, now))
    scores = [
        ScoreChange(baseline, (after.scores.get(baseline) or before.scores[baseline]).title,
                    before.scores.get(baseline), after.scores.get(baseline))
        for baseline in sorted(set(before.scores) | set(after.scores))
    ]
    return Diff(before, after, sorted(new_failures, key=_order), sorted(fixed, key=_order),
                sorted(not_rechecked, key=_order), still_failing, scores)


def diff_snapshots(store: Store, before: SnapshotInfo, after: SnapshotInfo,
                   zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)) -> Diff:
    return diff(side_of_snapshot(store, before, zone), side_of_snapshot(store, after, zone))


def resolve_pair(store: Store, a: str | None, b: str | None) -> tuple[SnapshotInfo, SnapshotInfo]:
    """``diff`` arguments to snapshots: none → the latest and the one before it (same office);
    A only → A against the latest snapshot of A's office; A and B → exactly those."""
    if a is None:
        after = store.resolve("latest")
        before = store.previous(after)
        if before is None:
            raise StoreError(_("the store {store} has only one snapshot of {office}; nothing to compare yet").format(
                store=store.path, office=after.organisation or after.series))
        return before, after
    before = store.resolve(a)
    after = store.resolve(b) if b is not None else store.resolve("latest", before.series)
    return before, after
