"""Rule files: the shipped ones load, bad ones fail with file:line, new ones need no code."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.checks.config.checks import rule_check
from auditor.checks.config.rules import load_rules, shipped_rules
from auditor.model import Status, Target
from auditor.plugin import Family, JudgeContext
from auditor.model import utcnow
from auditor.registry import default_registry
from auditor.yamlfile import YamlFileError

ISSUE_IDS = [
    "config.ssh.root_login", "config.ssh.password_auth", "config.ssh.weak_algorithms", "config.password.min_length",
    "config.password.forced_expiry", "config.lockout", "config.admin_accounts", "config.firewall",
    "config.logs.retention", "config.logs.forwarding", "config.time_sync", "config.antimalware",
    "config.auto_updates", "config.disk_encryption", "config.smb1", "config.rdp.nla",
]

RULE = """\
platform: linux
rules:
  - id: config.kiosk.autologin
    severity: low
    title: {pl: Automatyczne logowanie, en: Automatic login}
    condition: {fact: kiosk.autologin, equals: false}
    remediation: {pl: Wyłącz automatyczne logowanie., en: Disable automatic login.}
    baselines: {kri: ["§20 ust. 2 pkt 7 lit. a"]}
"""


def test_every_issue_check_is_registered_with_bilingual_text_and_mapping() -> None:
    registry = default_registry()
    for check_id in ISSUE_IDS:
        spec = registry.checks[check_id]
        assert spec.family == "config" and spec.reads == ("config_bundle",)
        assert spec.title("pl") != spec.title("en")
        assert any(rule.references() for rule in shipped_rules().by_check[check_id].values()), check_id
    assert any("KRI §21" in rule.references() for rule in shipped_rules().by_check["config.logs.retention"].values())
    assert registry.checks["config.remote.ssh_weak_algorithms"].reads == ("ssh_algos",)


def test_shared_check_ids_join_platform_remediation() -> None:
    text = shipped_rules().texts()["config.firewall"]
    assert text.remediation.en.startswith("Linux:") and "\n\nWindows:\n" in text.remediation.en


def test_adding_a_rule_file_adds_a_check_without_code(tmp_path: Path) -> None:
    (tmp_path / "kiosk.yaml").write_text(RULE, encoding="utf-8")
    rules = load_rules(tmp_path)
    family = Family("cfgtest", str(tmp_path / "family.py"), texts=rules.texts)
    family.check("config.kiosk.autologin", reads="config_bundle")(rule_check(rules, "config.kiosk.autologin"))
    (spec,) = family.specs()
    evidence = {"subjects": [{"subject": "pc-1", "platform": "linux", "facts": {"kiosk": {"autologin": True}}},
                             {"subject": "pc-2", "platform": "linux", "facts": {}},
                             {"subject": "pc-3", "platform": "windows", "facts": {}}]}
    verdicts = list(spec.evaluate(evidence, Target("x", "config_bundles", "x"), JudgeContext(now=utcnow())))
    assert [v.status for v in verdicts] == [Status.FAIL, Status.MANUAL, Status.NOT_APPLICABLE]
    assert spec.render_message(verdicts[1])["en"] == (
        "pc-2: the evidence lacks: kiosk: autologin — cannot be judged automatically, verify by hand.")
    assert [r.references() for r in rules.by_check["config.kiosk.autologin"].values()] == [["KRI §20 ust. 2 pkt 7 lit. a"]]


@pytest.mark.parametrize(("broken", "line", "message"), [
    (RULE.replace("equals: false", "equal: false"), 6, "unknown operator 'equal'"),
    (RULE.replace("severity: low", "severity: lowish"), 4, "severity"),
    (RULE.replace("    baselines", "    baseline"), 8, "unknown key"),
    (RULE.replace("config.kiosk", "kiosk"), 3, "id"),
])
def test_bad_rule_file_is_an_error_with_file_and_line(tmp_path: Path, broken: str, line: int, message: str) -> None:
    (tmp_path / "kiosk.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(YamlFileError, match=message) as info:
        load_rules(tmp_path)
    assert info.value.line == line and info.value.path.name == "kiosk.yaml"


def test_a_rule_defined_twice_for_one_platform_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(RULE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(RULE, encoding="utf-8")
    with pytest.raises(YamlFileError, match="defined twice"):
        load_rules(tmp_path)


def test_unknown_applicability_turns_a_failure_into_manual() -> None:
    rule = shipped_rules().rule_for("config.disk_encryption", "linux")
    assert rule is not None
    unencrypted = {"disk_encryption": {"enabled": False}}
    assert rule.judge("srv", unencrypted).status is Status.MANUAL
    assert rule.judge("srv", {**unencrypted, "hardware": {"portable": False}}).status is Status.NOT_APPLICABLE
    assert rule.judge("lap", {**unencrypted, "hardware": {"portable": True}}).status is Status.FAIL
    assert rule.judge("srv", {"disk_encryption": {"enabled": True}}).status is Status.PASS


def test_forwarded_short_logs_go_to_a_person_not_to_fail() -> None:
    rule = shipped_rules().rule_for("config.logs.retention", "linux")
    assert rule is not None
    short = {"logs": {"retention_days": 30}}
    assert rule.judge("h", short).status is Status.FAIL
    forwarded = rule.judge("h", {"logs": {"retention_days": 30, "forwarding": True}})
    assert forwarded.status is Status.MANUAL and forwarded.message == "deferred"
    assert rule.judge("h", {"logs": {"retention_days": 800, "forwarding": True}}).status is Status.PASS


def test_rules_for_any_platform_judge_every_bundle() -> None:
    rules = shipped_rules()
    for platform in ("linux", "windows"):
        rule = rules.rule_for("config.bundle.age", platform)
        assert rule is not None
        assert rule.judge("h", {"bundle": {"age_days": 200.0}}).status is Status.WARN
        assert rule.judge("h", {"bundle": {"age_days": 3.0}}).status is Status.PASS


def test_rule_mapping_hints_match_the_baseline_files() -> None:
    """Each rule's `baselines:` hint is listed in that requirement of kri/nis2/ksc.yaml, and nothing else is."""
    from auditor.baseline import load_baselines

    requirements = [r for loaded in load_baselines().values() for r in loaded.baseline.requirements]
    hinted = {(check_id, ref) for check_id, per in shipped_rules().by_check.items()
              for rule in per.values() for ref in rule.references()}
    listed = {(check.id, ref) for r in requirements for check in r.checks if check.id.startswith("config.")
              for ref in (r.ref, r.legacy_ref) if ref}
    for check_id, ref in hinted:
        assert (check_id, ref) in listed, f"{check_id} hints {ref} but the baseline does not list it there"
    for r in requirements:
        for check in r.checks:
            if check.id.startswith("config."):
                assert {(check.id, r.ref), (check.id, r.legacy_ref)} & hinted, f"{r.ref} lists {check.id} without a hint"


def test_every_fact_a_shipped_rule_reads_has_reader_words() -> None:
    """Rule messages word the facts they looked at; a collector key must never reach a reader."""
    from auditor.wording import fact_labels

    facts = {fact for rules in shipped_rules().by_check.values() for rule in rules.values() for fact in rule.facts}
    assert facts and sorted(facts - set(fact_labels())) == []
