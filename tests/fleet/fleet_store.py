"""Stores of scored office runs for the roll-up tests, built from the registry's real checks and baselines."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from auditor.baseline import load_baselines
from auditor.model import (AttemptStatus, Finding, ProbeAttempt, RunMeta, ScanRun, Severity, Status, Target)
from auditor.registry import default_registry
from auditor.scoring import apply_baselines
from auditor.store import Store

START = datetime(2026, 11, 2, 7, 0, tzinfo=timezone.utc)


@lru_cache(maxsize=1)
def _baselines():
    return [lb.baseline for lb in load_baselines(registry=default_registry()).values()]


@lru_cache(maxsize=1)
def _check_ids() -> tuple[str, ...]:
    """Checks that feed at least one baseline, so a failure moves a score."""
    mapped = {ref.id for b in _baselines() for r in b.requirements for ref in r.checks}
    return tuple(sorted(mapped))


def office_run(name: str, teryt: str, failing: dict[str, Severity], *, hosts: int = 2, day: int = 0,
               passing_rest: bool = True, run_id: str | None = None, interrupted: bool = False) -> ScanRun:
    """An office's scored run: ``failing`` checks fail on every host, every other mapped check passes."""
    targets = tuple(Target(id=f"host:srv{i}.{teryt}.gmina.test", kind="host", name=f"srv{i}.{teryt}.gmina.test",
                           addresses=(f"127.127.{int(teryt) % 250}.{i + 1}",)) for i in range(hosts))
    findings = []
    for check_id in _check_ids():
        for target in targets:
            if check_id in failing:
                findings.append(Finding(check_id, target.id, Status.FAIL, failing[check_id],
                                        {"pl": "niezgodne", "en": "failing"}))
            elif passing_rest:
                findings.append(Finding(check_id, target.id, Status.PASS, Severity.INFO, {"pl": "ok", "en": "ok"}))
    started = START + timedelta(days=day)
    run = ScanRun(
        meta=RunMeta(run_id=run_id or f"{teryt}-{day:04d}-0000-0000-000000000000", tool_version="test",
                     started=started, finished=started + timedelta(minutes=20), operator="test", hostname="test",
                     interrupted=interrupted),
        organisation={"name": name, "kind": "gmina", "teryt": teryt, "entity_class": "important"},
        targets=targets,
        attempts=tuple(ProbeAttempt(probe="network", target_id=t.id, status=AttemptStatus.COMPLETED, evidence={},
                                    started=started) for t in targets),
        findings=tuple(findings),
    )
    return apply_baselines(run, _baselines())


def store_with(path: Path, runs: list[ScanRun]) -> Path:
    with Store(path) as store:
        for run in runs:
            store.save(run)
    return path


def rerun(run: ScanRun, **changes) -> ScanRun:
    return replace(run, **changes)
