"""Judging backups: per protected system (freshness, coverage, separation, restore
tests, retention) and per source (integrity, encryption, failed restores).

Every function is pure: time is ``ctx.now`` (the scan's start), and the facts
come from stored evidence, so a stored run judged again gives the same answer.
"""

from __future__ import annotations

import calendar
import functools
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable

from auditor.checks.backups.family import FAMILY
from auditor.checks.backups.holdings import Holding, SystemView, system_view
from auditor.checks.backups.register import MOBILE_MEDIA
from auditor.model import Evidence, Severity, Target
from auditor.plugin import JudgeContext, Verdict, failed, manual, not_applicable, passed, warned

_SYSTEM = "backup_system"
_SOURCE = "backups"


def _view(evidence: Evidence, ctx: JudgeContext) -> SystemView:
    return system_view(evidence["system"], evidence.get("hosts", []), ctx)


def _age(now: datetime, then: datetime) -> dict[str, Any]:
    hours = (now - then).total_seconds() / 3600
    return {"age_hours": round(hours, 1), "age_days": round(hours / 24, 1)}


def _backed_up(view: SystemView) -> list[Holding]:
    return [h for h in view.holdings if h.has_backup]


SystemCheck = Callable[[Evidence, Target, list[Holding], JudgeContext], Iterable[Verdict]]


