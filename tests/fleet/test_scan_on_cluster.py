"""``auditor scan`` on a real Dask cluster: no secret on the wire, a lost scheduler is exit 3 with the jobs named."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from auditor.demo.parts.backups import restic

from cluster import DaskCluster, TlsFiles
from listeners import SilentListener

pytestmark = pytest.mark.e2e
SECRET = "Kopia-Rel-7c1e!Haslo"
AUDITOR = Path(sys.executable).parent / "auditor"
EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    """An office whose restic repository's password is named by ``password_env`` only."""
    folder = tmp_path_factory.mktemp("urzad")
    secret_file = folder / "pw"
    secret_file.write_text(SECRET)
    restic(folder / "repo", secret_file, "init")
    secret_file.unlink()  # from now on the password exists only in the scanner's environment
    shutil.copy(EXAMPLES / "backup-register.csv", folder / "rejestr.csv")
    inventory = folder / "gmina.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Klastrowa", "kind": "gmina"},
        "scope": {"cidrs": ["127.127.10.0/24"]},
        "settings": {"timeout": 60, "network_scan_risky_ports": False},
        "sources": [{"type": "restic", "name": "kopia-rel", "repository": "repo",
                     "password_env": "AUDITOR_TEST_SECRET_PW"},
                    {"type": "backup_register", "name": "rejestr", "file": "rejestr.csv"}],  # a job without a secret
    }, allow_unicode=True))
    return inventory


def scan(inventory: Path, out: Path, *extra: str, timeout: float = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUDITOR_TEST_SECRET_PW": SECRET}
    return subprocess.run([str(AUDITOR), "scan", str(inventory), "-q", "--only", "backups", "-o", str(out), *extra],
                          env=env, capture_output=True, text=True, timeout=timeout)


def restic_attempt(out: Path) -> dict:
    run = json.loads(out.read_text())
    return next(a for a in run["attempts"] if a["target_id"] == "restic:kopia-rel")


@pytest.mark.parametrize("secure", [False, True], ids=["plain-tcp", "tls"])
def test_no_secret_crosses_the_wire_and_password_env_works_on_a_cluster(office, tmp_path, secure) -> None:
    tls = TlsFiles.make(tmp_path) if secure else None
    cluster = DaskCluster(workers=2, tls=tls, record=True).start()
    try:
        result = scan(office, tmp_path / "run.json", "--executor", f"dask={cluster.address}",
                      *(tls.cli() if tls else []))
    finally:
        cluster.stop()
    assert result.returncode in (0, 1), result.stderr
    attempt = restic_attempt(tmp_path / "run.json")
    assert attempt["status"] == "completed", attempt  # the variable is not set on the workers
    recorded = bytes(cluster.proxy.recorded)
    assert len(recorded) > 1000  # the capture did see the scan's traffic
    assert SECRET.encode() not in recorded
    assert SECRET not in (tmp_path / "run.json").read_text() + result.stdout + result.stderr
    # over TCP the jobs without a secret are readable on the wire (the capture works); over TLS nothing is
    assert (b"run_job" in recorded) is (not secure)


def test_a_lost_scheduler_exits_3_and_names_the_lost_jobs(tmp_path) -> None:
    silent = [SilentListener(f"127.127.11.{n + 1}") for n in range(4)]
    inventory = tmp_path / "gmina.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Bez Klastra", "kind": "gmina"},
        "scope": {"cidrs": ["127.127.11.0/24"]},
        "settings": {"timeout": 60, "network_scan_risky_ports": False},
        "hosts": [{"name": f"srv{n}.gmina.test", "addresses": [s.address], "ports": [s.port]}
                  for n, s in enumerate(silent)],
    }))
    cluster = DaskCluster(workers=1).start()
    try:
        scan = subprocess.Popen([str(AUDITOR), "scan", str(inventory), "-q", "--only", "network",
                                 "-o", str(tmp_path / "run.json"), "--executor", f"dask={cluster.address}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # the scheduler dies only once a worker is really probing
        deadline = time.monotonic() + 120
        while not any(s.touched.is_set() for s in silent) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any(s.touched.is_set() for s in silent), "no probe reached the listeners"
        cluster.kill_scheduler()
        started = time.monotonic()
        _, stderr = scan.communicate(timeout=240)
        elapsed = time.monotonic() - started
    finally:
        cluster.stop()
        for listener in silent:
            listener.stop()
    assert scan.returncode == 3, (scan.returncode, stderr)
    assert "utracono klaster" in stderr
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["meta"]["interrupted"] is True
    assert run["extras"]["lost_jobs"] and all(job in stderr for job in run["extras"]["lost_jobs"])
    assert elapsed < 120
