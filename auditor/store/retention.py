"""Which snapshots ``auditor prune`` keeps: the newest of each of the last N days, weeks and months.

The same rules as restic and borg (``--keep-daily`` …), applied to each
office (series) separately so a busy office cannot push a quiet one out.
Days, ISO weeks and months are taken in the local time zone of the machine
(``tz``), where "the nightly run of 27 November" is meant.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from itertools import groupby
from typing import Callable, Sequence

from auditor.store.db import SnapshotInfo

_BUCKETS: dict[str, Callable[[datetime], tuple[int, ...]]] = {
    "daily": lambda t: (t.year, t.month, t.day),
    "weekly": lambda t: tuple(t.isocalendar()[:2]),
    "monthly": lambda t: (t.year, t.month),
}


def keep_ids(snapshots: Sequence[SnapshotInfo], *, daily: int = 0, weekly: int = 0, monthly: int = 0,
             tz: tzinfo | None = None) -> set[int]:
    """Ids of the snapshots to keep; every other one may be pruned."""
    wanted = {"daily": daily, "weekly": weekly, "monthly": monthly}
    keep: set[int] = set()
    by_series = sorted(snapshots, key=lambda s: s.series)
    for _, group in groupby(by_series, key=lambda s: s.series):
        newest_first = sorted(group, key=lambda s: (s.started, s.id), reverse=True)
        for rule, count in wanted.items():
            seen: set[tuple[int, ...]] = set()
            for snap in newest_first:
                if len(seen) >= count:
                    break
                bucket = _BUCKETS[rule](snap.started.astimezone(tz))
                if bucket not in seen:
                    seen.add(bucket)
                    keep.add(snap.id)
    return keep
