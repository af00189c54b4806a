"""A real store to damage: one real scan of a loopback office, stored three times, and tools that wreck bytes.

The scan is real (``auditor scan --only network`` through the CLI, nmap
against a loopback SSH banner); the two later snapshots are the same run
saved again with their own run id and a later start, through the store's
own writer — the same file a scheduled job leaves after three nights.
Damage is done to the *file's bytes* (a page overwritten, a byte flipped
inside one stored run), never by mocking SQLite.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import yaml
from click.testing import CliRunner

from auditor.cli import main
from auditor.demo.services import banner_service, free_port
from auditor.model import scan_run_from_json
from auditor.store import Store

PAGE = 4096
NO_TRACEBACK = "Traceback"


def cli(*args: object):
    """The CLI in this process, as a user runs it (``SystemExit`` becomes the exit code), on a wide terminal."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": "250"})


def auditor_process(*args: object, user_can_write: bool = True) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process; ``user_can_write=False`` runs it without the power to write what its
    permission bits forbid (root loses CAP_DAC_OVERRIDE through ``setpriv``; any other user has not got it)."""
    command = [sys.executable, "-c", "from auditor.cli import entry; entry()", *map(str, args)]
    if not user_can_write and _is_root():
        command = ["setpriv", "--bounding-set=-dac_override", "--inh-caps=-dac_override", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


def build_store(folder: Path, address: str) -> Path:
    """``folder/store.sqlite`` with snapshots 1, 2, 3 of one office (one real scan), no ``-wal`` left."""
    port = free_port(address)
    ssh = banner_service("ssh", address, port, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
    try:
        inventory = folder / "inventory.yaml"
        inventory.write_text(yaml.safe_dump({
            "organisation": {"name": "Gmina Testowa", "kind": "gmina", "teryt": "0201011",
                             "entity_class": "important"},
            "scope": {"cidrs": ["127.0.0.0/8"], "domains": ["testowa.test"]},
            "settings": {"timeout": 30, "network_scan_risky_ports": False},
            "hosts": [{"name": "pliki.testowa.test", "addresses": [address], "ports": [port]}],
        }), encoding="utf-8")
        store, run_json = folder / "store.sqlite", folder / "run.json"
        scanned = cli("scan", inventory, "--only", "network", "--store", store, "-o", run_json, "--fail-on", "none",
                      "-q")
        assert scanned.exit_code == 0, scanned.output
    finally:
        ssh.stop()
    run = scan_run_from_json(run_json.read_text(encoding="utf-8"))
    with Store(store) as writer:
        for night in (1, 2):
            meta = replace(run.meta, run_id=str(uuid.uuid4()), started=run.meta.started + timedelta(days=night),
                           finished=(run.meta.finished or run.meta.started) + timedelta(days=night))
            writer.save(replace(run, meta=meta))
    for suffix in ("-wal", "-shm", ".lock"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    return store


def copy_store(pristine: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(pristine, folder / "store.sqlite"))


def body_of(store: Path, snapshot_id: int) -> bytes:
    with sqlite3.connect(f"file:{store}?mode=ro&immutable=1", uri=True) as conn:
        return conn.execute("SELECT body FROM runs WHERE snapshot_id = ?", (snapshot_id,)).fetchone()[0]


def offset_in_file(store: Path, body: bytes, near: int) -> int:
    """Where in the file a part of ``body`` at or after ``near`` lies; the part must occur once in the file
    (the three runs are nearly alike, so their compressed bytes can coincide in places)."""
    data = store.read_bytes()
    for start in range(near, len(body) - 64, 64):
        at = data.find(body[start:start + 64])
        if at > 0 and data.find(body[start:start + 64], at + 1) < 0:
            return at
    raise AssertionError("no part of the run occurs only once in the file")


def flip_bytes(store: Path, offset: int, count: int = 8) -> None:
    """Inverts ``count`` bytes at ``offset``: a bad sector's worth of damage, the page's structure intact."""
    with store.open("r+b") as handle:
        handle.seek(offset)
        original = handle.read(count)
        handle.seek(offset)
        handle.write(bytes(b ^ 0xFF for b in original))


def overwrite_page(store: Path, page: int, filler: bytes = b"\xa5") -> None:
    """Page ``page`` (1-based, as SQLite counts) filled with one byte: a wrecked page."""
    with store.open("r+b") as handle:
        handle.seek((page - 1) * PAGE)
        handle.write(filler * PAGE)


def page_of(offset: int) -> int:
    return offset // PAGE + 1


def root_page(store: Path, table: str) -> int:
    with sqlite3.connect(f"file:{store}?mode=ro&immutable=1", uri=True) as conn:
        return int(conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0])


def sidecars(store: Path) -> list[str]:
    """SQLite's files beside the store; a reader of a read-only store must leave none."""
    return sorted(p.name for p in store.parent.iterdir() if p.name != store.name and p.name.startswith(store.name))
