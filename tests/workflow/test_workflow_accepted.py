"""Accepted risks: validation with file:line, marking by judge date, expiry, thresholds and scoring."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml

from auditor.analysis import analyse
from auditor.cli import scan_cmd
from auditor.registry import default_registry
from auditor.workflow.accepted import load_accepted_risks, mark_accepted
from auditor.yamlfile import YamlFileError

from workflow_helpers import STARTED, make_run

TELNET_BIP = "network.risky_service|host:bip.gmina.test|23/tcp"
TELNET_POCZTA = "network.risky_service|host:poczta.gmina.test|23/tcp"


def risk(expires, target="bip.*", **extra):
    return {"check": "network.risky_service", "target": target, "reason": "System kolejkowy wymaga telnetu do 2027.",
            "approver": {"role": "kierownik jednostki", "name": "Anna Nowak"},
            "date": (STARTED.date() - timedelta(days=30)).isoformat(), "expires": expires, **extra}


def test_active_acceptance_marks_only_matching_failures_and_leaves_findings_unchanged(sample_findings):
    run = make_run(sample_findings, extras={"accepted_risks": [risk(STARTED.date().isoformat())]})
    assert set(run.extras.accepted) == {TELNET_BIP}
    assert run.extras.accepted[TELNET_BIP].state == "active"       # valid on its expiry day
    assert [f.status.value for f in run.findings if f.key == TELNET_BIP] == ["fail"]
    assert run.extras.active_keys == {TELNET_BIP}


def test_acceptance_expired_yesterday_counts_as_failing_again(sample_findings):
    yesterday = (STARTED.date() - timedelta(days=1)).isoformat()
    run = make_run(sample_findings, extras={"accepted_risks": [risk(yesterday, target="host:*")]})
    assert {k: e.state for k, e in run.extras.accepted.items()} == {TELNET_BIP: "expired",
                                                                          TELNET_POCZTA: "expired"}
    assert run.extras.active_keys == frozenset()
    assert scan_cmd.threshold_exit(analyse(run), "critical") == 1
    # the same acceptance judged on the expiry day itself is still valid
    on_expiry = make_run(sample_findings, started=STARTED - timedelta(days=1),
                         extras={"accepted_risks": [risk(yesterday, target="host:*")]})
    assert on_expiry.extras.active_keys == {TELNET_BIP, TELNET_POCZTA}
    assert scan_cmd.threshold_exit(analyse(on_expiry), "critical") == 0


def test_active_wins_over_expired_and_subject_glob_filters(sample_findings):
    old = risk((STARTED.date() - timedelta(days=5)).isoformat(), target="*")
    new = risk((STARTED.date() + timedelta(days=5)).isoformat(), target="*", subject="23/*")
    other_port = risk((STARTED.date() + timedelta(days=5)).isoformat(), target="*", subject="3389/tcp")
    run = mark_accepted(make_run(sample_findings, extras={"accepted_risks": [new, old, other_port]}))
    assert {e.index for e in run.extras.accepted.values()} == {0}


def test_scoring_never_counts_accepted_failure_as_met_nor_against_the_score(sample_findings):
    plain = make_run(sample_findings)
    accepted = make_run(sample_findings, extras={"accepted_risks": [risk("2027-01-31", target="*")]})
    for baseline_id, entry in accepted.scores.items():
        for req_id, req in entry.requirements.items():
            if req.accepted:
                assert req.status != "met"
                assert plain.scores[baseline_id].requirements[req_id].status != "met"
        before = plain.scores[baseline_id]
        if before.score is not None and entry.score is not None:
            assert entry.score >= before.score
    # the critical failures no longer cap the grade, the high one (tls) still does
    kri = accepted.scores["kri"]
    assert kri.worst_failing_severity == "high" and plain.scores["kri"].worst_failing_severity == "critical"


def test_fail_on_ignores_active_acceptances(sample_findings):
    run = make_run(sample_findings, extras={"accepted_risks": [risk("2027-01-31", target="*")]})
    assert scan_cmd.threshold_exit(analyse(run), "critical") == 0
    assert scan_cmd.threshold_exit(analyse(run), "high") == 1          # the TLS failure is not accepted
    assert scan_cmd.threshold_exit(analyse(make_run(sample_findings)), "critical") == 1


def test_file_errors_carry_the_line(tmp_path):
    path = tmp_path / "accepted-risks.yaml"
    good = risk("2027-01-31")
    bad = {**good, "check": "network.risky_servce"}
    path.write_text(yaml.safe_dump({"accepted_risks": [good, bad]}, allow_unicode=True, sort_keys=False))
    with pytest.raises(YamlFileError) as err:
        load_accepted_risks(path, default_registry().checks)
    assert err.value.line is not None and err.value.line > 8 and "did you mean 'network.risky_service'" in str(err.value)
    path.write_text(yaml.safe_dump({"accepted_risks": [{**good, "expires": "2020-01-01"}]}))
    with pytest.raises(YamlFileError, match="before the acceptance date"):
        load_accepted_risks(path, default_registry().checks)
    path.write_text(yaml.safe_dump({"accepted_risks": [{k: v for k, v in good.items() if k != "approver"}]}))
    with pytest.raises(YamlFileError, match=r"approver: required key is missing"):
        load_accepted_risks(path, default_registry().checks)
    path.write_text(yaml.safe_dump({"accepted_risks": [good]}, allow_unicode=True))
    assert load_accepted_risks(path, default_registry().checks)[0].approver.name == "Anna Nowak"


def test_validate_reads_the_referenced_file(write_inventory, tmp_path):
    from click.testing import CliRunner

    from auditor.cli import main

    (tmp_path / "accepted-risks.yaml").write_text(yaml.safe_dump({"accepted_risks": [
        {**risk("2027-01-31"), "approver": {"role": "kierownik jednostki"}}]}, allow_unicode=True))
    inventory = write_inventory(extensions={"accepted_risks": "accepted-risks.yaml"})
    done = CliRunner().invoke(main, ["validate", str(inventory)])
    assert done.exit_code == 2 and "accepted-risks.yaml:" in done.output and "approver.name" in done.output


def test_fail_on_regression_ignores_a_new_failure_that_is_accepted(sample_findings, tmp_path):
    from auditor.model import Status
    from auditor.store.jobs import keep_and_gate

    clean = [f if f.key != TELNET_BIP else f.__class__(**{**f.__dict__, "status": Status.PASS})
             for f in sample_findings]
    before = make_run(clean, started=STARTED - timedelta(days=7), run_id="before")
    for name in ("a.sqlite", "b.sqlite"):
        keep_and_gate(before, tmp_path / name)
    accepted = make_run(sample_findings, extras={"accepted_risks": [risk("2027-01-31")]}, run_id="after-1")
    outcome = keep_and_gate(accepted, tmp_path / "a.sqlite", fail_on_regression=True)
    assert outcome.diff is not None and [c.row.key for c in outcome.diff.new_failures] == [TELNET_BIP]
    assert outcome.failures == []
    not_accepted = make_run(sample_findings, run_id="after-2")
    failures = keep_and_gate(not_accepted, tmp_path / "b.sqlite", fail_on_regression=True).failures
    assert any("network.risky_service on host:bip.gmina.test" in reason for reason in failures)


def test_terminal_summary_marks_acceptances():
    from auditor.terminal import summary_text
    from workflow_helpers import audited_pair

    text = summary_text(analyse(audited_pair()[1], lang="en"), width=200, show_all=True)
    assert "fail critical [accepted until 2027-06-30] network.risky_service" in text
    assert "fail critical [acceptance expired on 2026-11-26] network.risky_service" in text
    assert "Accepted risks (not counted as failures): 1." in text
