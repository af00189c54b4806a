"""``auditor demo`` on a fresh folder: the lab starts, is scanned, findings shown, lab stopped."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.model import scan_run_from_json

pytestmark = pytest.mark.e2e
AUDITOR = Path(sys.executable).with_name("auditor")


def test_demo_shows_a_failing_risky_service_and_exits_1(tmp_path: Path) -> None:
    done = subprocess.run([str(AUDITOR), "demo", "--out", str(tmp_path / "demo"), "--lang", "en"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert "network.risky_service" in done.stdout
    run = scan_run_from_json((tmp_path / "demo" / "run.json").read_text())
    risky = [f for f in run.findings if f.check_id == "network.risky_service" and f.status == "fail"]
    assert risky and risky[0].target_id == "host:pliki.przykladowo.test"
    with socket.socket() as probe:  # the lab is gone afterwards
        assert probe.connect_ex(("127.0.10.2", 2121)) != 0
