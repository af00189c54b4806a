"""The fleet roll-up: every office's latest snapshot in one store, reduced to what a region compares.

It reads only the store's index (snapshots, scores, findings and
requirement rows), never the full runs, so 500 offices roll up in well under
a second.  For each series (office) it takes the latest complete snapshot
and the one before it.  Rules, also printed in the fleet report:

- Offices are ranked by the score of the *ranking baseline* (the baseline
  most offices were scored against, unless chosen), lowest first — the
  offices that most need help come first; ties by lower coverage, then name.
  An office without that baseline's score comes last.
- A *common non-conformity* is a check failing (status ``fail``) in at least
  one office; ranked by severity, then the number of offices, then hosts.
  Accepted risks are not visible in the index, so they count here as
  failures; each office's own report shows them as accepted.
- An office *got worse* when, against its previous snapshot, it has a new
  failure or a lower score (the same rule as ``--fail-on-regression``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from auditor.model import Severity
from auditor.store.db import SnapshotInfo, Store
from auditor.store.diff import Diff, Side, diff
from auditor.store.index import FindingRow, RequirementRow, ScoreRow

_SEVERITY_RANK = {s.value: s.rank for s in Severity}


@dataclass(frozen=True)
class Office:
    """One office as the roll-up sees it: its latest complete snapshot and how it changed."""

    series: str
    name: str
    snapshot: SnapshotInfo
    scores: dict[str, ScoreRow]
    failing_by_severity: dict[str, int]
    previous: SnapshotInfo | None
    new_failures: int
    score_drops: dict[str, float]
    """Baseline → how many points the score fell since the previous snapshot."""

    @property
    def worse(self) -> bool:
        return bool(self.new_failures or self.score_drops)


@dataclass(frozen=True)
class CommonProblem:
    """One check failing across offices."""

    check_id: str
    severity: str
    offices: tuple[str, ...]
    """Series of the offices where it fails, in ranking order."""
    hosts: int
    """Distinct targets (hosts, domains, sources) failing it, over all offices."""


@dataclass(frozen=True)
class MatrixRow:
    """One requirement of one baseline, and its status in each office (``None``: not scored there)."""

    baseline: str
    requirement: str
    ref: str
    title: dict[str, str]
    statuses: tuple[str | None, ...]


@dataclass(frozen=True)
class FleetRollup:
    generated: datetime
    store_path: str
    ranking_baseline: str | None
    baselines: dict[str, dict[str, str]]
    """Baseline id → title, every baseline any office was scored against."""
    offices: tuple[Office, ...]
    """Ranked (see the module docstring)."""
    matrix: tuple[MatrixRow, ...]
    common: tuple[CommonProblem, ...]

    @property
    def worse(self) -> tuple[Office, ...]:
        return tuple(office for office in self.offices if office.worse)


def latest_per_series(store: Store) -> list[tuple[SnapshotInfo, SnapshotInfo | None]]:
    """(latest complete snapshot, the one before it) of every series; interrupted runs and rows that
    cannot be read (``SnapshotInfo.damage``) are skipped."""
    by_series: dict[str, list[SnapshotInfo]] = defaultdict(list)
    for info in store.snapshots():
        if info.usable:
            by_series[info.series].append(info)
    return [(items[-1], items[-2] if len(items) > 1 else None) for items in by_series.values()]


def _office(latest: SnapshotInfo, previous: SnapshotInfo | None, scores: dict[int, dict[str, ScoreRow]],
            failing: dict[int, list[FindingRow]]) -> Office:
    change: Diff | None = None
    if previous is not None:
        # failing rows suffice: a new failure is a failing row whose key did not fail before (store.diff)
        def side(info: SnapshotInfo) -> Side:
            return Side(f"#{info.id}", {r.key: r for r in failing.get(info.id, [])}, scores.get(info.id, {}), info)
        change = diff(side(previous), side(latest))
    drops = {s.baseline: -s.delta for s in change.scores if s.lower and s.delta is not None} if change else {}
    return Office(
        series=latest.series, name=latest.organisation or latest.series, snapshot=latest,
        scores=scores.get(latest.id, {}), failing_by_severity=dict(latest.counts.get("failing", {})),
        previous=previous, new_failures=len(change.new_failures) if change else 0, score_drops=drops,
    )


def _ranking_baseline(offices: Iterable[Office], asked: str | None) -> str | None:
    if asked:
        return asked
    used = Counter(baseline for office in offices for baseline, row in office.scores.items() if row.score is not None)
    return min(used, key=lambda b: (-used[b], b)) if used else None


def _rank_key(baseline: str | None):
    def key(office: Office) -> tuple:
        row = office.scores.get(baseline) if baseline else None
        if row is None or row.score is None:
            return (1, 0.0, 0.0, office.name.lower())
        return (0, row.score, row.coverage or 0.0, office.name.lower())
    return key


def _common(offices: tuple[Office, ...], failing: dict[int, list[FindingRow]]) -> tuple[CommonProblem, ...]:
    where: dict[str, list[str]] = defaultdict(list)
    targets: dict[str, set[tuple[str, str]]] = defaultdict(set)
    severity: dict[str, str] = {}
    for office in offices:
        for row in failing.get(office.snapshot.id, []):
            if row.status != "fail":
                continue
            if office.series not in where[row.check_id]:
                where[row.check_id].append(office.series)
            targets[row.check_id].add((office.series, row.target_id))
            current = severity.get(row.check_id)
            if current is None or _SEVERITY_RANK[row.severity] > _SEVERITY_RANK[current]:
                severity[row.check_id] = row.severity
    problems = [CommonProblem(check, severity[check], tuple(series), len(targets[check])) for check, series in where.items()]
    problems.sort(key=lambda p: (-_SEVERITY_RANK[p.severity], -len(p.offices), -p.hosts, p.check_id))
    return tuple(problems)


def _matrix(offices: tuple[Office, ...], requirements: dict[int, list[RequirementRow]]) -> tuple[MatrixRow, ...]:
    order: dict[tuple[str, str], RequirementRow] = {}
    status: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for office in offices:
        for row in requirements.get(office.snapshot.id, []):
            order.setdefault((row.baseline, row.requirement), row)
            status[(row.baseline, row.requirement)][office.series] = row.status
    return tuple(
        MatrixRow(row.baseline, row.requirement, row.ref, row.title,
                  tuple(status[key].get(office.series) for office in offices))
        for key, row in sorted(order.items(), key=lambda item: item[0][0])  # stable: baseline order kept within
    )


def build_rollup(store: Store, *, ranking_baseline: str | None = None, now: datetime | None = None) -> FleetRollup:
    """The roll-up of every office in ``store`` (see the module docstring for the rules)."""
    pairs = latest_per_series(store)
    ids = [info.id for pair in pairs for info in pair if info is not None]
    scores, failing = store.scores(ids), store.failing(ids)
    offices = [_office(latest, previous, scores, failing) for latest, previous in pairs]
    baseline = _ranking_baseline(offices, ranking_baseline)
    ranked = tuple(sorted(offices, key=_rank_key(baseline)))
    titles: dict[str, dict[str, str]] = {}
    for office in ranked:
        for row in office.scores.values():
            titles.setdefault(row.baseline, row.title)
    return FleetRollup(
        generated=now or datetime.now().astimezone(), store_path=str(store.path), ranking_baseline=baseline,
        baselines=dict(sorted(titles.items())), offices=ranked,
        matrix=_matrix(ranked, store.requirements(office.snapshot.id for office in ranked)),
        common=_common(ranked, failing),
    )
