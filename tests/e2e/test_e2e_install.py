"""A plain, non-editable ``pip install .`` works from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def test_non_editable_install_finds_checks_and_data(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(REPO)], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listed = subprocess.run([str(venv / "bin" / "auditor"), "checks", "--json"], cwd=elsewhere,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    ids = {c["id"] for c in json.loads(listed.stdout)}
    from auditor.registry import default_registry

    assert ids == set(default_registry().checks)  # every family, its sidecar and its data files shipped
    baselines = subprocess.run([str(venv / "bin" / "auditor"), "baselines"], cwd=elsewhere,
                               capture_output=True, text=True, timeout=120)
    assert baselines.returncode == 0 and "kri" in baselines.stdout and "nis2" in baselines.stdout
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import auditor.checks, auditor.baselines, auditor.report_templates, "
         "auditor.checks.network as n; print(n.__file__)"],
        cwd=elsewhere, capture_output=True, text=True, check=True)
    assert str(REPO) not in installed.stdout  # really a copy, not the work tree
    polish = subprocess.run([str(venv / "bin" / "auditor"), "validate", "--help"], cwd=elsewhere,
                            env={**{k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")},
                                 "LANG": "pl_PL.UTF-8", "AUDITOR_LANG": ""}, capture_output=True,
                            text=True, timeout=120)
    assert polish.stdout.startswith("Użycie: auditor validate [OPCJE]")  # the compiled catalogue was installed
