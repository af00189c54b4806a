"""Every sslyze command the tls probe runs feeds a verdict; an unread command cannot come back.

Each command's facts are blanked, as ``checks.tls.facts`` leaves them when
the command fails (``None`` plus a ``scan_errors`` entry), in every recorded
endpoint; judging the blanked evidence with every tls check must change at
least one verdict.  A command whose facts no check reads (as the elliptic
curves were: one handshake per curve) fails here.  ``FACTS`` must name every
command the probe runs, so a new command is tested too.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from auditor.checks.tls.probe import SCAN_COMMANDS
from auditor.model import Target
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

EVIDENCE = Path(__file__).with_name("evidence")
TARGET = Target(id="host:x", kind="host", name="x")

#: The endpoint facts each scan command fills (``checks.tls.facts``), as paths.
FACTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "certificate_info": (("certificate",),),
    **{f"{name}_cipher_suites": (("protocols", label), ("cipher_suites", label)) for name, label in (
        ("ssl_2_0", "SSLv2"), ("ssl_3_0", "SSLv3"), ("tls_1_0", "TLSv1.0"), ("tls_1_1", "TLSv1.1"),
        ("tls_1_2", "TLSv1.2"), ("tls_1_3", "TLSv1.3"))},
    "tls_compression": (("vulnerabilities", "compression"),),
    "tls_fallback_scsv": (("vulnerabilities", "fallback_scsv"),),
    "heartbleed": (("vulnerabilities", "heartbleed"),),
    "openssl_ccs_injection": (("vulnerabilities", "ccs_injection"),),
    "robot": (("vulnerabilities", "robot"), ("vulnerabilities", "robot_vulnerable")),
    "session_renegotiation": (("vulnerabilities", "secure_renegotiation"),
                              ("vulnerabilities", "client_renegotiation")),
    "http_headers": (("hsts",),),
}


def recorded() -> list[dict[str, Any]]:
    """The recorded endpoints, plus the good one also offering TLS 1.0 and 1.1 (where fallback SCSV matters)."""
    found = [json.loads(path.read_text()) for path in sorted(EVIDENCE.glob("*.json"))]
    several = copy.deepcopy(next(e for e in found if e["hostname"].startswith("good")))
    several["endpoints"][0]["protocols"] |= {"TLSv1.0": True, "TLSv1.1": True}
    return [*found, several]


def when(evidence: dict[str, Any]) -> datetime:
    """Two days into the recorded certificate's life (the judging time of ``test_tls_checks``)."""
    leaf = evidence["endpoints"][0]["certificate"]["chain"][0]
    return datetime.fromisoformat(leaf["not_before"]) + timedelta(days=2)


def verdicts(evidence: dict[str, Any], now: datetime) -> list[tuple[str, str, str | None, str]]:
    ctx = JudgeContext(now=now)
    found = []
    for spec in default_registry().checks_of({"tls"}):
        for verdict in spec.evaluate(evidence, TARGET, ctx):
            found.append((spec.id, verdict.status.value, verdict.message, json.dumps(verdict.facts, sort_keys=True,
                                                                                       default=str)))
    return found


def blanked(evidence: dict[str, Any], command: str) -> dict[str, Any]:
    evidence = copy.deepcopy(evidence)
    for endpoint in (e for e in evidence["endpoints"] if e["reachable"]):
        for *parents, key in FACTS[command]:
            holder = endpoint
            for parent in parents:
                holder = holder.get(parent) or {}
            if parents == ["cipher_suites"]:
                holder.pop(key, None)  # a failed suite scan lists no suites
            elif key in holder:
                holder[key] = None
        endpoint["scan_errors"][command] = "ERROR: not run"
    return evidence


def test_facts_name_every_command_the_probe_runs() -> None:
    assert set(FACTS) == SCAN_COMMANDS | {"http_headers"}


@pytest.mark.parametrize("command", sorted(SCAN_COMMANDS | {"http_headers"}))
def test_each_command_changes_a_verdict_when_its_facts_are_missing(command: str) -> None:
    changed = [verdicts(evidence, when(evidence)) != verdicts(blanked(evidence, command), when(evidence))
               for evidence in recorded()]
    assert any(changed), f"no tls check reads what {command} finds: do not run it"
