"""The core promises, pinned so a mutation of the rule fails a test (issue 26, item 10).

Each test names the mutation that survived the suite before it existed:
a raising check read as "no finding", a loosened domain-suffix match, an
accepted risk scored ``met``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from auditor.baseline import Baseline
from auditor.judge import judge
from auditor.model import AttemptStatus, ErrorReason, Finding, ProbeAttempt, Severity, Status, Target
from auditor.plugin import JudgeContext
from auditor.registry import default_registry
from auditor.scope import ScopeGuard
from auditor.scoring import score_baseline

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def test_a_check_that_raises_is_an_error_finding_never_silence() -> None:
    spec = default_registry().checks["web.hsts"]

    def broken(evidence, target, ctx):
        raise KeyError("sites")

    target = Target(id="host:www.gmina.test", kind="host", name="www.gmina.test")
    attempt = ProbeAttempt(probe=spec.reads[0], target_id=target.id, status=AttemptStatus.COMPLETED, evidence={})
    findings = judge([replace(spec, evaluate=broken)], [target], [attempt], JudgeContext(now=NOW))
    assert [(f.check_id, f.status) for f in findings] == [("web.hsts", Status.ERROR)]
    assert findings[0].facts["error_reason"] == ErrorReason.PROBE_BUG.value
    assert "KeyError" in findings[0].facts["error"]


def test_domain_suffix_match_is_on_label_boundaries() -> None:
    guard = ScopeGuard.from_lists(["127.123.30.0/24"], ["gmina.test"])
    for inside in ("gmina.test", "www.gmina.test", "a.b.gmina.test", "WWW.Gmina.Test", "www.gmina.test."):
        assert guard.name_allowed(inside), inside
    for outside in ("evilgmina.test", "gmina.test.evil", "xgmina.test", "gmina.tes", "test", "wwwgmina.test"):
        assert not guard.name_allowed(outside), outside


def test_address_scope_is_exact_at_the_network_edges() -> None:
    guard = ScopeGuard.from_lists(["127.123.30.0/24"], [])
    assert guard.address_allowed("127.123.30.0") and guard.address_allowed("127.123.30.255")
    assert not guard.address_allowed("127.123.29.255") and not guard.address_allowed("127.123.31.0")
    assert not guard.address_allowed("::ffff:127.123.31.5")


def _text(value: str) -> dict[str, str]:
    return {"pl": value, "en": value}


def test_a_requirement_with_an_accepted_risk_is_not_met() -> None:
    """Accepting a risk is a decision, not a fix: the requirement stays ``partial`` (scoring rules)."""
    baseline = Baseline.model_validate({
        "id": "t", "version": "1", "title": _text("T"), "source": "test", "applies_to": ["none"],
        "requirements": [{"id": "r", "ref": "X r", "title": _text("r"), "description": _text("r"),
                          "remediation": _text("fix"), "weight": 1,
                          "checks": [{"id": "a.pass", "weight": 1}, {"id": "b.fail", "weight": 1}], "manual": []}]})
    passing = Finding(check_id="a.pass", target_id="host:a", status=Status.PASS, severity=Severity.LOW,
                      message=_text("ok"))
    failing = Finding(check_id="b.fail", target_id="host:a", status=Status.FAIL, severity=Severity.HIGH,
                      message=_text("bad"))
    accepted = score_baseline(baseline, [passing, failing], frozenset({failing.key}))
    # the accepted failure is left out of the ratio (1.0), yet the requirement is not ``met``
    assert (accepted.requirements["r"].status, accepted.requirements["r"].ratio) == ("partial", 1.0)
    assert failing.key in accepted.requirements["r"].accepted
    assert score_baseline(baseline, [passing, failing]).requirements["r"].ratio == 0.5
    assert score_baseline(baseline, [passing]).requirements["r"].status == "met"
