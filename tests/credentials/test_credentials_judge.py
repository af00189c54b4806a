"""Judging recorded credential evidence (pure), the shipped list's limits, and the "did it run" summary."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from auditor.analysis.intrusive import _state
from auditor.checks.credentials.data import MAX_PAIRS, CredentialList, credential_list
from auditor.model import ErrorReason, Severity, Status, Target
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

TARGET = Target(id="host:nas.wolka.test", kind="host", name="nas.wolka.test", addresses=("127.0.27.1",))
CTX = JudgeContext(now=datetime(2026, 12, 2, tzinfo=timezone.utc))


def entry(state: str, service: str = "ftp", **extra: Any) -> dict[str, Any]:
    return {"service": service, "port": 21, "origin": None, "path": None, "state": state, "user": None,
            "attempts": 0, "listed": 5, "detail": None, **extra}


def judge(check: str, *entries: dict[str, Any]) -> list[Any]:
    spec = default_registry().checks[check]
    evidence = {"host": TARGET.name, "address": "127.0.27.1", "services": list(entries), "attempts": 0, "run": "ran",
                "delay_s": 3.0, "data_date": "2026-12-02"}
    return [(v.status, v.severity, spec.render_message(v)["en"]) for v in spec.evaluate(evidence, TARGET, CTX)]


def test_an_accepted_pair_is_a_critical_failure_naming_only_the_user() -> None:
    [(status, severity, text)] = judge("credentials.service.default", entry("accepted", user="admin", attempts=3))
    assert status is Status.FAIL and severity is None  # the check's own severity: critical
    assert default_registry().checks["credentials.service.default"].severity is Severity.CRITICAL
    assert text.startswith("FTP :21: default credential accepted for user admin (attempt 3 of 5)")


@pytest.mark.parametrize("state, attempts, status, words", [
    ("rejected", 5, Status.PASS, "all 5 default pairs of the list were rejected"),
    ("no_password_auth", 1, Status.PASS, "takes no passwords"),
    ("not_authorised", 0, Status.NOT_APPLICABLE, "not run — the scan's authorisation does not allow"),
    ("window_closed", 0, Status.NOT_APPLICABLE, "not run — outside the authorisation's time window"),
    ("window_closed", 2, Status.MANUAL, "stopped after 2 of 5 attempts — the authorisation window closed"),
    ("stopped", 3, Status.MANUAL, "throttles attempts"),
    ("unreachable", 2, Status.MANUAL, "could not connect"),
    ("time_budget", 4, Status.MANUAL, "the job's time ran out"),
])
def test_every_other_state_is_said_and_never_a_silent_pass(state, attempts, status, words) -> None:
    [(got, _, text)] = judge("credentials.service.default", entry(state, attempts=attempts))
    assert got is status and words in text


def test_panels_and_services_are_judged_by_their_own_check() -> None:
    panel = entry("accepted", service="http_basic", origin="http://router.wolka.test:8080", path="/admin/",
                  user="admin", attempts=1)
    service = entry("rejected", attempts=5)
    [(status, _, text)] = judge("credentials.panel.default", panel, service)
    assert status is Status.FAIL and text.startswith("http://router.wolka.test:8080/admin/: the panel accepted")
    [(status, _, _)] = judge("credentials.service.default", panel, service)
    assert status is Status.PASS
    [(status, _, text)] = judge("credentials.panel.default", service)
    assert status is Status.NOT_APPLICABLE and "declares no web sites" in text


def test_the_shipped_list_is_short_and_sourced() -> None:
    shipped = credential_list()
    assert set(shipped.services) == {"ssh", "ftp", "mysql", "postgresql", "http_basic"}
    assert all(1 <= len(pairs) <= MAX_PAIRS for pairs in shipped.services.values())
    assert all(pair.source and pair.vendor for pairs in shipped.services.values() for pair in pairs)
    assert "raspberry" not in repr(shipped.services["ftp"][0])  # a pair printed in a traceback hides its password


@pytest.mark.parametrize("services, error", [
    ({"ftp": [{"user": f"u{n}", "password": "x", "vendor": "v", "source": "s", "verified": "checked"}
              for n in range(MAX_PAIRS + 1)]}, "not a dictionary"),
    ({"telnet": [{"user": "u", "password": "x", "vendor": "v", "source": "s", "verified": "checked"}]}, "unknown service"),
])
def test_a_list_that_grows_into_a_dictionary_is_refused(services, error) -> None:
    with pytest.raises(ValidationError, match=error):
        CredentialList.model_validate({"updated": "2026-12-02", "services": services, "panel_paths": ["/"]})


@pytest.mark.parametrize("evidence, errors, state", [
    ([{"run": "ran"}, {"run": "not_authorised"}], [], "ran"),
    ([{"run": "not_authorised"}], [], "not_authorised"),
    ([{"run": "window_closed"}, {"run": "not_authorised"}], [], "window_closed"),
    ([], [ErrorReason.WINDOW_CLOSED], "window_closed"),
    ([], [ErrorReason.UNREACHABLE], "failed"),
    ([], [], "not_run"),
])
def test_the_summary_state_of_the_intrusive_tests(evidence, errors, state) -> None:
    assert _state(evidence, errors) == state
