"""Runs ``auditor`` as a user does (a real process) against a hostile inventory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditor.model import Finding, ScanRun, scan_run_from_json

AUDITOR = Path(sys.executable).with_name("auditor")
OFFICE = {"name": "Gmina Wrogowo", "kind": "gmina", "entity_class": "important"}


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    run: ScanRun | None
    peak_rss_mb: float = 0.0

    def findings(self, check_prefix: str = "", target_id: str | None = None) -> list[Finding]:
        assert self.run is not None, self.stderr[-3000:]
        return [f for f in self.run.findings
                if f.check_id.startswith(check_prefix) and (target_id is None or f.target_id == target_id)]

    def statuses(self, check_prefix: str = "", target_id: str | None = None, subject: str | None = None) -> set[str]:
        return {f.status.value for f in self.findings(check_prefix, target_id)
                if subject is None or f.subject == subject}

    def duration(self, probe: str, target_id: str) -> float:
        assert self.run is not None
        return next(a.duration_s for a in self.run.attempts if a.probe == probe and a.target_id == target_id)


def write_inventory(path: Path, cidrs: list[str], timeout: float = 8, **sections: Any) -> Path:
    settings = {"timeout": timeout, "network_scan_risky_ports": False, **sections.pop("settings", {})}
    document = {"organisation": OFFICE, "scope": {"cidrs": cidrs, "domains": sections.pop("domains_scope", [])},
                "settings": settings, **sections}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _english(env: dict[str, str] | None) -> dict[str, str]:
    """The lab reads the CLI's English messages; the suite's default language is Polish (tests/conftest.py)."""
    return {**os.environ, "AUDITOR_LANG": "en", **(env or {})}


def auditor(*args: str, cwd: Path, timeout: float = 180, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(AUDITOR), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=_english(env))


def auditor_measured(*args: str, cwd: Path, timeout: float = 180,
                     env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """Like ``auditor`` but also the process's peak resident memory (VmHWM, MB), polled while it runs."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([str(AUDITOR), *args], cwd=cwd, stdout=out, stderr=err, text=True, env=_english(env))
        peak, deadline = 0.0, time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            peak = max(peak, _vm_hwm_mb(proc.pid))
            time.sleep(0.1)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), err.read()), peak


def _vm_hwm_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


def scan(inventory: Path, *families: str, extra: tuple[str, ...] = (), env: dict[str, str] | None = None) -> CliRun:
    """``auditor -vv scan INVENTORY --only F... --out run.json`` (debug log on stderr, table on stdout)."""
    out = inventory.with_suffix(".run.json")
    only = [arg for family in families for arg in ("--only", family)]
    done, peak = auditor_measured("-vv", "scan", str(inventory), *only, "--out", str(out), "--lang", "en", "--all",
                                  "--fail-on", "none", *extra, cwd=inventory.parent, env=env)
    run = scan_run_from_json(out.read_text(encoding="utf-8")) if out.exists() else None
    return CliRun(done.returncode, done.stdout, done.stderr, run, peak)