def _per_system(check_id: str) -> Callable[[SystemCheck], SystemCheck]:
    """Registers a check of a system's backups; a system with none is left to ``backup.missing``."""

    def register(fn: SystemCheck) -> SystemCheck:
        @FAMILY.check(check_id, reads=_SYSTEM)
        @functools.wraps(fn)
        def check(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
            held = _backed_up(_view(evidence, ctx))
            if not held:
                yield not_applicable(message="no_backup", system=target.name)
                return
            yield from fn(evidence, target, held, ctx)

        return fn

    return register


@FAMILY.check("backup.missing", reads=_SYSTEM)
def missing(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    view = _view(evidence, ctx)
    held = _backed_up(view)
    if held:
        yield passed(system=target.name, sources=sorted({h.source for h in held}))
    elif view.unreadable:
        yield manual(message="unreadable", system=target.name, sources=view.unreadable)
    elif view.declared_in:
        yield failed(message="empty", system=target.name, sources=view.declared_in)
    else:
        yield failed(system=target.name)


@_per_system("backup.stale")
def stale(evidence: Evidence, target: Target, held: list[Holding], ctx: JudgeContext) -> Iterable[Verdict]:
    dated = [h for h in held if h.newest is not None]
    if not dated:
        yield manual(message="undated", system=target.name, sources=[h.source for h in held])
        return
    newest = max(dated, key=lambda h: h.newest)
    rpo = float(evidence.get("rpo_hours", 24))
    facts = {"system": target.name, "last_backup": newest.newest.isoformat(), "source": newest.source,
             "rpo_hours": int(rpo) if rpo.is_integer() else rpo, **_age(ctx.now, newest.newest)}
    if ctx.now - newest.newest > timedelta(hours=rpo):
        yield failed(**facts)
    else:
        yield passed(**facts)


def _separation_problems(copies: list[dict[str, Any]]) -> list[str]:
    separated = [c for c in copies if not c.get("same_host") and not c.get("same_filesystem")]
    problems = []
    if not separated:
        problems.append("same_place")
    sites = {c.get("site") for c in copies if c.get("site")}
    if not any(c.get("offsite") for c in copies) and len(sites) < 2:
        problems.append("no_offsite")
    if not any(c.get("offline") or c.get("immutable") for c in copies):
        problems.append("no_offline")
    return problems


_PROBLEM_TEXT = {
    "same_place": ("każda kopia leży na tym samym hoście lub systemie plików co dane",
                   "every copy sits on the same host or file system as the data"),
    "no_offsite": ("brak kopii w innej lokalizacji (poza budynkiem)", "no copy at another site"),
    "no_offline": ("brak kopii offline lub niezmiennej (immutable)", "no offline or immutable copy"),
}


@_per_system("backup.not_separated")
def not_separated(evidence: Evidence, target: Target, held: list[Holding], ctx: JudgeContext) -> Iterable[Verdict]:
    copies = [c for h in held for c in h.copies]
    problems = _separation_problems(copies)
    facts = {
        "system": target.name,
        "copies": [{k: c.get(k) for k in ("location", "site", "medium", "offsite", "offline", "immutable",
                                          "same_host", "same_filesystem")} for c in copies],
        "problems": problems,
        "problems_pl": [_PROBLEM_TEXT[p][0] for p in problems],
        "problems_en": [_PROBLEM_TEXT[p][1] for p in problems],
    }
    if "same_place" in problems:
        yield failed(severity=Severity.HIGH, **facts)
    elif problems:
        yield warned(severity=Severity.MEDIUM, **facts)
    else:
        yield passed(**facts)


def _test_date(test: dict[str, Any]) -> date:
    value = test["date"]
    return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@_per_system("backup.restore_untested")
def restore_untested(evidence: Evidence, target: Target, held: list[Holding], ctx: JudgeContext) -> Iterable[Verdict]:
    """Judged on the latest *successful* restore test: a failed or partial test is not a tested restore."""
    months = int(evidence.get("restore_test_months", 12))
    tests = [t for h in held for t in h.restore_tests]
    if not tests:
        yield failed(message="never", system=target.name, months=months)
        return
    attempt = max(tests, key=_test_date)
    succeeded = [t for t in tests if t.get("result") == "passed"]
    attempt_facts = {"last_attempt": _test_date(attempt).isoformat(), "last_attempt_result": attempt["result"]}
    if not succeeded:
        yield failed(message="never_passed", system=target.name, months=months, **attempt_facts)
        return
    latest = max(succeeded, key=_test_date)
    facts = {"system": target.name, "months": months, "last_test": _test_date(latest).isoformat(),
             "result": latest["result"], "by": latest.get("by") or "?", "source": latest["source"], **attempt_facts}
    if _test_date(latest) < _months_before(ctx.now.date(), months):
        yield failed(**facts)
    else:
        yield passed(**facts)


@_per_system("backup.retention")
def retention(evidence: Evidence, target: Target, held: list[Holding], ctx: JudgeContext) -> Iterable[Verdict]:
    required = evidence.get("retention_days")
    if required is None:
        yield not_applicable(message="no_requirement", system=target.name)
        return
    spans = {h.source: (ctx.now - h.oldest).days for h in held if h.oldest is not None}
    declared = {h.source: h.retention_days for h in held if h.retention_days is not None}
    facts = {"system": target.name, "required_days": required, "snapshots": sum(h.count or 0 for h in held)}
    if spans:
        facts["span_days"] = max(spans.values())
    if declared:
        facts["declared_days"] = max(declared.values())
    if any(days >= required for days in [*spans.values(), *declared.values()]):
        yield passed(**facts)
    elif spans or declared:
        yield failed(**facts)
    else:
        yield manual(message="unknown", **facts)


# ---------------------------------------------------------------------- per source


@FAMILY.check("backup.integrity", reads=_SOURCE)
def integrity(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    if evidence.get("source_type") == "backup_register":
        yield manual(message="register", source=target.name)
        return
    result = evidence.get("integrity") or {}
    data_read = result.get("data_read") or {"scope": "none", "subset": None}
    facts = {"source": target.name, "location": evidence.get("repository", {}).get("location"),
             "command": result.get("command"), "checked_at": result.get("checked_at"),
             "data_read": data_read["scope"], "data_subset": data_read.get("subset") or "-",
             "data_read_pl": _DATA_READ["pl"][data_read["scope"]].format(subset=data_read.get("subset")),
             "data_read_en": _DATA_READ["en"][data_read["scope"]].format(subset=data_read.get("subset"))}
    if not result.get("ran"):
        yield failed(message="not_run", **facts)
    elif result.get("ok"):
        yield passed(**facts)
    else:
        errors = result.get("errors") or []
        yield failed(errors=errors, first_error=errors[0] if errors else "?", **facts)


_DATA_READ = {
    "pl": {"none": "nie czytano danych, tylko struktura", "sample": "odczytano próbkę danych: {subset}",
           "all": "odczytano wszystkie dane: {subset}"},
    "en": {"none": "no data read, structure only", "sample": "a sample of the data was read: {subset}",
           "all": "all data read: {subset}"},
}


def _media(evidence: Evidence) -> Iterable[tuple[str, dict[str, Any]]]:
    """Every copy of a source as (subject, facts with ``encrypted`` and ``leaves_building``)."""
    if evidence.get("source_type") == "backup_register":
        for entry in evidence.get("entries", []):
            for copy in entry.get("copies", []):
                leaves = bool(copy.get("offsite")) or copy.get("medium") in MOBILE_MEDIA
                yield f"{entry['system']}: {copy['location']}", {**copy, "leaves_building": leaves}
        return
    copy = evidence.get("copy", {})
    repository = evidence.get("repository", {})
    location = repository.get("location")
    # the medium is where the repository lives (its backend), not its encryption mode ("none")
    medium = "disk" if repository.get("local") else (repository.get("backend") or "remote")
    yield location, {**copy, "location": location, "medium": medium, "leaves_building": bool(copy.get("offsite"))}


@FAMILY.check("backup.unencrypted", reads=_SOURCE)
def unencrypted(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    for subject, copy in _media(evidence):
        facts = {"location": copy.get("location"), "medium": copy.get("medium") or "?", "site": copy.get("site") or "?",
                 "encryption_mode": copy.get("encryption_mode") or "?"}
        if copy.get("encrypted") is True:
            yield passed(subject=subject, **facts)
        elif not copy["leaves_building"]:
            yield not_applicable(subject=subject, message="onsite", **facts)
        elif copy.get("encrypted") is False:
            yield failed(subject=subject, **facts)
        else:
            yield manual(subject=subject, message="unknown", **facts)


@FAMILY.check("backup.restore_failed", reads=_SOURCE)
def restore_failed(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    if evidence.get("source_type") == "backup_register":
        tests = [(e["system"], {**e["restore_test"], "problems": [e["restore_test"].get("notes") or "-"]})
                 for e in evidence.get("entries", []) if e.get("restore_test")]
    else:
        tests = [(t.get("name") or " ".join([t["snapshot"], *t.get("tags", [])]), {**t, "date": t["tested_at"]})
                 for t in evidence.get("restore_tests", [])]
    if not tests:
        yield not_applicable(message="none", source=target.name)
        return
    for subject, test in tests:
        facts = {"source": target.name, "what": subject, "date": str(test["date"])[:10],
                 "problems": test.get("problems") or [], "by": test.get("by") or "?",
                 "files": len(test.get("files", []))}
        if test["result"] == "passed":
            yield passed(subject=subject, **facts)
        elif test["result"] == "partial":
            yield warned(subject=subject, **facts)
        else:
            yield failed(subject=subject, **facts)
