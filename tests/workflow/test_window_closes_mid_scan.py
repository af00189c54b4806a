"""Issue 26 item 15: when the authorisation window closes during a scan, no further job starts.

Real nmap against silent listeners (its version scan waits on them), one job at a
time; the window ends while the first job runs.  The hosts after it receive no
connection at all, their jobs are recorded as never run, and the scan exits 3.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from listeners import SilentListener

pytestmark = pytest.mark.e2e
AUDITOR = Path(sys.executable).parent / "auditor"


def test_no_job_starts_after_the_window_closes(tmp_path) -> None:
    listeners = [SilentListener(f"127.127.50.{n + 1}") for n in range(8)]
    end = datetime.now(timezone.utc) + timedelta(seconds=25)
    inventory = tmp_path / "gmina.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Okienko", "kind": "gmina"},
        "scope": {"cidrs": ["127.127.50.0/24"]},
        "settings": {"timeout": 60, "network_scan_risky_ports": False, "max_workers": 1},
        "hosts": [{"name": f"srv{n}.okienko.test", "addresses": [s.address], "ports": [s.port]}
                  for n, s in enumerate(listeners)],
        "extensions": {"authorisation": {
            "by": {"name": "Jan Wójt", "role": "Wójt"}, "document": "zarządzenie nr 1/2026",
            "window": {"start": (end - timedelta(hours=1)).isoformat(timespec="seconds"),
                       "end": end.isoformat(timespec="seconds")}}},
    }, allow_unicode=True))
    try:
        done = subprocess.run([str(AUDITOR), "scan", str(inventory), "-q", "--only", "network",
                               "-o", str(tmp_path / "run.json")], capture_output=True, text=True, timeout=300)
    finally:
        for listener in listeners:
            listener.stop()
    assert done.returncode == 3, done.stderr
    assert "okno autoryzacji się skończyło" in done.stderr and "nie zostało rozpoczętych" in done.stderr
    run = json.loads((tmp_path / "run.json").read_text())
    closed = [a for a in run["attempts"] if a["error_reason"] == "window_closed"]
    assert closed and run["meta"]["interrupted"] is True
    never = {a["target_id"] for a in closed}
    for n, listener in enumerate(listeners):
        if f"host:srv{n}.okienko.test" in never:
            assert listener.connections == 0, n  # nothing reached a host whose job never started
