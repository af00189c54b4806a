"""Bad input files through ``auditor scan --store``: exit 2 with file, line and reason; the store untouched.

Every input the office writes by hand is broken four ways — malformed
YAML/CSV, a value of the wrong type, an unknown key or column, and a 30 MB
file — and the scan must refuse before any probe runs: exit code 2, the
file named with the line and the reason on stderr, and no snapshot added.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Callable

import pytest
import yaml

from hostile_cli import auditor, write_inventory

REPO = Path(__file__).resolve().parents[2]
HUGE = 30 * 1024 * 1024


def _huge(path: Path, line: str) -> None:
    """A syntactically valid file of 30 MB (a comment repeated), so only its size is wrong."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(line)
        chunk = "# " + "x" * 1022 + "\n"
        for _ in range(HUGE // len(chunk) + 1):
            handle.write(chunk if path.suffix != ".csv" else chunk[2:])


def _office(folder: Path) -> Path:
    """A valid inventory with a backup register and attestations."""
    shutil.copy(REPO / "examples" / "backup-register.yaml", folder / "register.yaml")
    shutil.copy(REPO / "examples" / "backup-register.csv", folder / "register.csv")
    shutil.copy(REPO / "examples" / "attestations.yaml", folder / "attestations.yaml")
    shutil.copy(REPO / "baselines" / "kri.yaml", folder / "extra-baseline.yaml")
    return write_inventory(folder / "inventory.yaml", ["127.0.29.0/24"], timeout=8,
                           systems=[{"name": "poczta"}, {"name": "dokumenty"}],
                           sources=[{"type": "backup_register", "name": "rejestr", "file": "register.yaml"},
                                    {"type": "backup_register", "name": "rejestr-csv", "file": "register.csv"}],
                           extensions={"attestations": "attestations.yaml"})


def _edit_yaml(name: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        change(data)
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return apply


def _append(name: str, text: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_text((folder / name).read_text(encoding="utf-8") + text,
                                                     encoding="utf-8")


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


CASES = [  # label, file, how to break it, reason expected on stderr (regex), a line number expected
    ("inventory: malformed YAML", "inventory.yaml", _append("inventory.yaml", "hosts: [ {name: x\n"), r"", True),
    ("inventory: wrong type", "inventory.yaml",
     _edit_yaml("inventory.yaml", lambda d: d.update(hosts=[{"name": "x", "ports": ["https"]}])), r"port", True),
    ("inventory: unknown key", "inventory.yaml",
     _edit_yaml("inventory.yaml", lambda d: d.update(hostz=[])), r"hostz", True),
    ("inventory: 30 MB", "inventory.yaml", lambda f: _huge(f / "inventory.yaml", "organisation: {}\n"), r"limit", False),
    ("baselines: malformed YAML", "extra-baseline.yaml", _append("extra-baseline.yaml", "\n  - id: [\n"), r"", True),
    ("baselines: wrong type", "extra-baseline.yaml",
     _edit_yaml("extra-baseline.yaml", lambda d: d["requirements"][0].update(title=42)), r"title", True),
    ("baselines: unknown key", "extra-baseline.yaml",
     _edit_yaml("extra-baseline.yaml", lambda d: d.update(wagi=1)), r"wagi", True),
    ("baselines: 30 MB", "extra-baseline.yaml", lambda f: _huge(f / "extra-baseline.yaml", "id: x\n"), r"limit", False),
    ("attestations: malformed YAML", "attestations.yaml", _append("attestations.yaml", "  - id: : :\n   x"), r"", True),
    ("attestations: wrong type", "attestations.yaml",
     _replace("attestations.yaml", "result: partial", "result: maybe"), r"result", True),
    ("attestations: unknown key", "attestations.yaml",
     _replace("attestations.yaml", "result: partial", "result: partial\n    podpis: x"), r"podpis", True),
    ("attestations: 30 MB", "attestations.yaml", lambda f: _huge(f / "attestations.yaml", "attestations: []\n"),
     r"limit", False),
    ("register YAML: malformed", "register.yaml", _append("register.yaml", "\n  - system: [\n"), r"", True),
    ("register YAML: wrong type", "register.yaml",
     _replace("register.yaml", "retention_days: 90", "retention_days: dużo"), r"retention_days", True),
    ("register CSV: unknown column", "register.csv",
     _replace("register.csv", "restore_test_by\n", "restore_test_by,kolor\n"), r"kolor", True),
    ("register CSV: wrong type", "register.csv", _replace("register.csv", "2026-11-22", "wczoraj"), r"last_success", True),
    ("register CSV: 30 MB", "register.csv", lambda f: _huge(f / "register.csv", "system,scope\n"), r"limit", False),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store holding one snapshot of the valid office."""
    folder = tmp_path_factory.mktemp("store")
    inventory = _office(folder)
    done = auditor("scan", str(inventory), "--only", "backups", "--store", str(folder / "store.db"), "-q",
                   "--fail-on", "none", "--baselines", str(folder / "extra-baseline.yaml"), cwd=folder)
    assert done.returncode == 0, done.stderr
    assert _snapshots(folder / "store.db") == 1
    return folder / "store.db"


def _snapshots(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0]


@pytest.mark.parametrize(("label", "name", "breaks", "reason", "has_line"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_file_line_reason_and_writes_nothing(store, tmp_path, record_case,
                                                                    label, name, breaks, reason, has_line) -> None:
    inventory = _office(tmp_path)
    breaks(tmp_path)
    with record_case(f"bad input: {label}") as outcome:
        done = auditor("scan", str(inventory), "--only", "backups", "--store", str(store), "-q",
                       "--baselines", str(tmp_path / "extra-baseline.yaml"), cwd=tmp_path)
        detail = re.sub(r"/\S*/", "", (done.stderr.strip().splitlines() or [""])[-1])  # the most specific line
        outcome.append(f"exit {done.returncode}: {detail[:110]}")
    assert done.returncode == 2, done.stderr
    assert name in done.stderr, done.stderr
    if has_line:
        assert re.search(re.escape(name) + r":\d+", done.stderr), done.stderr
    assert re.search(reason, done.stderr, re.I), done.stderr
    assert "Traceback" not in done.stderr
    assert _snapshots(store) == 1
