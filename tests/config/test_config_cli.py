"""CLI additions: ``auditor collector``, ``auditor scan --local``, config checks in ``auditor checks``."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Callable

from click.testing import CliRunner

from auditor.checks.config.collectors import COLLECTORS
from auditor.cli import main
from auditor.cli.collector_cmd import PLATFORMS

COLLECTOR_DIR = Path(__file__).parents[2] / "checks/config/collectors"


def test_collector_prints_the_shipped_scripts() -> None:
    assert set(PLATFORMS) == set(COLLECTORS)
    for platform, name in COLLECTORS.items():
        result = CliRunner().invoke(main, ["collector", platform])
        assert result.exit_code == 0
        assert result.output == (COLLECTOR_DIR / name).read_text(encoding="utf-8")
    assert CliRunner().invoke(main, ["collector", "macos"]).exit_code == 2


def test_checks_lists_config_checks() -> None:
    result = CliRunner().invoke(main, ["checks", "--family", "config", "--json"])
    listed = {entry["id"]: entry for entry in json.loads(result.output)}
    assert {"config.logs.retention", "config.smb1", "config.remote.ssh_weak_algorithms"} <= set(listed)
    retention = listed["config.logs.retention"]["baselines"]
    assert "NIS2 art. 21 ust. 2 lit. b" in retention and any(ref.startswith("KRI §") for ref in retention)
    table = CliRunner().invoke(main, ["checks", "--family", "config", "--lang", "en"])
    assert table.exit_code == 0 and "baselines" in table.output and "NIS2 art. 21" in table.output


def test_scan_local_collects_and_judges_this_machine(tmp_path: Path, write_inventory: Callable[..., Path]) -> None:
    inventory = write_inventory()
    out = tmp_path / "run.json"
    result = CliRunner().invoke(main, ["scan", str(inventory), "--local", "--only", "config", "-q", "--fail-on", "none",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    run = json.loads(out.read_text(encoding="utf-8"))
    local = [f for f in run["findings"] if f["target_id"] == "config_bundles:this-machine"]
    assert len(local) >= 16
    assert {f["subject"] for f in local} == {socket.gethostname()}
    assert all(f["status"] != "error" for f in local)


def test_scan_local_feeds_the_package_list_to_the_patching_family(tmp_path: Path, write_inventory) -> None:
    out = tmp_path / "run.json"
    result = CliRunner().invoke(main, ["scan", str(write_inventory()), "--local", "--only", "patching", "-q",
                                       "--fail-on", "none", "-o", str(out)])
    assert result.exit_code == 0, result.output
    run = json.loads(out.read_text(encoding="utf-8"))
    (attempt,) = [a for a in run["attempts"] if a["target_id"] == "packages:this-machine"]
    assert attempt["status"] == "completed" and attempt["evidence"]["package_manager"] == "dpkg"
    assert len(attempt["evidence"]["packages"]) > 50  # this Debian machine's real package list
    eol = [f for f in run["findings"] if f["target_id"] == "packages:this-machine" and f["check_id"] == "patch.eol"]
    assert eol and all(f["status"] in ("pass", "warn", "fail") for f in eol)


def test_a_broken_rule_file_is_a_clean_input_error(tmp_path: Path) -> None:
    """The CLI starts without reading rules; a bad rule file then fails the command with file:line, exit 2."""
    import subprocess
    import sys

    (tmp_path / "linux.yaml").write_text("platform: linux\nrules: [{id: bad}]\n", encoding="utf-8")
    script = (
        "import sys, importlib.resources as res; from pathlib import Path; real = res.files;"
        f"res.files = lambda p: Path({str(tmp_path)!r}) if p == 'auditor.baselines.config' else real(p);"
        "from auditor.cli import main; sys.argv = ['auditor', 'checks']; main()"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "linux.yaml:2" in done.stderr and "Traceback" not in done.stderr
