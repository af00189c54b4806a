"""The judge's ``any_of`` reads: judged on the probes that completed, an error only when none did."""

from __future__ import annotations

from datetime import datetime, timezone

from auditor.judge import judge
from auditor.model import AttemptStatus, ErrorReason, ProbeAttempt, Status, Target
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

HOST = Target(id="host:www", kind="host", name="www")
CTX = JudgeContext(now=datetime(2026, 11, 27, tzinfo=timezone.utc))
SOFTWARE = {"http": [{"port": 80, "headers": {"Server": "Apache/2.2.15"}, "generators": [], "cms": {}}], "banners": []}


def _eol(attempts: list[ProbeAttempt]) -> list[Status]:
    spec = default_registry().checks["patch.eol"]
    return [f.status for f in judge([spec], [HOST], attempts, CTX)]


def test_failed_network_probe_does_not_hide_banner_facts() -> None:
    attempts = [
        ProbeAttempt("network", HOST.id, AttemptStatus.ERROR, error_reason=ErrorReason.TOOL_MISSING, error="no nmap"),
        ProbeAttempt("software", HOST.id, AttemptStatus.COMPLETED, evidence=SOFTWARE),
    ]
    assert _eol(attempts) == [Status.FAIL]


def test_all_probes_failed_is_an_error_and_none_attempted_is_nothing() -> None:
    failed = [ProbeAttempt("software", HOST.id, AttemptStatus.ERROR, error_reason=ErrorReason.UNREACHABLE, error="x")]
    assert _eol(failed) == [Status.ERROR]
    assert _eol([]) == []
