"""``auditor store check``: is every page of the store sound, and can every snapshot's run be read?

SQLite's ``integrity_check`` reads every page and index of the file;
it cannot know whether a stored run still decompresses and parses, so
each snapshot is also loaded the way ``auditor report`` loads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.store.damage import Damage, DamagedSnapshot, DamagedStore
from auditor.store.db import Store


@dataclass(frozen=True)
class StoreCheck:
    integrity: list[str]
    """SQLite's answer: ``["ok"]`` when every page and index is sound, else its problem lines."""
    snapshots: int = 0
    damaged: list[Damage] = field(default_factory=list)
    unlisted: str | None = None
    """Why the list of snapshots itself cannot be read (then no snapshot was checked)."""

    @property
    def sound(self) -> bool:
        return self.integrity == ["ok"] and not self.damaged and self.unlisted is None


def check_store(store: Store, quick: bool = False) -> StoreCheck:
    integrity = store.integrity(quick)
    try:
        infos = store.snapshots()
    except DamagedStore as exc:
        return StoreCheck(integrity, unlisted=exc.detail)
    damaged = [info.damage for info in infos if info.damage]
    for info in infos:
        if info.damage:
            continue
        try:
            store.load(info.id)
        except DamagedSnapshot as exc:
            damaged.append(exc.damage)
    return StoreCheck(integrity, len(infos), damaged)
