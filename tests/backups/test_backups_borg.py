"""The backups probe against real borg repositories created by the tests."""

from __future__ import annotations

import pytest

from backup_helpers import PASSWORD, findings, only
from auditor.model import Status, scan_run_to_json

pytestmark = pytest.mark.probe


def _source(repo, **extra):
    return {"type": "borg", "name": "borg", "repository": str(repo.path), "systems": ["kadry"], **extra}


def test_encrypted_repository_with_restore_test(borg_repo, scan_backups, tmp_path, data_snapshot):
    before = data_snapshot()
    run = scan_backups([{"name": "kadry", "retention_days": 6}], [_source(borg_repo, password=PASSWORD)],
                       restore_test=True, settings={"restore_test_dir": str(tmp_path)})
    assert only(run, "backup.integrity", "borg:borg").status is Status.PASS
    assert only(run, "backup.unencrypted", "borg:borg").status is Status.PASS
    assert only(run, "backup.stale", "system:kadry").status is Status.PASS
    retention = only(run, "backup.retention", "system:kadry")
    assert retention.status is Status.PASS and retention.facts["span_days"] >= 6
    restores = findings(run, "backup.restore_failed", "borg:borg")
    assert restores and all(f.status is Status.PASS for f in restores)
    evidence = next(a for a in run.attempts if a.probe == "backups").evidence
    assert evidence["copy"]["encryption_mode"] == "repokey"
    assert all(t["method"].startswith("borg extract + sha256") and t["scratch_removed"]
               for t in evidence["restore_tests"])
    assert list(tmp_path.glob("auditor-restore-*")) == []
    assert data_snapshot() == before
    assert PASSWORD not in scan_run_to_json(run)


def test_retention_shorter_than_required_fails(borg_repo, scan_backups):
    run = scan_backups([{"name": "kadry", "retention_days": 30}], [_source(borg_repo, password=PASSWORD)])
    finding = only(run, "backup.retention", "system:kadry")
    assert finding.status is Status.FAIL and finding.facts["span_days"] == 7


def test_unencrypted_repository_leaving_the_building_fails(borg_plain_repo, scan_backups):
    run = scan_backups([{"name": "kadry"}], [_source(borg_plain_repo, offsite=True, site="chmura")])
    finding = only(run, "backup.unencrypted", "borg:borg")
    assert finding.status is Status.FAIL and finding.facts["encryption_mode"] == "none"
    # issue 19: the encryption mode is not the medium
    assert finding.facts["medium"] == "disk" and "medium: none" not in finding.message["en"]


def test_corrupted_segment_fails_integrity(corrupt_borg_repo, scan_backups):
    run = scan_backups([{"name": "kadry"}], [_source(corrupt_borg_repo, password=PASSWORD)])
    finding = only(run, "backup.integrity", "borg:borg")
    assert finding.status is Status.FAIL and finding.facts["data_read"] == "all"
    assert "every segment read" in finding.message["en"]


def test_verify_data_and_bounded_check_say_how_much_was_read(corrupt_borg_repo, borg_repo, scan_backups):
    verified = scan_backups([{"name": "kadry"}], [_source(corrupt_borg_repo, password=PASSWORD, check_verify_data=True)])
    finding = only(verified, "backup.integrity", "borg:borg")
    assert finding.status is Status.FAIL and "--verify-data" in finding.facts["command"]
    bounded = scan_backups([{"name": "kadry"}], [_source(borg_repo, password=PASSWORD, check_max_duration=30)])
    finding = only(bounded, "backup.integrity", "borg:borg")
    assert finding.status is Status.PASS and finding.facts["data_read"] == "sample"
    assert "--max-duration 30" in finding.facts["command"]


def test_wrong_passphrase_is_a_clear_error(borg_repo, scan_backups):
    run = scan_backups([{"name": "kadry"}], [_source(borg_repo, password="Zle-Haslo-77")])
    finding = only(run, "backup.integrity", "borg:borg")
    assert finding.status is Status.ERROR and "wrong password" in finding.message["en"]
    assert "Zle-Haslo-77" not in scan_run_to_json(run)


def test_check_switched_off_is_reported_as_not_run(borg_repo, scan_backups):
    run = scan_backups([{"name": "kadry"}], [_source(borg_repo, password=PASSWORD, check=False)])
    finding = only(run, "backup.integrity", "borg:borg")
    assert finding.status is Status.FAIL and "not run" in finding.message["en"]
