"""The command line as a user runs it: exit codes, output files, plugins, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from auditor.cli import main
from auditor.demo.services import banner_service, ftp_reply
from auditor.model import ErrorReason, scan_run_from_json

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
AUDITOR = Path(sys.executable).with_name("auditor")


@pytest.fixture(scope="module")
def ftp_office(tmp_path_factory):
    ftp = banner_service("ftp", "127.0.22.5", 0, b"220 (vsFTPd 3.0.3)\r\n", ftp_reply)
    path = tmp_path_factory.mktemp("e2e") / "inventory.yaml"
    path.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Testowa", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.22.0/24"]},
        "settings": {"timeout": 60, "network_scan_risky_ports": False},
        "hosts": [{"name": "pliki", "addresses": ["127.0.22.5"], "ports": [ftp.port]}],
    }))
    yield path
    ftp.stop()


def test_scan_exits_1_on_a_high_failure_and_writes_the_run(ftp_office, tmp_path) -> None:
    out = tmp_path / "run.json"
    result = CliRunner().invoke(main, ["scan", str(ftp_office), "--out", str(out), "--only", "network", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "network.risky_service" in result.output and "fail" in result.output
    run = scan_run_from_json(out.read_text())
    assert any(f.check_id == "network.risky_service" and f.status == "fail" for f in run.findings)


def test_fail_on_threshold_above_the_worst_finding_exits_0(ftp_office) -> None:
    result = CliRunner().invoke(main, ["scan", str(ftp_office), "--only", "network", "--fail-on", "critical", "-q"])
    assert result.exit_code == 0, result.output


def test_bad_invocations_exit_2(ftp_office, tmp_path) -> None:
    assert CliRunner().invoke(main, ["scan", str(ftp_office), "--only", "nosuchfamily"]).exit_code == 2
    assert CliRunner().invoke(main, ["scan", str(tmp_path / "missing.yaml")]).exit_code == 2
    assert CliRunner().invoke(main, ["scan", str(ftp_office), "--fail-on", "sometimes"]).exit_code == 2


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    """The sample plugin package really installed (pip) into its own site directory."""
    import shutil

    site = tmp_path_factory.mktemp("site")
    source = tmp_path_factory.mktemp("src") / "plugin_pkg"  # build outside the work tree
    shutil.copytree(REPO / "tests" / "fixtures" / "plugin_pkg", source)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(source)],
        check=True, capture_output=True,
    )
    return site


def run_auditor(args: list[str], site: Path, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([str(AUDITOR), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120, **kwargs)


def test_third_party_plugin_is_listed_and_run(plugin_site, tmp_path) -> None:
    listed = json.loads(run_auditor(["checks", "--json"], plugin_site, tmp_path).stdout)
    sample = next(c for c in listed if c["id"] == "sample.hello")
    assert sample["origin"].startswith("plugin sample") and sample["family"] == "sample"
    inventory = tmp_path / "inv.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "G", "kind": "gmina"}, "scope": {"cidrs": ["127.0.0.0/8"]},
        "hosts": [{"name": "h1", "addresses": ["127.0.22.9"]}]}))
    done = run_auditor(["scan", str(inventory), "--only", "sample", "--out", "run.json", "--lang", "en"], plugin_site, tmp_path)
    assert done.returncode == 0, done.stderr
    run = scan_run_from_json((tmp_path / "run.json").read_text())
    assert [(f.check_id, f.status.value, f.message["en"]) for f in run.findings] == [("sample.hello", "pass", "Host h1 answers.")]


def test_ctrl_c_stops_promptly_and_keeps_what_was_collected(plugin_site, tmp_path) -> None:
    inventory = tmp_path / "inv.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "G", "kind": "gmina"}, "scope": {"cidrs": ["127.0.0.0/8"]},
        "settings": {"sample_sleep": 600, "max_workers": 2},
        "hosts": [{"name": f"h{i}", "addresses": [f"127.0.22.{20 + i}"]} for i in range(4)]}))
    env = {**os.environ, "PYTHONPATH": str(plugin_site)}
    proc = subprocess.Popen([str(AUDITOR), "scan", str(inventory), "--only", "sample", "--out", "run.json", "-q"],
                            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # let the scan start its (deliberately endless) probes
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 3, stderr
    run = scan_run_from_json((tmp_path / "run.json").read_text())
    assert run.meta.interrupted
    assert len(run.attempts) == 4 and {a.error_reason for a in run.attempts} == {ErrorReason.INTERRUPTED}
    assert {f.status.value for f in run.findings} == {"error"}
