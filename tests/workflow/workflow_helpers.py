"""Small judged runs built from real check ids, scored against the shipped baselines."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from auditor.baseline import load_baselines
from auditor.model import Finding, RunMeta, ScanRun, Severity, Status, Target, run_inputs_from_dict
from auditor.scoring import apply_baselines

STARTED = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
HOSTS = ("bip.gmina.test", "poczta.gmina.test", "srv1.gmina.test")


def finding(check_id: str, host: str, status: Status = Status.FAIL, severity: Severity = Severity.HIGH,
            subject: str = "") -> Finding:
    return Finding(check_id=check_id, target_id=f"host:{host}", status=status, severity=severity,
                   message={"pl": f"{check_id} na {host}", "en": f"{check_id} on {host}"},
                   facts={"host": host}, subject=subject)


def make_run(findings: list[Finding], *, started: datetime = STARTED, extras: dict[str, Any] | None = None,
             run_id: str = "run-1") -> ScanRun:
    run = ScanRun(
        meta=RunMeta(run_id=run_id, tool_version="test", started=started),
        organisation={"name": "Gmina Testowa", "kind": "gmina", "teryt": "0201011", "entity_class": "important"},
        targets=tuple(Target(id=f"host:{h}", kind="host", name=h, addresses=("127.0.0.1",)) for h in HOSTS),
        attempts=(), findings=tuple(findings), extras=run_inputs_from_dict(extras or {}),
    )
    return apply_baselines(run, [lb.baseline for lb in load_baselines().values()])


def sample_findings() -> list[Finding]:
    """telnet on two hosts (critical), legacy TLS on one (high), one warn, passes elsewhere."""
    return [
        finding("network.risky_service", "bip.gmina.test", severity=Severity.CRITICAL, subject="23/tcp"),
        finding("network.risky_service", "poczta.gmina.test", severity=Severity.CRITICAL, subject="23/tcp"),
        finding("network.risky_service", "srv1.gmina.test", status=Status.PASS),
        finding("tls.protocol.tls10", "poczta.gmina.test", subject="443/tcp"),
        finding("tls.protocol.tls10", "bip.gmina.test", status=Status.PASS, subject="443/tcp"),
        finding("web.header.csp", "bip.gmina.test", status=Status.WARN, severity=Severity.LOW),
    ]


AUTHORISATION = {
    "by": {"name": "Jan Wójcik", "role": "Wójt Gminy Testowa"},
    "document": "zarządzenie nr 12/2026 Wójta Gminy Testowa z dnia 20 listopada 2026 r.",
    "scope_note": "Serwery urzędu, domena gmina.test, dokumentacja SZBI",
    "window": {"start": "2026-11-25", "end": "2026-11-30"},
    "window_bounds": {"start": "2026-11-25T00:00:00+01:00", "end": "2026-12-01T00:00:00+01:00"},
    "auditor": {"name": "Ewa Zielińska", "role": "audytor wewnętrzny"},
}


def accepted_risk(check: str, target: str, expires: str) -> dict[str, Any]:
    return {"check": check, "target": target, "subject": "*", "reason": "System kolejkowy wymaga telnetu do wymiany.",
            "approver": {"role": "kierownik jednostki", "name": "Jan Wójcik"}, "date": "2026-06-01",
            "expires": expires}


def audited_pair() -> tuple[ScanRun, ScanRun]:
    """(previous, current): a current run with authorisation, one active and one expired acceptance."""
    from datetime import timedelta

    previous = make_run(sample_findings(), started=STARTED - timedelta(days=60), run_id="run-0")
    current = make_run(sample_findings(), extras={
        "authorisation": AUTHORISATION,
        "accepted_risks": [accepted_risk("network.risky_service", "bip.*", "2027-06-30"),
                           accepted_risk("network.risky_service", "poczta.*", "2026-11-26")],
    })
    return previous, current
