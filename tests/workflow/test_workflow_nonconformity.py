"""Non-conformities, remediation plan data and follow-up: pure functions on constructed runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from auditor.analysis import analyse
from auditor.analysis.followup import follow_up
from auditor.model import Severity, Status
from auditor.workflow.rules import load_audit_rules
from auditor.yamlfile import YamlFileError
from workflow_helpers import STARTED, finding, make_run

RULES = load_audit_rules()


def classified(run):
    return analyse(run, lang="pl", rules=RULES)


def test_failing_check_on_many_targets_is_one_numbered_item(sample_findings):
    items = classified(make_run(sample_findings)).items
    assert [(i.number, i.cls, i.check_id) for i in items] == [
        ("N-01", "niezgodność", "network.risky_service"),
        ("N-02", "niezgodność", "tls.protocol.tls10"),
        ("Z-01", "zalecenie", "web.header.csp"),
    ]
    telnet = items[0]
    assert telnet.targets == ("host:bip.gmina.test", "host:poczta.gmina.test") and telnet.evidence_total == 2
    assert any(ref.startswith("KRI ") for ref in telnet.legal_basis) and any("NIS2" in r for r in telnet.legal_basis)
    assert "systemctl disable" in telnet.remediation
    assert telnet.deadline == STARTED.date() + timedelta(days=14) and telnet.owner == "it"
    assert telnet.effort_hours == 3.0          # 2 h + 1 h for the second target


def test_classes_follow_the_severity_rules():
    run = make_run([finding("patch.pending_updates", "srv1.gmina.test", severity=Severity.MEDIUM),
                    finding("doc.missing.pbi", "bip.gmina.test", status=Status.WARN, severity=Severity.HIGH)])
    items = {i.check_id: i for i in classified(run).items}
    assert items["patch.pending_updates"].cls == "obserwacja" and items["patch.pending_updates"].number == "O-02"
    assert items["doc.missing.pbi"].number == "O-01" and items["doc.missing.pbi"].owner == "kierownik"  # higher severity first
    assert items["doc.missing.pbi"].owner_label == "Kierownik jednostki"


def test_accepted_findings_are_left_out_and_expired_ones_noted(sample_findings):
    risk = {"check": "network.risky_service", "target": "bip.*", "reason": "r",
            "approver": {"role": "kierownik jednostki", "name": "A"}, "date": "2026-01-01"}
    active = classified(make_run(sample_findings, extras={"accepted_risks": [{**risk, "expires": "2027-01-01"}]}))
    assert active.items[0].targets == ("host:poczta.gmina.test",) and len(active.accepted) == 1
    expired = classified(make_run(sample_findings, extras={"accepted_risks": [{**risk, "expires": "2026-11-26"}]}))
    assert expired.items[0].expired_acceptances == ("2026-11-26",) and len(expired.items[0].targets) == 2


def test_follow_up_states(sample_findings):
    before = classified(make_run(sample_findings, started=STARTED - timedelta(days=40))).actions
    later = STARTED  # 40 days on: the telnet deadline (14 days) has passed, the TLS one (30) too
    now = make_run([
        finding("network.risky_service", "bip.gmina.test", severity=Severity.CRITICAL, subject="23/tcp"),
        finding("network.risky_service", "poczta.gmina.test", status=Status.PASS, subject="23/tcp"),
        finding("tls.protocol.tls10", "poczta.gmina.test", status=Status.PASS, subject="443/tcp"),
    ], started=later)
    states = {f.item.check_id: f.state for f in follow_up(before, now)}
    assert states == {"network.risky_service": "overdue", "tls.protocol.tls10": "closed",
                      "web.header.csp": "not_rechecked"}
    soon = make_run([finding("network.risky_service", "bip.gmina.test", severity=Severity.CRITICAL,
                             subject="23/tcp")], started=STARTED - timedelta(days=35))
    assert follow_up(before, soon)[0].state == "open"


def test_rules_file_is_validated_with_lines(tmp_path):
    from importlib.resources import files
    data = yaml.safe_load(files("auditor.baselines").joinpath("audit.yaml").read_text(encoding="utf-8"))
    data["classification"][0]["class"] = "niezgodnosc"
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(YamlFileError, match="unknown class 'niezgodnosc'") as err:
        load_audit_rules(path)
    assert err.value.line is not None
    data["classification"] = data["classification"][:1]
    data["classification"][0]["class"] = "niezgodność"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(YamlFileError, match="no rule classifies fail/medium"):
        load_audit_rules(path)
