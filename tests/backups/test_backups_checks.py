"""Check logic on recorded evidence: no repositories, milliseconds."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from auditor.checks.backups.location import describe
from auditor.judge import judge
from auditor.model import AttemptStatus, ErrorReason, Finding, ProbeAttempt, Status, Target
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)


def _system(name: str, **attrs: Any) -> tuple[Target, ProbeAttempt]:
    facts = {"system": name, "hosts": attrs.get("hosts", []), "rpo_hours": attrs.get("rpo_hours", 24),
             "restore_test_months": attrs.get("restore_test_months", 12), "retention_days": attrs.get("retention_days")}
    return (Target(id=f"system:{name}", kind="system", name=name, attrs=attrs),
            ProbeAttempt("backup_system", f"system:{name}", AttemptStatus.COMPLETED, evidence=facts))


def _restic(name: str, systems: list[str], snapshots: list[dict[str, Any]], *, local: bool = True,
            host: str = "scanner", copy: dict[str, Any] | None = None, tests: list | None = None,
            ok: bool = True) -> tuple[Target, ProbeAttempt]:
    evidence = {
        "source_type": "restic",
        "repository": {"location": f"/srv/{name}", "backend": "local" if local else "sftp", "host": host,
                       "local": local},
        "systems_declared": systems,
        "copy": {"site": None, "offsite": not local, "offline": False, "immutable": False, "encrypted": True,
                 "encryption_mode": "restic", **(copy or {})},
        "count": len(snapshots),
        "oldest": min((s["time"] for s in snapshots), default=None),
        "newest": max((s["time"] for s in snapshots), default=None),
        "snapshots": sorted(snapshots, key=lambda s: s["time"], reverse=True),
        "integrity": {"ran": True, "ok": ok, "command": "restic check", "errors": [] if ok else ["pack x: bad"]},
        "restore_tests": tests or [],
    }
    target = Target(id=f"restic:{name}", kind="restic", name=name, attrs={"systems": systems})
    return target, ProbeAttempt("backups", target.id, AttemptStatus.COMPLETED, evidence=evidence)


def _snap(time: str, hostname: str = "scanner", tags: tuple[str, ...] = (), same_fs: bool = False) -> dict[str, Any]:
    return {"id": time[:10], "time": time, "hostname": hostname, "tags": list(tags), "paths": ["/data"],
            "same_filesystem": same_fs}


def _judge(*pairs: tuple[Target, ProbeAttempt]) -> list[Finding]:
    targets = [t for t, _ in pairs]
    attempts = [a for _, a in pairs]
    return judge(default_registry().checks_of({"backups"}), targets, attempts, JudgeContext(now=NOW))


def _status(findings: list[Finding], check_id: str, target_id: str) -> Status:
    [finding] = [f for f in findings if f.check_id == check_id and f.target_id == target_id]
    return finding.status


def test_snapshots_go_to_systems_by_tag_or_host():
    found = _judge(
        _system("ewidencja"), _system("kadry", hosts=["srv-kadry.urzad.local"]), _system("bip"),
        _restic("wspolne", ["ewidencja", "kadry", "bip"], [
            _snap("2026-11-27T06:00:00+00:00", tags=("ewidencja",)),
            _snap("2026-11-20T06:00:00+00:00", hostname="SRV-KADRY"),
        ]),
    )
    assert _status(found, "backup.stale", "system:ewidencja") is Status.PASS
    assert _status(found, "backup.stale", "system:kadry") is Status.FAIL
    assert _status(found, "backup.missing", "system:bip") is Status.FAIL  # declared, but no snapshot of it
    [stale] = [f for f in found if f.check_id == "backup.stale" and f.target_id == "system:kadry"]
    assert stale.facts["age_days"] == 7.2 and "kadry" in stale.message["pl"]


def test_separation_rules():
    snaps = [_snap("2026-11-27T06:00:00+00:00", hostname="srv-ewid")]
    local_only = _judge(_system("ewidencja", hosts=["srv-ewid"]),
                        _restic("lokalne", ["ewidencja"], snaps, host="srv-ewid"))
    assert _status(local_only, "backup.not_separated", "system:ewidencja") is Status.FAIL
    remote_same_site = _judge(_system("ewidencja"), _restic("nas", ["ewidencja"], snaps, local=False, host="nas",
                                                            copy={"offsite": False, "site": "urząd"}))
    assert _status(remote_same_site, "backup.not_separated", "system:ewidencja") is Status.WARN
    full = _judge(_system("ewidencja"),
                  _restic("nas", ["ewidencja"], snaps, local=False, host="nas", copy={"offsite": False, "site": "urząd"}),
                  _restic("chmura", ["ewidencja"], snaps, local=False, host="s3",
                          copy={"offsite": True, "immutable": True}))
    assert _status(full, "backup.not_separated", "system:ewidencja") is Status.PASS


def test_same_filesystem_is_not_separated_even_on_another_host_name():
    snaps = [_snap("2026-11-27T06:00:00+00:00", hostname="srv-ewid", same_fs=True)]
    found = _judge(_system("ewidencja"), _restic("dysk", ["ewidencja"], snaps, host="scanner"))
    assert _status(found, "backup.not_separated", "system:ewidencja") is Status.FAIL


def test_restore_test_period_and_result():
    snaps = [_snap("2026-11-27T06:00:00+00:00")]
    old = [{"tested_at": "2025-11-01T10:00:00+00:00", "result": "passed", "by": "auditor", "tags": [],
            "snapshot": "a", "files": []}]
    found = _judge(_system("ewidencja"), _restic("r", ["ewidencja"], snaps, tests=old))
    assert _status(found, "backup.restore_untested", "system:ewidencja") is Status.FAIL
    recent = [{**old[0], "tested_at": "2025-12-01T10:00:00+00:00", "result": "failed", "problems": ["x: not restored"]}]
    found = _judge(_system("ewidencja"), _restic("r", ["ewidencja"], snaps, tests=recent))
    assert _status(found, "backup.restore_failed", "restic:r") is Status.FAIL
    # issue 19: a failed test is not a tested restore
    [untested] = [f for f in found if f.check_id == "backup.restore_untested" and f.target_id == "system:ewidencja"]
    assert untested.status is Status.FAIL and untested.facts["last_attempt_result"] == "failed"
    passed_before = [{**old[0], "tested_at": "2026-06-01T10:00:00+00:00"}, *recent]
    found = _judge(_system("ewidencja"), _restic("r", ["ewidencja"], snaps, tests=passed_before))
    assert _status(found, "backup.restore_untested", "system:ewidencja") is Status.PASS
    partial = [{**old[0], "tested_at": "2026-11-01T10:00:00+00:00", "result": "partial"}]
    found = _judge(_system("ewidencja"), _restic("r", ["ewidencja"], snaps, tests=partial))
    assert _status(found, "backup.restore_untested", "system:ewidencja") is Status.FAIL


def test_integrity_failure_and_missing_restore_test_is_not_a_pass():
    found = _judge(_system("ewidencja"), _restic("r", ["ewidencja"], [_snap("2026-11-27T06:00:00+00:00")], ok=False))
    assert _status(found, "backup.integrity", "restic:r") is Status.FAIL
    assert _status(found, "backup.restore_failed", "restic:r") is Status.NOT_APPLICABLE


def test_retention_needs_a_requirement_and_counts_the_span():
    snaps = [_snap("2026-11-27T06:00:00+00:00"), _snap("2026-10-01T06:00:00+00:00")]
    assert _status(_judge(_system("e"), _restic("r", ["e"], snaps)), "backup.retention", "system:e") \
        is Status.NOT_APPLICABLE
    assert _status(_judge(_system("e", retention_days=30), _restic("r", ["e"], snaps)), "backup.retention",
                   "system:e") is Status.PASS
    assert _status(_judge(_system("e", retention_days=90), _restic("r", ["e"], snaps)), "backup.retention",
                   "system:e") is Status.FAIL


def test_errored_source_makes_missing_manual_not_fail():
    target = Target(id="restic:r", kind="restic", name="r", attrs={"systems": ["e"]})
    attempt = ProbeAttempt("backups", target.id, AttemptStatus.ERROR, error_reason=ErrorReason.BAD_INPUT,
                           error="restic: wrong password")
    found = _judge(_system("e"), (target, attempt))
    assert _status(found, "backup.missing", "system:e") is Status.MANUAL
    assert _status(found, "backup.integrity", "restic:r") is Status.ERROR


def test_repository_locations_hide_credentials():
    assert describe("rest:https://kopie:Tajne1@backup.urzad.local:8000/gmina", "restic") == {
        "location": "rest:https://kopie@backup.urzad.local:8000/gmina", "backend": "rest",
        "host": "backup.urzad.local", "local": False, "cloud": False}
    assert describe("sftp:kopie@nas.urzad.local:/kopie", "restic")["host"] == "nas.urzad.local"
    assert describe("kopie@nas.urzad.local:kopie/ewid", "borg")["host"] == "nas.urzad.local"
    assert describe("ssh://borg@10.0.0.5:2222/./repo", "borg")["host"] == "10.0.0.5"
    assert describe("s3:s3.amazonaws.com/kubel", "restic")["cloud"] is True
    assert describe("/srv/kopie", "borg")["local"] is True


def test_remote_repository_outside_scope_is_not_contacted(scan_backups):
    run = scan_backups([{"name": "e"}], [{"type": "restic", "name": "obce", "repository": "sftp:x@203.0.113.9:/r",
                                          "password": "nieważne", "systems": ["e"]}])
    [attempt] = [a for a in run.attempts if a.probe == "backups"]
    assert attempt.error_reason is ErrorReason.OUT_OF_SCOPE


def test_password_inside_repository_url_is_refused(write_inventory):
    import pytest

    from auditor.inventory import load_inventory
    from auditor.yamlfile import YamlFileError

    path = write_inventory(sources=[{"type": "restic", "name": "r", "repository": "rest:https://u:Tajne1@h/r",
                                     "password_env": "X"}])
    with pytest.raises(YamlFileError, match="contains a password") as raised:
        load_inventory(path)
    assert "Tajne1" not in str(raised.value)


def _restore_tested_on(day: str) -> Status:
    tests = [{"tested_at": f"{day}T10:00:00+00:00", "result": "passed", "by": "auditor", "tags": [], "snapshot": "a",
              "files": []}]
    found = _judge(_system("ewidencja"), _restic("r", ["ewidencja"], [_snap("2026-11-27T06:00:00+00:00")], tests=tests))
    return _status(found, "backup.restore_untested", "system:ewidencja")


def test_restore_test_age_boundary_is_the_same_day_n_months_back():
    """"Older than 12 months" fails (backups.yaml): a test on 2025-11-27, judged 2026-11-27, is exactly 12
    months old and passes; the day before fails; the day after passes.  `<` → `<=` fails the middle case."""
    assert _restore_tested_on("2025-11-26") is Status.FAIL
    assert _restore_tested_on("2025-11-27") is Status.PASS
    assert _restore_tested_on("2025-11-28") is Status.PASS


def test_restore_test_age_boundary_at_a_month_end():
    """Judged on 31 March, 1 month back is the last day of February."""
    march_31 = datetime(2026, 3, 31, 12, 0, tzinfo=timezone.utc)

    def status(day: str) -> Status:
        tests = [{"tested_at": f"{day}T10:00:00+00:00", "result": "passed", "by": "a", "tags": [], "snapshot": "a",
                  "files": []}]
        system = _system("e", restore_test_months=1)
        pairs = [system, _restic("r", ["e"], [_snap("2026-03-31T06:00:00+00:00")], tests=tests)]
        found = judge(default_registry().checks_of({"backups"}), [t for t, _ in pairs], [a for _, a in pairs],
                      JudgeContext(now=march_31))
        return _status(found, "backup.restore_untested", "system:e")

    assert status("2026-02-27") is Status.FAIL
    assert status("2026-02-28") is Status.PASS


def test_backup_age_boundary_is_the_rpo_itself():
    """A backup exactly RPO hours old is within the RPO; one second older is not."""
    def status(newest: str) -> Status:
        found = _judge(_system("e", rpo_hours=24), _restic("r", ["e"], [_snap(newest)]))
        return _status(found, "backup.stale", "system:e")

    assert status("2026-11-26T11:59:59+00:00") is Status.FAIL
    assert status("2026-11-26T12:00:00+00:00") is Status.PASS
    assert status("2026-11-26T12:00:01+00:00") is Status.PASS


def test_retention_boundary_is_the_required_number_of_whole_days():
    def status(oldest: str) -> Status:
        snaps = [_snap("2026-11-27T06:00:00+00:00"), _snap(oldest)]
        return _status(_judge(_system("e", retention_days=30), _restic("r", ["e"], snaps)), "backup.retention",
                       "system:e")

    assert status("2026-10-28T12:00:01+00:00") is Status.FAIL  # 29 days 23:59:59
    assert status("2026-10-28T12:00:00+00:00") is Status.PASS  # 30 days
    assert status("2026-10-28T11:59:59+00:00") is Status.PASS
