"""A read-only store is read without a single write: history, diff, report, fleet report and check all work.

"Read-only" three ways: the file 0444 in a folder 0555; the same read by a
process that really cannot write past the permission bits (root without
CAP_DAC_OVERRIDE via ``setpriv``, or any other user as is); and a store on a
read-only bind mount.  Each time the file's bytes and mtime stay the same
and no ``-wal``/``-shm``/``-journal`` file appears beside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import replace

import pytest

from auditor.store import Store
from damage_lab import NO_TRACEBACK, auditor_process, cli, copy_store, sidecars

pytestmark = [pytest.mark.e2e, pytest.mark.probe]



@pytest.fixture
def read_only_store(pristine, tmp_path):
    store = copy_store(pristine, tmp_path / "archive")
    store.chmod(0o444)
    store.parent.chmod(0o555)
    yield store
    store.parent.chmod(0o755)


def _fingerprint(store):
    return hashlib.sha256(store.read_bytes()).hexdigest(), store.stat().st_mtime_ns, sidecars(store)


def _reads(store, out, run=cli):
    """Every reading command on ``store``; reports go to ``out`` (a writable folder elsewhere)."""
    return {
        "history": run("history", "--store", store, "--json"),
        "diff": run("diff", "--store", store, "--json"),
        "report": run("report", "--store", store, "--snapshot", "latest", "-o", out / "latest.html"),
        "fleet": run("fleet", "report", "--store", store, "-o", out / "fleet.html"),
        "check": run("store", "check", "--store", store),
        "rejudge": run("rejudge", "latest", "--store", store, "--json"),
    }


def test_a_0444_store_in_a_0555_folder_is_read_and_left_untouched(read_only_store, tmp_path):
    """Root ignores permission bits, so this holds by intent: no write bit means no write, even for root."""
    before = _fingerprint(read_only_store)
    results = _reads(read_only_store, tmp_path)
    for name, result in results.items():
        assert result.exit_code == 0, (name, result.output)
        assert NO_TRACEBACK not in result.output
    assert (tmp_path / "latest.html").stat().st_size > 10_000 and (tmp_path / "fleet.html").exists()
    assert _fingerprint(read_only_store) == before
    assert before[2] == []


def test_a_process_that_cannot_write_reads_it(read_only_store, tmp_path):
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("root without setpriv cannot give up the power to write past permission bits")
    before = _fingerprint(read_only_store)
    denied = subprocess.run(
        (["setpriv", "--bounding-set=-dac_override", "--inh-caps=-dac_override"] if os.geteuid() == 0 else [])
        + ["touch", str(read_only_store.parent / "probe")], capture_output=True)
    assert denied.returncode != 0, "the process must really be unable to write into the folder"
    results = _reads(read_only_store, tmp_path, lambda *a: auditor_process(*a, user_can_write=False))
    for name, result in results.items():
        assert result.returncode == 0, (name, result.stderr)
        assert NO_TRACEBACK not in result.stderr
    assert '"run_id"' in results["history"].stdout
    assert _fingerprint(read_only_store) == before


def test_a_store_on_a_read_only_mount(pristine, tmp_path):
    if not shutil.which("unshare"):
        pytest.skip("unshare (util-linux) is missing")
    folder = tmp_path / "mounted"
    store = copy_store(pristine, folder)
    before = _fingerprint(store)
    namespace = ["unshare", "--mount"] + ([] if os.geteuid() == 0 else ["--map-root-user"])
    script = f'mount --bind "{folder}" "{folder}" && mount -o remount,ro,bind "{folder}" "{folder}" && ' \
             f'touch "{folder}/probe" 2>/dev/null && exit 97; exec "$@"'
    command = [*namespace, "sh", "-c", script, "sh", sys.executable, "-c", "from auditor.cli import entry; entry()"]
    result = subprocess.run([*command, "history", "--store", str(store), "--json"], capture_output=True, text=True,
                            timeout=120)
    if result.returncode != 0 and "mount" in result.stderr and "auditor" not in result.stderr:
        pytest.skip(f"this kernel refuses a private mount namespace: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stderr
    assert len([line for line in result.stdout.splitlines() if '"run_id"' in line]) == 3
    checked = subprocess.run([*command, "store", "check", "--store", str(store), "--lang", "pl"],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and "jest w porządku" in checked.stdout, checked.stderr
    assert _fingerprint(store) == before


def test_a_read_only_store_with_a_writers_wal_is_read_through_it(pristine, tmp_path):
    """A copy taken while a writer had it open (``-wal`` and ``-shm`` beside it): the newest snapshot exists
    only in the WAL, so the reader must not take the immutable shortcut, which would not see it."""
    live = copy_store(pristine, tmp_path / "live")
    writer = Store(live)
    try:
        reader = sqlite3.connect(live)  # a second connection keeps the WAL from being checkpointed away
        reader.execute("SELECT count(*) FROM snapshots").fetchone()
        run = writer.load(3)
        writer.save(replace(run, meta=replace(run.meta, run_id=str(uuid.uuid4())),
                            organisation={**run.organisation, "name": "Gmina Po Zmianie"}))
        archive = tmp_path / "archive"
        archive.mkdir()
        for suffix in ("", "-wal", "-shm"):
            shutil.copy2(f"{live}{suffix}", archive / f"store.sqlite{suffix}")
    finally:
        writer.close()
        reader.close()
    store = archive / "store.sqlite"
    for item in archive.iterdir():
        item.chmod(0o444)
    archive.chmod(0o555)
    try:
        before = _fingerprint(store)
        result = auditor_process("history", "--store", store, "--json", user_can_write=False)
        assert result.returncode == 0, result.stderr
        assert '"organisation": "Gmina Po Zmianie"' in result.stdout and '"id": 4' in result.stdout
        assert _fingerprint(store) == before
    finally:
        archive.chmod(0o755)


def _old_schema(store):
    """The store as auditor wrote it before migration 2 (no requirements table)."""
    conn = sqlite3.connect(store, isolation_level=None)
    conn.execute("DROP TABLE requirements")
    conn.execute("PRAGMA user_version = 1")
    conn.close()  # the last connection checkpoints the WAL into the file and removes it


def test_an_old_read_only_store_says_it_needs_an_upgrade(pristine, tmp_path):
    store = copy_store(pristine, tmp_path / "old")
    _old_schema(store)
    assert sidecars(store) == []
    store.chmod(0o444)
    before = _fingerprint(store)
    refused = cli("history", "--store", store, "--lang", "en")
    assert refused.exit_code == 2 and NO_TRACEBACK not in refused.output
    assert "schema version 1; this auditor reads version 2" in refused.stderr and "read-only" in refused.stderr
    assert _fingerprint(store) == before

    store.chmod(0o644)  # once writable, the first reader upgrades it and reads
    upgraded = cli("history", "--store", store, "--json")
    assert upgraded.exit_code == 0, upgraded.output
    with sqlite3.connect(store) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_writable_store_is_read_without_a_write_or_a_leftover(pristine, tmp_path):
    store = copy_store(pristine, tmp_path / "office")
    before = _fingerprint(store)
    for name, result in _reads(store, tmp_path).items():
        assert result.exit_code == 0, (name, result.output)
    assert _fingerprint(store) == before
