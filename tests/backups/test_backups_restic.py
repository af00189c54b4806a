"""The backups probe against real restic repositories created by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from backup_helpers import PASSWORD, findings, only
from auditor.model import Status, scan_run_to_json
from auditor.analysis import analyse
from auditor.report import ReportFormat, render

pytestmark = pytest.mark.probe

SYSTEMS = [{"name": "ewidencja", "rpo_hours": 24}, {"name": "kadry", "rpo_hours": 24}]


def _source(repo, **extra):
    return {"type": "restic", "name": "kopie", "repository": str(repo.path), "systems": ["ewidencja", "kadry"],
            **extra}


def test_stale_fresh_integrity_and_restore_test(restic_repo, scan_backups, tmp_path, data_snapshot):
    scratch_base = tmp_path / "scratch"
    scratch_base.mkdir()
    before = data_snapshot()
    run = scan_backups(SYSTEMS, [_source(restic_repo, password=PASSWORD)], restore_test=True,
                       settings={"restore_test_dir": str(scratch_base)})

    stale = only(run, "backup.stale", "system:ewidencja")
    assert stale.status is Status.FAIL
    assert stale.facts["system"] == "ewidencja" and 2.9 <= stale.facts["age_days"] <= 3.1
    assert "ewidencja" in stale.message["en"] and f"{stale.facts['age_days']} days" in stale.message["en"]
    assert only(run, "backup.stale", "system:kadry").status is Status.PASS
    assert only(run, "backup.integrity", "restic:kopie").status is Status.PASS
    assert only(run, "backup.unencrypted", "restic:kopie").status is Status.PASS
    # the repository sits on this machine, next to the data: not separated
    assert only(run, "backup.not_separated", "system:kadry").status is Status.FAIL

    restores = findings(run, "backup.restore_failed", "restic:kopie")
    assert len(restores) == 2 and all(f.status is Status.PASS for f in restores)
    tests = next(a for a in run.attempts if a.probe == "backups").evidence["restore_tests"]
    assert all(t["scratch_removed"] and len(t["files"]) == 5 and all(f["verified"] for f in t["files"]) for t in tests)
    assert only(run, "backup.restore_untested", "system:ewidencja").status is Status.PASS
    assert list(scratch_base.iterdir()) == []  # nothing left behind
    assert data_snapshot() == before  # nothing written where the data came from
    assert PASSWORD not in scan_run_to_json(run)
    for fmt in ReportFormat:  # HTML, JSON, SARIF, CSV, plan-CSV, text
        assert PASSWORD not in render(analyse(run), fmt), fmt


def test_truncated_pack_fails_integrity(corrupt_restic_repo, scan_backups):
    run = scan_backups(SYSTEMS, [_source(corrupt_restic_repo, password_file=str(corrupt_restic_repo.password_file))])
    finding = only(run, "backup.integrity", "restic:kopie")
    assert finding.status is Status.FAIL
    assert "pack" in finding.facts["first_error"]


def test_damaged_data_pack_fails_integrity_with_the_default_check(damaged_restic_repo, scan_backups):
    """Issue 19: plain ``restic check`` reads no data; by default a bounded sample of packs is read."""
    run = scan_backups(SYSTEMS, [_source(damaged_restic_repo, password=PASSWORD)])
    finding = only(run, "backup.integrity", "restic:kopie")
    assert finding.status is Status.FAIL
    assert finding.facts["data_read"] == "sample" and finding.facts["data_subset"] == "256M"
    assert "--read-data-subset=256M" in finding.facts["command"] and "256M" in finding.message["pl"]
    structure_only = scan_backups(SYSTEMS, [_source(damaged_restic_repo, password=PASSWORD, check_read_data_subset="none")])
    finding = only(structure_only, "backup.integrity", "restic:kopie")
    assert finding.status is Status.PASS and finding.facts["data_read"] == "none"  # what the 0.1 code did by default
    assert "no data read" in finding.message["en"]


def test_damaged_pack_fails_restore_test_and_read_data_check(damaged_restic_repo, scan_backups, tmp_path):
    # every file in the sample, so the damaged one is restored too
    source = _source(damaged_restic_repo, password=PASSWORD, check_read_data_subset="100%", restore_sample=20)
    run = scan_backups(SYSTEMS, [source], restore_test=True, settings={"restore_test_dir": str(tmp_path)})
    assert only(run, "backup.integrity", "restic:kopie").status is Status.FAIL
    restores = findings(run, "backup.restore_failed", "restic:kopie")
    assert restores and all(f.status is Status.FAIL for f in restores)
    assert "restic restore failed" in restores[0].message["en"]
    assert list(tmp_path.glob("auditor-restore-*")) == []
    assert PASSWORD not in scan_run_to_json(run)


def test_wrong_password_is_a_clear_error_without_the_password(restic_repo, scan_backups):
    wrong = "Zle-Haslo-77"
    run = scan_backups(SYSTEMS, [_source(restic_repo, password=wrong)])
    finding = only(run, "backup.integrity", "restic:kopie")
    assert finding.status is Status.ERROR and "wrong password" in finding.message["en"]
    # a repository that cannot be read is never reported as "no backup"
    assert only(run, "backup.missing", "system:kadry").status is Status.MANUAL
    assert wrong not in scan_run_to_json(run)


def test_password_from_environment_and_from_file(restic_repo, scan_backups, monkeypatch):
    monkeypatch.setenv("AUDITOR_TEST_RESTIC_PW", PASSWORD)
    run = scan_backups(SYSTEMS, [
        {**_source(restic_repo, password_env="AUDITOR_TEST_RESTIC_PW"), "name": "z-env"},
        {**_source(restic_repo, password_file=str(restic_repo.password_file)), "name": "z-pliku"},
    ])
    assert all(a.completed for a in run.attempts), [a.error for a in run.attempts]
    assert PASSWORD not in scan_run_to_json(run)


def test_restore_scratch_inside_backed_up_data_is_refused(restic_repo, scan_backups, data_snapshot):
    before = data_snapshot()
    run = scan_backups(SYSTEMS, [_source(restic_repo, password=PASSWORD)], restore_test=True,
                       settings={"restore_test_dir": str(restic_repo.data)})
    attempt = next(a for a in run.attempts if a.probe == "backups")
    assert not attempt.completed and "inside backed-up path" in attempt.error
    assert data_snapshot() == before


def test_backup_test_command(restic_repo, write_inventory, tmp_path: Path):
    from click.testing import CliRunner

    from auditor.cli import main

    inventory = write_inventory(systems=SYSTEMS, sources=[_source(restic_repo, password=PASSWORD)])
    out = tmp_path / "run.json"
    result = CliRunner().invoke(main, ["backup-test", str(inventory), "--out", str(out)], env={"AUDITOR_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert "passed" in result.output
    assert PASSWORD not in out.read_text(encoding="utf-8") and PASSWORD not in result.output


def test_missing_repository_is_bad_input(scan_backups, tmp_path: Path):
    run = scan_backups(SYSTEMS, [{"type": "restic", "name": "kopie", "repository": str(tmp_path / "brak"),
                                  "password": PASSWORD, "systems": ["kadry"]}])
    finding = only(run, "backup.integrity", "restic:kopie")
    assert finding.status is Status.ERROR and "no repository at" in finding.message["en"]
