"""Snapshot facts in one shape for restic snapshots and borg archives.

Times are stored as UTC ISO strings so checks compare them without knowing
which tool produced them (borg prints local time without an offset).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

#: Most recent snapshots kept in evidence per repository (the count and the oldest are always kept).
MAX_SNAPSHOTS = 1000

_FRACTION = re.compile(r"(\.\d{6})\d+")


def utc_iso(text: str) -> str:
    """Parses restic (nanoseconds, offset) and borg (local, naive) times into UTC ISO."""
    value = datetime.fromisoformat(_FRACTION.sub(r"\1", text.replace("Z", "+00:00")))
    if value.tzinfo is None:
        value = value.astimezone()  # borg: local time of this machine
    return value.astimezone(timezone.utc).isoformat()


def snapshot_facts(items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """``{count, oldest, newest, snapshots}`` with the newest first, capped at ``MAX_SNAPSHOTS``."""
    ordered = sorted(items, key=lambda s: s["time"], reverse=True)
    return {
        "count": len(ordered),
        "oldest": ordered[-1]["time"] if ordered else None,
        "newest": ordered[0]["time"] if ordered else None,
        "snapshots": ordered[:MAX_SNAPSHOTS],
    }


def latest_per_group(snapshots: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any],
                     limit: int) -> list[dict[str, Any]]:
    """The newest snapshot of each group (newest-first input), at most ``limit`` groups."""
    seen: dict[Any, dict[str, Any]] = {}
    for snapshot in snapshots:
        seen.setdefault(key(snapshot), snapshot)
    return list(seen.values())[:limit]
