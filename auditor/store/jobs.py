"""What a scheduled ``auditor scan --store`` does after scanning: keep, compare, gate.

Kept out of the CLI so the gates (``--fail-under``, ``--fail-on-regression``)
are plain functions a test can call with a constructed ScanRun.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping

import filelock

from auditor.errors import ScanFailed
from auditor.i18n import _
from auditor.model import BaselineScore, ScanRun
from auditor.settings import office_zone
from auditor.store.db import SnapshotInfo, Store
from auditor.store.diff import Diff, diff_snapshots
from auditor.store.index import score_rows


def lock_path(store_path: Path) -> Path:
    """The lock beside the store's *resolved* path.

    Two spellings of one store (a symlink, ``./x/../store.db``) must take the
    same lock, or two scans write into it at once.
    """
    resolved = store_path.resolve()
    return resolved.with_name(resolved.name + ".lock")


@contextlib.contextmanager
def scan_lock(store_path: Path | None, timeout_s: float) -> Iterator[None]:
    """Serialises scheduled scans into one store; a run that waits longer than ``timeout_s`` gives up (exit 3).

    ``timeout_s`` < 0 waits for ever.  Without a store there is nothing to guard.
    """
    if store_path is None:
        yield
        return
    store_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path(store_path).parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(lock_path(store_path)), timeout=timeout_s)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise ScanFailed(_("another scan holds {lock} (waited {seconds:g} s)").format(
            lock=lock_path(store_path), seconds=timeout_s)) from None
    try:
        yield
    finally:
        lock.release()


def score_gate(scores: Mapping[str, BaselineScore], fail_under: float) -> list[str]:
    """Reasons a run misses ``--fail-under``: each baseline scored below it.

    A threshold that cannot be checked (no baseline produced a score) is a
    failure too, so a misconfigured job does not pass silently.
    """
    rows = [row for row in score_rows(scores).values() if row.score is not None]
    if not rows:
        return [_("no baseline score to compare with --fail-under {limit:g}").format(limit=fail_under)]
    return [_("score {baseline} {score:.1f} < {limit:g}").format(baseline=row.baseline, score=row.score, limit=fail_under)
            for row in rows if row.score < fail_under]


@dataclass
class JobOutcome:
    snapshot: SnapshotInfo | None = None
    diff: Diff | None = None
    failures: list[str] = field(default_factory=list)
    """Threshold reasons: non-empty means exit code 1."""


def keep_and_gate(run: ScanRun, store_path: Path | None, *, fail_under: float | None = None,
                  fail_on_regression: bool = False) -> JobOutcome:
    """Saves ``run`` (when a store is given), diffs it with the previous snapshot and applies the gates."""
    outcome = JobOutcome()
    if fail_under is not None:
        outcome.failures += score_gate(run.scores, fail_under)
    if store_path is not None:
        with Store(store_path) as store:
            outcome.snapshot = store.save(run)
            previous = store.previous(outcome.snapshot)
            if previous is not None:
                outcome.diff = diff_snapshots(store, previous, outcome.snapshot, office_zone(run.extras.settings))
    if fail_on_regression and outcome.diff is not None:
        outcome.failures += outcome.diff.regressions_except(run.extras.active_keys)
    return outcome
