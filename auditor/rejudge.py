"""Judging stored evidence again, without touching the network.

A ScanRun keeps every probe attempt verbatim, so newer checks (or a fixed
check) can be applied to an old snapshot.  Time-dependent checks are judged
at the time the evidence was collected, not today.
"""

from __future__ import annotations

from auditor.judge import judge
from auditor.model import ScanRun
from auditor.plugin import JudgeContext
from auditor.registry import Registry


def judge_context_of(run: ScanRun) -> JudgeContext:
    return JudgeContext(now=run.meta.started, settings=dict(run.extras.settings), organisation=run.organisation)


def rejudge(run: ScanRun, registry: Registry, families: set[str] | None = None) -> ScanRun:
    """The same run with findings recomputed from its stored attempts by today's checks."""
    findings = judge(registry.checks_of(families), run.targets, run.attempts, judge_context_of(run))
    return run.with_findings(tuple(findings))
