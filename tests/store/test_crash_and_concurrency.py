"""A writer (and a whole ``auditor scan``) killed with SIGKILL mid-snapshot, and two writers at once.

All against real processes and a real SQLite file.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.demo.services import banner_service
from auditor.model import scan_run_to_dict, scan_run_to_json
from auditor.store import Store

# The child re-saves a template run under fresh run ids.  With --hang it stops
# inside the transaction (after the snapshot row, while the findings go in)
# and says so, so the parent kills it exactly mid-write.
_WRITER = r"""
import dataclasses, sys, time, uuid
from pathlib import Path
from auditor.model import scan_run_from_json
from auditor.store import Store

store_path, template, count, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
run = scan_run_from_json(Path(template).read_text())
go = Path(store_path + ".go")
while mode == "together" and not go.exists():
    time.sleep(0.01)
with Store(store_path) as store:
    if mode == "hang":
        def trace(sql):
            if sql.startswith("INSERT INTO findings"):
                print("in-transaction", flush=True)
                time.sleep(60)
        store._conn.set_trace_callback(trace)
    for n in range(count):
        store.save(dataclasses.replace(run, meta=dataclasses.replace(run.meta, run_id=str(uuid.uuid4()))))
        print(f"saved {n}", flush=True)
"""


@pytest.fixture
def template(tmp_path, make_run, finding, score) -> Path:
    """A run big enough (3000 findings) that a save takes a noticeable moment."""
    findings = [finding(f"fam.check{i % 30}", f"host{i // 30}", ("fail", "pass", "warn")[i % 3], "medium", f"s{i}")
                for i in range(3000)]
    path = tmp_path / "template.json"
    path.write_text(scan_run_to_json(make_run(findings, scores={"kri": score(55.0)})), encoding="utf-8")
    return path


def _writer(store_path: Path, template: Path, count: int, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(store_path), str(template), str(count), mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _assert_intact(store_path: Path) -> list[int]:
    """The store opens, passes SQLite's integrity check, and every snapshot reads back whole."""
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store(store_path, create=False) as store:
        ids = [s.id for s in store.snapshots()]
        for snapshot_id in ids:
            run = store.load(snapshot_id)
            assert len(store.findings(snapshot_id)) == len({f.key for f in run.findings})
            assert store.scores([snapshot_id])[snapshot_id]["kri"].score == 55.0
    return ids


def _assert_intact_earlier(store_path: Path, earlier) -> list[int]:
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store(store_path, create=False) as store:
        ids = [s.id for s in store.snapshots()]
        assert [scan_run_to_dict(store.load(i)) for i in ids] == [scan_run_to_dict(r) for r in earlier]
    return ids


def test_sigkill_inside_the_write_transaction(store_path, make_run, finding, template):
    earlier = [make_run([finding("a.b", "h", "fail")], day=d) for d in range(3)]
    with Store(store_path) as store:
        for run in earlier:
            store.save(run)
    child = _writer(store_path, template, 1, "hang")
    try:
        assert child.stdout.readline().strip() == "in-transaction"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert _assert_intact_earlier(store_path, earlier) == [1, 2, 3]
    with Store(store_path) as store:  # and the store keeps working
        assert store.save(make_run(day=5)).id == 4


# A real `auditor scan --store` whose store connection pauses inside the
# snapshot transaction (while the findings go in) and says so.
_SCAN = r"""
import sys, time
from auditor.store.db import Store

opened = Store.__init__

def paused(self, *args, **kwargs):
    opened(self, *args, **kwargs)
    def trace(sql):
        if sql.startswith("INSERT INTO findings"):
            print("in-transaction", flush=True)
            time.sleep(60)
    self._conn.set_trace_callback(trace)

Store.__init__ = paused
from auditor.cli import main
main(sys.argv[1:])
"""


def test_sigkill_of_a_scan_while_it_saves(store_path, make_run, finding, loopback_address, port_on, write_inventory):
    earlier = [make_run([finding("a.b", "h", "fail")], day=d) for d in range(2)]
    with Store(store_path) as store:
        for run in earlier:
            store.save(run)
    port = port_on(loopback_address)
    ssh = banner_service("ssh", loopback_address, port, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
    inventory = write_inventory(hosts=[{"name": "srv.testowa.test", "addresses": [loopback_address], "ports": [port]}])
    scan = subprocess.Popen([sys.executable, "-c", _SCAN, "scan", str(inventory), "--only", "network", "-q",
                             "--store", str(store_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert scan.stdout.readline().strip() == "in-transaction", scan.stderr.read()
        os.kill(scan.pid, signal.SIGKILL)
    finally:
        scan.wait(timeout=60)
        ssh.stop()
    assert _assert_intact_earlier(store_path, earlier) == [1, 2]


def test_sigkill_at_random_moments(store_path, template):
    rng = random.Random(9)
    saved = 0
    for _ in range(3):
        child = _writer(store_path, template, 1000, "loop")
        try:
            assert child.stdout.readline().startswith("saved")
            time.sleep(rng.uniform(0, 0.2))
            os.kill(child.pid, signal.SIGKILL)
            saved += 1 + sum(1 for line in child.stdout if line.startswith("saved"))
        finally:
            child.wait(timeout=30)
        assert len(_assert_intact(store_path)) >= saved


def test_two_writers_at_once_both_succeed(store_path, template):
    writers = [_writer(store_path, template, 8, "together") for _ in range(2)]
    Path(str(store_path) + ".go").touch()
    for writer in writers:
        _, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err
    assert len(_assert_intact(store_path)) == 16
