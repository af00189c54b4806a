"""The backup register (YAML and CSV) read by the probe and judged per system."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from backup_helpers import findings, judged_at, only
from auditor.checks.backups.register import read_register
from auditor.inventory import load_inventory
from auditor.model import ErrorReason, Status
from auditor.plugin import ProbeInputError
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
from auditor.yamlfile import YamlFileError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SYSTEMS = [{"name": "poczta", "retention_days": 60}, {"name": "dokumenty", "rpo_hours": 168}, {"name": "bip"}]


def _register_source(path: Path) -> dict:
    return {"type": "backup_register", "name": "rejestr", "file": str(path)}


@pytest.mark.parametrize("example", ["backup-register.yaml", "backup-register.csv"])
def test_examples_read_the_same(example: str):
    evidence = read_register(str(EXAMPLES / example))
    poczta = next(e for e in evidence["entries"] if e["system"] == "poczta")
    assert evidence["systems_declared"] == ["dokumenty", "poczta"]
    assert [c["medium"] for c in poczta["copies"]] == ["nas", "tape"]
    assert poczta["last_success"] == "2026-11-26T21:41:00+00:00"
    assert poczta["restore_test"]["result"] == "passed"


@pytest.mark.parametrize("example", ["backup-register.yaml", "backup-register.csv"])
def test_good_and_bad_entries_judged(example: str, scan_backups, tmp_path: Path):
    register = tmp_path / example
    shutil.copy(EXAMPLES / example, register)
    scanned = scan_backups(SYSTEMS, [_register_source(register)])
    # judged at controlled times: the example's last backups are 26 and 22 November 2026
    assert only(judged_at(scanned, "2026-12-01T12:00:00+00:00"), "backup.stale", "system:poczta").status is Status.FAIL
    run = judged_at(scanned, "2026-11-27T12:00:00+00:00")
    assert only(run, "backup.stale", "system:poczta").status is Status.PASS
    assert only(run, "backup.stale", "system:dokumenty").status is Status.PASS  # RPO 168 h
    assert only(run, "backup.restore_untested", "system:poczta").status is Status.PASS
    assert only(run, "backup.missing", "system:bip").status is Status.FAIL
    assert only(run, "backup.missing", "system:poczta").status is Status.PASS
    # poczta: copy off-site, offline tape and immutable NAS → separated; dokumenty: one USB disk at the office site
    assert only(run, "backup.not_separated", "system:poczta").status is Status.PASS
    assert only(run, "backup.retention", "system:poczta").status is Status.PASS  # declares 90 ≥ 60 days
    unencrypted = {f.subject: f.status for f in findings(run, "backup.unencrypted", "backup_register:rejestr")}
    assert unencrypted["dokumenty: dysk USB rotowany"] is Status.FAIL
    assert unencrypted["poczta: taśma LTO-8 w sejfie starostwa"] is Status.PASS
    assert only(run, "backup.restore_untested", "system:dokumenty").status is Status.FAIL
    assert only(run, "backup.integrity", "backup_register:rejestr").status is Status.MANUAL


def test_failed_restore_test_in_register(scan_backups, tmp_path: Path):
    register = tmp_path / "rejestr.yaml"
    register.write_text(yaml.safe_dump({"backups": [{
        "system": "bip", "last_success": "2026-11-20", "copies": [{"location": "NAS", "medium": "nas"}],
        "restore_test": {"date": "2026-10-01", "result": "failed", "by": "A. Nowak", "notes": "brak plików bazy"},
    }]}), encoding="utf-8")
    run = scan_backups(SYSTEMS, [_register_source(register)])
    finding = only(run, "backup.restore_failed", "backup_register:rejestr")
    assert finding.status is Status.FAIL and "brak plików bazy" in finding.message["pl"]


@pytest.mark.parametrize("name, text, where", [
    ("zly.yaml", "backups:\n  - system: poczta\n    copies: []\n", ":3"),
    ("zly.yaml", "backups:\n  - system: poczta\n    last_success: wczoraj\n    copies: [{location: NAS}]\n", ":3"),
    ("zly.csv", "system,copy_location,restore_test_date,restore_test_result\npoczta,NAS,2026-01-01,ok\n", ":2"),
    ("zly.csv", "system,copy_location,kolor\npoczta,NAS,zielony\n", "kolor"),
])
def test_malformed_entries_name_the_line(name: str, text: str, where: str, tmp_path: Path, write_inventory):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProbeInputError, match=where):
        read_register(str(path))
    inventory = write_inventory(systems=SYSTEMS, sources=[_register_source(path)], settings={"timeout": 60})
    with pytest.raises(YamlFileError, match=re.escape(name) + where if where.startswith(":") else where):
        load_inventory(inventory)  # refused before the scan: exit 2 from the CLI
    # broken after the inventory was loaded: the probe says bad input, never a confident "no backup"
    path.write_text("backups: []\n", encoding="utf-8")
    loaded = load_inventory(inventory)
    path.write_text(text, encoding="utf-8")
    run = run_scan(loaded, default_registry(), ScanOptions(families={"backups"}))
    attempt = next(a for a in run.attempts if a.probe == "backups")
    assert attempt.error_reason is ErrorReason.BAD_INPUT
    # an unreadable register may hold any system: never a confident "no backup"
    assert only(run, "backup.missing", "system:poczta").status is Status.MANUAL
