"""A protected system's backups across every source of the run (judge side, pure).

Repositories and register entries are probed once each; a system is judged
on everything that holds its data.  A restic/borg repository holds a system
when it lists the system under ``systems`` and the snapshot belongs to it:
the repository protects only that system, or the snapshot is tagged with
the system's name, was taken on one of the system's hosts, or (borg) its
archive name starts with the system's name.  A source that could not be read
and may hold the system is reported, so a broken repository never reads as
"no backup".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from auditor.model import Target
from auditor.plugin import JudgeContext


@dataclass
class Holding:
    """The system's backups in one source: times, copies and restore tests."""

    source: str
    source_type: str
    newest: datetime | None
    oldest: datetime | None
    count: int | None
    copies: list[dict[str, Any]]
    restore_tests: list[dict[str, Any]] = field(default_factory=list)
    retention_days: int | None = None

    @property
    def has_backup(self) -> bool:
        return bool(self.count) or self.newest is not None


@dataclass
class SystemView:
    holdings: list[Holding]
    unreadable: list[str]
    """Sources that may hold the system but could not be read."""
    declared_in: list[str]
    """Sources that name the system (whether or not they hold a backup of it)."""


def _short(host: str | None) -> str:
    return (host or "").split(".")[0].lower()


def _same(name: str, other: str) -> bool:
    return name.strip().casefold() == other.strip().casefold()


def _belongs(item: dict[str, Any], system: str, hosts: list[str], only_system: bool) -> bool:
    if only_system:
        return True
    if any(_same(tag, system) for tag in item.get("tags") or []):
        return True
    if _short(item.get("hostname")) and _short(item.get("hostname")) in {_short(h) for h in hosts}:
        return True
    name = (item.get("name") or "").casefold()
    return bool(name) and name.startswith(system.casefold())


def _repository_holding(target: Target, evidence: dict[str, Any], system: str, hosts: list[str]) -> Holding:
    only = len(evidence.get("systems_declared", [])) == 1
    mine = [s for s in evidence.get("snapshots", []) if _belongs(s, system, hosts, only)]
    times = sorted(datetime.fromisoformat(s["time"]) for s in mine)
    repo = evidence.get("repository", {})
    source_hosts = {_short(s.get("hostname")) for s in mine} | {_short(h) for h in hosts}
    copy = {
        **evidence.get("copy", {}),
        "location": repo.get("location"),
        "medium": "cloud" if repo.get("cloud") else ("disk" if repo.get("local") else "remote"),
        "same_host": _short(repo.get("host")) in source_hosts if repo.get("host") else None,
        "same_filesystem": any(s.get("same_filesystem") for s in mine),
    }
    tests = [
        {"date": t["tested_at"], "result": t["result"], "by": t.get("by"), "source": target.name}
        for t in evidence.get("restore_tests", []) if _belongs(t, system, hosts, only)
    ]
    # Only the newest-first capped list is kept; the oldest snapshot is known for the whole repository.
    oldest = datetime.fromisoformat(evidence["oldest"]) if only and evidence.get("oldest") else (times[0] if times else None)
    return Holding(target.name, target.kind, times[-1] if times else None, oldest,
                   evidence.get("count", 0) if only else len(mine), [copy] if mine else [], tests)


def _register_holdings(target: Target, evidence: dict[str, Any], system: str) -> list[Holding]:
    holdings = []
    for entry in evidence.get("entries", []):
        if not _same(entry["system"], system):
            continue
        last = datetime.fromisoformat(entry["last_success"]) if entry.get("last_success") else None
        copies = [{**c, "same_filesystem": c.get("same_host_as_source"), "same_host": c.get("same_host_as_source")}
                  for c in entry.get("copies", [])]
        test = entry.get("restore_test")
        tests = [{**test, "source": target.name}] if test else []
        label = f"{target.name}:{entry.get('line') or '?'}"
        holdings.append(Holding(label, "backup_register", last, None, entry.get("snapshots_kept"), copies, tests,
                                entry.get("retention_days")))
    return holdings


def system_view(system: str, hosts: list[str], ctx: JudgeContext) -> SystemView:
    """Every holding of ``system`` among the run's ``backups`` attempts."""
    holdings: list[Holding] = []
    unreadable: list[str] = []
    declared: list[str] = []
    for target_id, attempts in sorted(ctx.attempts.items()):
        attempt = attempts.get("backups")
        target = ctx.targets.get(target_id)
        if attempt is None or target is None:
            continue
        names_it = any(_same(s, system) for s in target.attrs.get("systems", []))
        if not attempt.completed:
            if names_it or target.kind == "backup_register":
                unreadable.append(target.name)
            continue
        evidence = attempt.evidence or {}
        if evidence.get("source_type") == "backup_register":
            found = _register_holdings(target, evidence, system)
            holdings.extend(found)
            declared.extend(h.source for h in found)
        elif names_it:
            holdings.append(_repository_holding(target, evidence, system, hosts))
            declared.append(target.name)
    return SystemView(holdings, unreadable, declared)
