"""Windows bundles built from the real output formats (examples/config/windows/)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest

from auditor.checks.config.facts_windows import windows_facts
from auditor.model import Status

EXAMPLES = Path(__file__).parents[2] / "examples/config/windows"

EXPECTED = {
    "PC-KANCELARIA-01": {
        "config.password.min_length": Status.FAIL, "config.password.forced_expiry": Status.WARN,
        "config.lockout": Status.FAIL, "config.admin_accounts": Status.WARN, "config.firewall": Status.FAIL,
        "config.logs.retention": Status.FAIL, "config.logs.forwarding": Status.WARN, "config.time_sync": Status.FAIL,
        "config.antimalware": Status.FAIL, "config.auto_updates": Status.FAIL, "config.disk_encryption": Status.FAIL,
        "config.smb1": Status.FAIL, "config.rdp.nla": Status.FAIL, "config.ssh.root_login": Status.NOT_APPLICABLE,
        "config.logs.audit_policy": Status.FAIL,
    },
    "SRV-AD-01": {
        "config.password.min_length": Status.PASS, "config.password.forced_expiry": Status.PASS,
        "config.lockout": Status.PASS, "config.admin_accounts": Status.PASS, "config.firewall": Status.PASS,
        "config.logs.retention": Status.PASS, "config.logs.forwarding": Status.PASS, "config.time_sync": Status.PASS,
        "config.antimalware": Status.PASS, "config.auto_updates": Status.PASS,
        "config.disk_encryption": Status.NOT_APPLICABLE, "config.smb1": Status.PASS, "config.rdp.nla": Status.PASS,
        "config.logs.audit_policy": Status.PASS,
    },
}


def load(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["pc-kancelaria-01.json", "srv-ad-01.json"])
def test_examples_validate_against_the_schema(name: str, bundle_schema: dict[str, Any]) -> None:
    jsonschema.validate(load(name), bundle_schema)


def test_example_bundles_give_the_expected_findings(tmp_path: Path, scan_config: Callable[..., Any]) -> None:
    findings = scan_config(tmp_path, sources=[{"type": "config_bundles", "name": "win", "path": str(EXAMPLES)}])
    for host, expected in EXPECTED.items():
        got = {check_id: findings[(check_id, host)].status for check_id in expected}
        assert got == expected, host
    firewall = findings[("config.firewall", "PC-KANCELARIA-01")]
    assert "Public" in firewall.message["en"]
    retention = findings[("config.logs.retention", "PC-KANCELARIA-01")]
    assert "KRI" in retention.message["pl"] and "§" not in retention.message["pl"] and "25.1" in retention.message["pl"]


def test_net_accounts_is_the_fallback_when_secedit_is_missing() -> None:
    for name in ("pc-kancelaria-01.json", "srv-ad-01.json"):
        bundle = load(name)
        reduced = copy.deepcopy(bundle)
        del reduced["commands"]["secedit"]
        full, fallback = windows_facts(bundle), windows_facts(reduced)
        assert (full["password"], full["lockout"]) == (fallback["password"], fallback["lockout"]), name


def test_a_log_still_filling_up_tells_nothing_about_retention() -> None:
    bundle = load("pc-kancelaria-01.json")
    bundle["objects"]["event_logs"][0]["file_size_bytes"] = 1048576
    facts = windows_facts(bundle)
    assert "retention_days" not in facts["logs"] and facts["logs"]["retention_sources"] == {"Security": None}


def test_example_inventory_scans_without_errors(tmp_path: Path) -> None:
    """examples/config/inventory.yaml (Linux and Windows bundle folders) as a user would run it."""
    from auditor.inventory import load_inventory
    from auditor.registry import default_registry
    from auditor.scan import ScanOptions, run_scan

    run = run_scan(load_inventory(EXAMPLES.parent / "inventory.yaml"), default_registry(), ScanOptions(families={"config"}))
    subjects = {f.subject for f in run.findings}
    assert subjects == {"srv-bip.gmina.local", "PC-KANCELARIA-01", "SRV-AD-01"}
    assert all(f.status is not Status.ERROR for f in run.findings)
    retention = next(f for f in run.findings if (f.check_id, f.subject) == ("config.logs.retention", "srv-bip.gmina.local"))
    assert retention.status is Status.FAIL


def test_unknown_localised_audit_settings_are_unknown_not_failed() -> None:
    bundle = load("srv-ad-01.json")
    bundle["commands"]["auditpol"]["output"] = bundle["commands"]["auditpol"]["output"].replace(
        "Success and Failure", "Erfolg und Fehler")  # a language we do not know: left unknown, never guessed
    assert "logon" not in windows_facts(bundle)["logs"]["audit"]


# ------------------------------------------------------------------ Polish Windows (issue 19)

POLISH = Path(__file__).parents[1] / "fixtures/windows_pl"
POLISH_EXPECTED = {
    # SRV-EZD-01: an unelevated run (no secedit), translated net accounts / w32tm / auditpol, plus auditpol /backup
    "SRV-EZD-01": {"config.logs.audit_policy": Status.PASS, "config.password.min_length": Status.PASS,
                   "config.lockout": Status.PASS, "config.time_sync": Status.PASS},
    # PC-SEKRETARIAT-02: an older collector, only the translated auditpol /r ("Brak inspekcji")
    "PC-SEKRETARIAT-02": {"config.logs.audit_policy": Status.FAIL, "config.password.min_length": Status.FAIL,
                          "config.lockout": Status.FAIL, "config.time_sync": Status.FAIL},
}


@pytest.mark.parametrize("name", ["srv-ezd-01.json", "pc-sekretariat-02.json"])
def test_polish_bundles_validate_against_the_schema(name: str, bundle_schema: dict[str, Any]) -> None:
    jsonschema.validate(json.loads((POLISH / name).read_text(encoding="utf-8")), bundle_schema)


def test_polish_windows_is_judged_not_manual(tmp_path: Path, scan_config: Callable[..., Any]) -> None:
    findings = scan_config(tmp_path, sources=[{"type": "config_bundles", "name": "win-pl", "path": str(POLISH)}])
    for host, expected in POLISH_EXPECTED.items():
        got = {check_id: findings[(check_id, host)].status for check_id in expected}
        assert got == expected, host


def test_audit_policy_from_the_backup_needs_no_translation() -> None:
    """``auditpol /backup``'s numeric Setting Value decides even when the /r text is in an unknown language."""
    bundle = json.loads((POLISH / "srv-ezd-01.json").read_text(encoding="utf-8"))
    bundle["commands"]["auditpol"]["output"] = ""
    audit = windows_facts(bundle)["logs"]["audit"]
    assert audit == {"logon": "success_and_failure", "user_account_management": "success_and_failure",
                     "security_group_management": "success", "audit_policy_change": "success"}
    bundle["commands"]["auditpol_backup"]["output"] = bundle["commands"]["auditpol_backup"]["output"].replace(
        "{0CCE9215-69AE-11D9-BED3-505054503030},Sukces i niepowodzenie,,3",
        "{0CCE9215-69AE-11D9-BED3-505054503030},Sukces,,1")
    assert windows_facts(bundle)["logs"]["audit"]["logon"] == "success"


def test_polish_net_accounts_and_w32tm_are_read() -> None:
    facts = windows_facts(json.loads((POLISH / "pc-sekretariat-02.json").read_text(encoding="utf-8")))
    assert facts["password"] == {"min_length": 0, "max_days": 42}
    assert facts["lockout"] == {"enabled": False, "threshold": 0}
    assert facts["time_sync"]["source"] == "Local CMOS Clock" and facts["time_sync"]["synchronized"] is False
