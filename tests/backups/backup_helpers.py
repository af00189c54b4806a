"""Helpers shared by the backups tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from datetime import datetime

from auditor.judge import judge
from auditor.model import Finding, ScanRun
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

#: Distinctive, so a grep of the ScanRun JSON finds it wherever it leaked.
PASSWORD = "Tajne-Haslo-Kopii-8f3!"


def findings(run: ScanRun, check_id: str, target_id: str) -> list[Finding]:
    return [f for f in run.findings if f.check_id == check_id and f.target_id == target_id]


def only(run: ScanRun, check_id: str, target_id: str) -> Finding:
    found = findings(run, check_id, target_id)
    assert len(found) == 1, found
    return found[0]


def judged_at(run: ScanRun, when: str) -> ScanRun:
    """The run's stored evidence judged again at a controlled time (as ``rejudge`` does, other clock)."""
    ctx = JudgeContext(now=datetime.fromisoformat(when), settings=run.extras.settings)
    return run.with_findings(tuple(judge(default_registry().checks_of({"backups"}), run.targets, run.attempts, ctx)))
