"""ScanRun and evidence survive JSON unchanged; a newer major schema is refused."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from auditor.model import (
    SCHEMA_VERSION, AttemptStatus, BaselineScore, CheckOutcome, ErrorReason, Finding, PortSpec, ProbeAttempt, ReqStatus,
    RequirementScore, RunInputs, RunMeta, ScanRun, SchemaVersionError, Severity, Status, Target, TlsMode,
    scan_run_from_json, scan_run_to_json,
)


def sample_score() -> BaselineScore:
    requirement = RequirementScore(status=ReqStatus.NOT_MET, ratio=0.0, ref="KRI §20 ust. 2 pkt 12 lit. f",
                                   legacy_ref=None, weight=2, checks=(CheckOutcome("network.risky_service", 3, "fail"),),
                                   title={"pl": "Zabezpieczenia", "en": "Safeguards"},
                                   remediation={"pl": "Wyłącz telnet.", "en": "Disable telnet."},
                                   findings=("network.risky_service|host:www.gmina.test|127.0.0.1:23/tcp",))
    return BaselineScore(baseline="kri", version="2026.1", title={"pl": "KRI", "en": "KRI"}, source="Dz.U. 2024",
                         score=0.0, coverage=1.0, automated_coverage=1.0, grade="F", counts={"not_met": 1},
                         requirements={"pkt12f": requirement}, worst_failing_severity=Severity.CRITICAL)


def sample_run() -> ScanRun:
    started = datetime(2026, 5, 12, 8, 30, tzinfo=timezone.utc)
    target = Target(id="host:www.gmina.test", kind="host", name="www.gmina.test", addresses=("127.0.0.1",),
                    ports=(PortSpec(443, service="https", tls=TlsMode.IMPLICIT),), roles=("www", "bip"))
    return ScanRun(
        meta=RunMeta(run_id="r1", tool_version="0.1.0", started=started, finished=started,
                     data_versions={"eol": "2026-11-01"}),
        organisation={"name": "Gmina Zażółć", "kind": "gmina"},
        targets=(target,),
        attempts=(
            ProbeAttempt("network", target.id, AttemptStatus.COMPLETED,
                         evidence={"hosts": {"127.0.0.1": {"ports": [{"port": 443, "state": "open"}]}}, "n": 1.5},
                         started=started, duration_s=0.25),
            ProbeAttempt("tls", target.id, AttemptStatus.ERROR, error_reason=ErrorReason.TIMEOUT, error="no answer"),
        ),
        findings=(Finding("network.risky_service", target.id, Status.FAIL, Severity.CRITICAL,
                          {"pl": "Port 23 — telnet", "en": "Port 23 — telnet"}, {"port": 23}, "127.0.0.1:23/tcp"),),
        scores={"kri": sample_score()},
        extras=RunInputs(settings={"timeout": 5}),
    )


def test_scan_run_round_trips_losslessly() -> None:
    run = sample_run()
    text = scan_run_to_json(run)
    again = scan_run_from_json(text)
    assert again == run
    assert scan_run_to_json(again) == text
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION


def test_unknown_extras_are_kept_and_written_back_in_place() -> None:
    data = json.loads(scan_run_to_json(sample_run()))
    data["extras"]["fleet"] = {"region": "mazowieckie", "batch": [1, 2]}
    run = scan_run_from_json(json.dumps(data))
    assert run.extras.other == {"fleet": {"region": "mazowieckie", "batch": [1, 2]}}
    assert json.loads(scan_run_to_json(run))["extras"]["fleet"] == {"region": "mazowieckie", "batch": [1, 2]}
    assert "other" not in json.loads(scan_run_to_json(run))["extras"]


@pytest.mark.parametrize("path", [("meta", "colour"), ("findings", 0, "colour"),
                                  ("scores", "kri", "requirements", "pkt12f", "colour"), ("colour",)])
def test_an_unknown_key_outside_extras_is_an_error_not_dropped(path) -> None:
    data = json.loads(scan_run_to_json(sample_run()))
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = "blue"
    with pytest.raises(ValueError, match="colour"):
        scan_run_from_json(json.dumps(data))


def test_newer_major_schema_is_refused_with_a_clear_message() -> None:
    data = json.loads(scan_run_to_json(sample_run()))
    data["schema_version"] = "2.0"
    with pytest.raises(SchemaVersionError, match="upgrade auditor"):
        scan_run_from_json(json.dumps(data))


def test_severity_order() -> None:
    assert Severity.CRITICAL.at_least(Severity.HIGH)
    assert not Severity.LOW.at_least(Severity.MEDIUM)
    assert sorted(Severity, key=lambda s: s.rank)[0] is Severity.INFO
