"""The shipped cron line and systemd units: valid, and their command really runs a job on loopback.

The units are checked by ``systemd-analyze verify`` when it is installed;
then the service's ExecStart (with its Environment=) and the cron line
(with its variables) are run against a one-host loopback office, with the
/etc and /var paths moved into a temporary folder.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.demo.services import banner_service
from auditor.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JOB = EXAMPLES / "auditor-job.sh"
INSTALLED_JOB = "/usr/local/lib/auditor/auditor-job.sh"

pytestmark = [pytest.mark.e2e, pytest.mark.probe]


def unit_entries(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A systemd unit as section → [(key, value)], keeping repeated keys such as Environment=."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
        else:
            key, _, value = line.partition("=")
            current.append((key, value))
    return sections


def unit_environment(entries: list[tuple[str, str]]) -> dict[str, str]:
    env = {}
    for key, value in entries:
        if key == "Environment":
            for assignment in shlex.split(value):
                name, _, val = assignment.partition("=")
                env[name] = val
    return env


@pytest.fixture
def sandbox(tmp_path, loopback_address, port_on, write_inventory):
    """Moves the examples' system paths into tmp_path and starts a one-host office (SSH only)."""
    port = port_on(loopback_address)
    ssh = banner_service("ssh", loopback_address, port, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
    inventory = write_inventory(hosts=[{"name": "srv.testowa.test", "addresses": [loopback_address], "ports": [port]}])
    moves = {"/etc/auditor/inventory.yaml": str(inventory), "/var/lib/auditor": str(tmp_path / "var-lib"),
             "/var/log/auditor": str(tmp_path / "var-log")}

    def relocate(env: dict[str, str]) -> dict[str, str]:
        moved = {}
        for name, value in env.items():
            for old, new in moves.items():
                value = value.replace(old, new)
            moved[name] = value
        moved["AUDITOR"] = str(Path(sys.executable).with_name("auditor"))
        moved["AUDITOR_SCAN_ARGS"] = moved.get("AUDITOR_SCAN_ARGS", "") + " --only network"
        return {**os.environ, **moved}

    yield relocate, tmp_path
    ssh.stop()


def _report_wired() -> bool:
    report = main.get_command(None, "report")  # type: ignore[arg-type]
    return report is not None and any("--snapshot" in p.opts for p in report.params)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_units_verify(tmp_path):
    for name in ("auditor-scan.service", "auditor-scan.timer"):
        text = (EXAMPLES / "systemd" / name).read_text().replace(INSTALLED_JOB, str(JOB))
        (tmp_path / name).write_text(text)
    done = subprocess.run(["systemd-analyze", "verify", "auditor-scan.service", "auditor-scan.timer"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Unknown" not in done.stderr, done.stderr
    on_calendar = dict(unit_entries(tmp_path / "auditor-scan.timer")["Timer"])["OnCalendar"]
    calendar = subprocess.run(["systemd-analyze", "calendar", on_calendar], capture_output=True, text=True, timeout=30)
    assert calendar.returncode == 0 and "Next elapse" in calendar.stdout


def test_service_then_cron_run_the_job(sandbox):
    relocate, tmp_path = sandbox
    service = unit_entries(EXAMPLES / "systemd" / "auditor-scan.service")["Service"]
    assert dict(service)["Type"] == "oneshot" and dict(service)["ExecStart"] == INSTALLED_JOB
    env = relocate(unit_environment(service))
    first = subprocess.run([str(JOB)], env=env, capture_output=True, text=True, timeout=240)

    cron = (EXAMPLES / "cron" / "auditor.cron").read_text().splitlines()
    variables = dict(line.split("=", 1) for line in cron if re.match(r"^[A-Z_]+=", line))
    job_line = next(line for line in cron if line and line[0].isdigit())
    fields = job_line.split(None, 6)
    assert len(fields) == 7 and fields[5] == "auditor" and all(re.fullmatch(r"[\d*,/-]+", f) for f in fields[:5])
    second = subprocess.run(["/bin/sh", "-c", fields[6].replace(INSTALLED_JOB, str(JOB))],
                            env=relocate({k: v for k, v in variables.items() if k.startswith("AUDITOR")}),
                            capture_output=True, text=True, timeout=240)

    logs = sorted((tmp_path / "var-log").glob("scan-*.log"))
    log_text = "\n".join(p.read_text() for p in logs)
    assert "scan finished with exit status 0" in log_text
    reports = tmp_path / "var-lib" / "reports"
    diff = json.loads((reports / "diff-latest.json").read_text())
    assert diff["regressed"] is False and diff["new_failures"] == [] and diff["before"]["id"] == 1
    # keep-daily keeps the newest snapshot of the day: the second run pruned the first
    assert "usunięto 1 z 2 migawek, zachowano 1" in log_text
    with Store(tmp_path / "var-lib" / "store.sqlite", create=False) as store:
        assert [s.id for s in store.snapshots()] == [2]
    assert second.returncode == 0  # cron's `|| echo` turns a failed job into a mailed line
    if _report_wired():
        assert first.returncode == 0 and second.stdout == "", log_text
        assert (reports / "latest.html").stat().st_size > 0
    else:  # until `auditor report --store` exists the job says so and exits with the report's status
        assert first.returncode == 2 and "report failed with exit status 2" in log_text
        assert second.stdout.startswith("auditor: the office got worse or the scan failed (exit 2)")
