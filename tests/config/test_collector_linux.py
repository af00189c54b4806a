"""The Linux collector, run for real: on this machine and on planted directory trees."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest

from auditor.checks.config.bundle import read_bundle, subject_of
from auditor.checks.config.facts_linux import linux_facts
from auditor.model import Status, utcnow

JOURNALD = "[Journal]\nStorage=persistent\nMaxRetentionSec={}\n"
HASH = "$6$rounds=5000$saltsalt$0123456789abcdefABCDEF"
AUDITOR = shutil.which("auditor", path=str(Path(sys.executable).parent)) or "auditor"


def facts_of(bundle_file: Path) -> dict[str, Any]:
    return subject_of(bundle_file, read_bundle(bundle_file), utcnow())["facts"]


def test_collector_on_this_machine_writes_a_valid_bundle(tmp_path: Path, run_collector: Callable[..., Path],
                                                         bundle_schema: dict[str, Any]) -> None:
    bundle = json.loads(run_collector(tmp_path / "host.json").read_text(encoding="utf-8"))
    jsonschema.validate(bundle, bundle_schema)
    assert bundle["host"] == socket.gethostname()
    assert bundle["collector"]["root"] == "/"
    assert "/etc/os-release" in bundle["files"]
    assert "/etc/shadow" not in bundle["files"] and "/etc/gshadow" not in bundle["files"]
    if Path("/var/lib/dpkg/status").exists():
        assert bundle["packages"]["format"] == "dpkg-query"
        assert any(line.startswith("dpkg\t") for line in bundle["packages"]["output"].splitlines())


def test_printed_collector_run_by_hand_then_scanned_gives_findings_without_errors(
        tmp_path: Path, scan_config: Callable[..., Any]) -> None:
    """The documented workflow: auditor collector linux > c.sh && sh c.sh > host.json, then scan the folder."""
    folder = tmp_path / "bundles"
    folder.mkdir()
    subprocess.run(f"{shlex.quote(AUDITOR)} collector linux > c.sh && sh c.sh > {shlex.quote(str(folder))}/host.json",
                   shell=True, cwd=tmp_path, check=True, timeout=120, stdin=subprocess.DEVNULL)
    findings = scan_config(tmp_path, sources=[{"type": "config_bundles", "name": "local", "path": str(folder)}])
    statuses = {f.status for f in findings.values()}
    assert Status.ERROR not in statuses
    assert {f.subject for f in findings.values()} == {socket.gethostname()}
    assert len(findings) >= 16


def test_planted_tree_with_one_month_of_journald_fails_retention_citing_kri(
        tmp_path: Path, run_collector: Callable[..., Path], plant: Callable[..., Path],
        scan_config: Callable[..., Any]) -> None:
    results = {}
    for label, span in (("month", "1month"), ("years", "2years")):
        root = plant(tmp_path / label / "root", {"/etc/hostname": f"srv-{label}\n",
                                                 "/etc/systemd/journald.conf": JOURNALD.format(span)})
        folder = tmp_path / label / "bundles"
        folder.mkdir()
        run_collector(folder / "b.json", root=root)
        results[label] = scan_config(tmp_path / label, sources=[
            {"type": "config_bundles", "name": "b", "path": str(folder)}])
    short = results["month"][("config.logs.retention", "srv-month")]
    assert short.status is Status.FAIL
    assert "KRI wymaga" in short.message["pl"] and "2 lat" in short.message["pl"]  # the paragraph is the baselines'
    assert "§" not in short.message["pl"]
    assert "30.4" in short.message["en"]
    assert results["years"][("config.logs.retention", "srv-years")].status is Status.PASS


def test_planted_policies_become_facts(tmp_path: Path, run_collector: Callable[..., Path],
                                       bundle_schema: dict[str, Any], plant: Callable[..., Path]) -> None:
    root = plant(tmp_path / "root", {
        "/etc/hostname": "urzad-srv\n",
        "/etc/passwd": f"root:{HASH}:0:0:root:/root:/bin/bash\nops:x:0:0::/home/ops:/bin/sh\n"
                       "jan:x:1000:1000::/home/jan:/bin/bash\nanna:x:1001:27::/home/anna:/bin/bash\n",
        "/etc/group": f"root:x:0:\nsudo:{HASH}:27:jan\nusers:x:100:\n",
        "/etc/pam.d/common-password": "password requisite pam_pwquality.so retry=3\n"
                                      "password [success=1 default=ignore] pam_unix.so obscure yescrypt\n",
        "/etc/security/pwquality.conf": "# minlen = 9\nminlen = 14\n",
        "/etc/pam.d/common-auth": "auth required pam_faillock.so preauth\n"
                                  "auth [success=1 default=ignore] pam_unix.so nullok\n"
                                  "auth [default=die] pam_faillock.so authfail\n",
        "/etc/security/faillock.conf": "deny = 5\nunlock_time = 900\n",
        "/etc/login.defs": "PASS_MAX_DAYS 90\nPASS_MIN_DAYS 0\n",
        "/etc/rsyslog.conf": "*.* @@logs.gmina.local:514\n",
        "/etc/logrotate.conf": "weekly\nrotate 4\n",
        "/etc/logrotate.d/rsyslog": "/var/log/syslog\n{\n\trotate 104\n\tweekly\n}\n",
        "/etc/apt/apt.conf.d/20auto-upgrades": 'APT::Periodic::Update-Package-Lists "1";\n'
                                               'APT::Periodic::Unattended-Upgrade "1";\n',
        "/etc/chrony/chrony.conf": "pool tempus1.gum.gov.pl iburst\n",
        "/etc/crypttab": "sda3_crypt UUID=1234 none luks,discard\n",
        "/etc/ufw/ufw.conf": "ENABLED=yes\nLOGLEVEL=low\n",
        "/sys/class/dmi/id/chassis_type": "10\n",
        "/var/lib/clamav/daily.cld": "signatures",
    })
    os.utime(root / "var/lib/clamav/daily.cld", (time.time() - 3 * 86400,) * 2)
    out = run_collector(tmp_path / "b.json", root=root)
    text = out.read_text(encoding="utf-8")
    assert HASH not in text  # password fields are cut out before printing
    jsonschema.validate(json.loads(text), bundle_schema)
    facts = facts_of(out)
    assert facts["password"] == {"min_length": 14, "min_length_source": "pam_pwquality", "max_days": 90}
    assert facts["lockout"] == {"enabled": True, "threshold": 5}
    assert facts["admins"] == {"accounts": ["anna", "jan", "ops"], "count": 3}
    assert facts["logs"]["retention_days"] == 735.0 and facts["logs"]["forwarding"] is True
    assert facts["auto_updates"]["enabled"] is True
    assert facts["time_sync"]["enabled"] is True
    assert facts["disk_encryption"] == {"enabled": True, "evidence": "crypttab"}
    assert facts["hardware"] == {"chassis_type": 10, "portable": True}
    assert facts["firewall"]["enabled"] is True
    assert facts["antimalware"]["present"] is True and 2.9 < facts["antimalware"]["signature_age_days"] < 3.1


def test_empty_tree_gives_manual_or_not_applicable_never_fail(tmp_path: Path, run_collector: Callable[..., Path],
                                                             plant: Callable[..., Path],
                                                             scan_config: Callable[..., Any]) -> None:
    root = plant(tmp_path / "root", {"/etc/hostname": "pusty\n"})
    folder = tmp_path / "bundles"
    folder.mkdir()
    run_collector(folder / "b.json", root=root)
    findings = scan_config(tmp_path, sources=[{"type": "config_bundles", "name": "b", "path": str(folder)}])
    judged = {k: f for k, f in findings.items() if k[0] != "config.bundle.age"}
    assert judged and {f.status for f in judged.values()} <= {Status.MANUAL, Status.NOT_APPLICABLE}
    assert findings[("config.bundle.age", "pusty")].status is Status.PASS


def test_a_broken_bundle_is_a_bad_input_error_naming_the_file(tmp_path: Path, scan_config: Callable[..., Any]) -> None:
    folder = tmp_path / "bundles"
    folder.mkdir()
    (folder / "cut.json").write_text('{"format": "auditor-config-bundle", "host": ', encoding="utf-8")
    findings = scan_config(tmp_path, sources=[{"type": "config_bundles", "name": "b", "path": str(folder)}])
    errors = [f for f in findings.values() if f.status is Status.ERROR]
    assert errors and all(f.facts["error_reason"] == "bad_input" and "cut.json" in f.facts["error"] for f in errors)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_bundles_written_by_windows_powershell_are_read(tmp_path: Path, encoding: str) -> None:
    source = Path(__file__).parents[2] / "examples/config/windows/srv-ad-01.json"
    copy = tmp_path / "srv.json"
    copy.write_text(source.read_text(encoding="utf-8"), encoding=encoding)
    assert read_bundle(copy)["host"] == "SRV-AD-01"


def test_awkward_names_and_contents_stay_valid_json(tmp_path: Path, run_collector: Callable[..., Path],
                                                    plant: Callable[..., Path]) -> None:
    content = 'tab\there "quoted" back\\slash \x01bell\x07 zażółć\r\nsecond line\n'
    root = plant(tmp_path / "root", {'/etc/rsyslog.d/we"ird\\name.conf': content, "/etc/hostname": "dziwny\n"})
    bundle = json.loads(run_collector(tmp_path / "b.json", root=root).read_text(encoding="utf-8"))
    assert bundle["files"]['/etc/rsyslog.d/we"ird\\name.conf'] == 'tab\there "quoted" back\\slash bell zażółć\nsecond line'


def test_without_sshd_t_the_config_files_are_read_with_openssh_defaults() -> None:
    bundle = {"collected_at": "2026-11-27T10:00:00Z", "files": {
        "/etc/ssh/sshd_config": "Include /etc/ssh/sshd_config.d/*.conf\nChallengeResponseAuthentication no\n"
                                "Ciphers +3des-cbc\nMatch User backup\n  PermitRootLogin yes\n",
        "/etc/ssh/sshd_config.d/10-local.conf": "PasswordAuthentication no\n"}}
    ssh = linux_facts(bundle)["ssh"]
    assert ssh == {"present": True, "source": "sshd_config", "permit_root_login": "prohibit-password",
                   "password_authentication": "no", "kbd_interactive_authentication": "no", "ciphers": ["3des-cbc"]}
