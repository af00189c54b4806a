"""Builders of small, real ScanRuns for the store tests (no scanning needed)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
import pytest

from auditor.model import BaselineScore, Finding, RunMeta, ScanRun, Severity, Status, Target

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)


def finding(check: str, target: str, status: str, severity: str = "high", subject: str = "") -> Finding:
    return Finding(check, target, Status(status), Severity(severity), {"pl": f"{check} {status}", "en": check},
                   {"n": 1}, subject)


def score(value: float | None, coverage: float = 0.6, title: str = "KRI", grade: str = "C") -> BaselineScore:
    """A score as ``auditor.scoring`` writes it into ``ScanRun.scores[baseline]`` (no requirements)."""
    return BaselineScore(baseline=title.lower(), version="2024", title={"pl": title, "en": title}, source="test",
                         score=value, coverage=coverage, automated_coverage=coverage, grade=grade, counts={},
                         requirements={})


def make_run(findings: list[Finding] | tuple[Finding, ...] = (), *, day: int = 0,
             scores: dict[str, BaselineScore] | None = None,
             teryt: str = "0201011", interrupted: bool = False, name: str = "Gmina Testowa") -> ScanRun:
    started = T0 + timedelta(days=day)
    targets = tuple(Target(id=t, kind="host", name=t, addresses=("127.0.0.1",))
                    for t in sorted({f.target_id for f in findings}))
    return ScanRun(
        meta=RunMeta(run_id=str(uuid.uuid4()), tool_version="test", started=started,
                     finished=started + timedelta(minutes=5), inventory_sha256="ab" * 32,
                     inventory_path="/etc/auditor/inventory.yaml", interrupted=interrupted),
        organisation={"name": name, "teryt": teryt},
        targets=targets, attempts=(), findings=tuple(findings), scores=scores or {},
    )


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "audit.sqlite"


@pytest.fixture(name="make_run")
def make_run_fixture():
    return make_run


@pytest.fixture(name="finding")
def finding_fixture():
    return finding


@pytest.fixture(name="score")
def score_fixture():
    return score


@pytest.fixture(scope="session")
def pristine(tmp_path_factory):
    """One real store (a real scan, three snapshots) for the damage and read-only tests; they damage copies."""
    from damage_lab import build_store

    return build_store(tmp_path_factory.mktemp("pristine"), "127.0.26.1")
