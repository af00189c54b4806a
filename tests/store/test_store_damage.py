"""A damaged store never ends in a traceback: a damaged snapshot is named by id, the others stay readable.

Every store here is a real one (a real scan, ``damage_lab.build_store``)
whose bytes are then wrecked on disk: a byte run flipped inside one stored
run, a page of one run overwritten, the page holding the list of
snapshots overwritten, the file header destroyed.  Exit codes (docs/store.md):
a command that met a damaged snapshot names it on stderr and exits 2, after
doing what it still can; a store whose structure is unreadable is one line
with the path, exit 2.
"""

from __future__ import annotations

import json
import sqlite3
import zlib

import pytest

from auditor.store import Store
from auditor.store.damage import DamagedSnapshot, DamagedStore
from damage_lab import (NO_TRACEBACK, body_of, cli, copy_store, flip_bytes, offset_in_file, overwrite_page, page_of,
                        root_page)

pytestmark = [pytest.mark.e2e, pytest.mark.probe]



@pytest.fixture
def store(pristine, tmp_path):
    return copy_store(pristine, tmp_path / "office")


def _no_traceback(*results) -> None:
    for result in results:
        assert NO_TRACEBACK not in result.output and "sqlite3." not in result.output and "zlib.error" not in result.output


def test_the_pristine_store_is_sound(store):
    checked = cli("store", "check", "--store", store, "--lang", "en")
    assert checked.exit_code == 0, checked.output
    assert "File integrity (SQLite integrity_check): ok" in checked.output
    assert "Snapshots: 3, readable: 3, damaged: 0" in checked.output


def test_a_flipped_byte_run_inside_one_stored_run(store, tmp_path):
    """8 bytes in the middle of snapshot 2's stored run inverted: zlib's checksum catches it."""
    body = body_of(store, 2)
    flip_bytes(store, offset_in_file(store, body, len(body) // 2) + 16)

    history = cli("history", "--store", store, "--lang", "pl")
    assert history.exit_code == 2
    rows = [line for line in history.stdout.splitlines() if line.startswith(("│ 1 ", "│ 2 ", "│ 3 "))]
    assert len(rows) == 3 and "USZKODZONA" in rows[1] and "USZKODZONA" not in rows[0] + rows[2]
    assert "migawka #2 w magazynie" in history.stderr and "nie daje się rozpakować (zlib)" in history.stderr
    listed = json.loads(cli("history", "--store", store, "--json", "--lang", "en").stdout)
    assert [s["damaged"]["problem"] if s["damaged"] else None for s in listed] == [None, "not_zlib", None]

    asked = cli("report", "--store", store, "--snapshot", "2", "--lang", "en", "-o", tmp_path / "r2.html")
    assert asked.exit_code == 2 and not (tmp_path / "r2.html").exists()
    assert "error: snapshot #2 in the store" in asked.stderr and "does not decompress (zlib)" in asked.stderr

    later = cli("report", "--store", store, "--snapshot", "3", "--lang", "pl", "-o", tmp_path / "r3.html")
    assert later.exit_code == 2 and (tmp_path / "r3.html").stat().st_size > 10_000  # written, follow-up left out
    assert "migawka #2" in later.stderr
    first = cli("report", "--store", store, "--snapshot", "1", "-o", tmp_path / "r1.html")
    assert first.exit_code == 0, first.output
    diff = cli("diff", "1", "3", "--store", store, "--json")
    assert diff.exit_code == 0 and json.loads(diff.stdout)["new_failures"] == []  # the index is intact

    checked = cli("store", "check", "--store", store, "--json")
    assert checked.exit_code == 2
    verdict = json.loads(checked.stdout)
    assert verdict["integrity"] == ["ok"] and [d["id"] for d in verdict["damaged"]] == [2]
    _no_traceback(history, asked, later, first, diff, checked)


def test_a_wrecked_page_inside_the_latest_run_and_the_fleet_report(store, tmp_path):
    """A whole page of snapshot 3's stored run overwritten (its overflow-chain pointer too)."""
    body = body_of(store, 3)
    page = page_of(offset_in_file(store, body, len(body) - 3000))
    overwrite_page(store, page)

    with Store(store, read_only=True) as reader:
        with pytest.raises(DamagedSnapshot) as damaged:
            reader.load(3)
        assert damaged.value.damage.snapshot_id == 3
        assert damaged.value.damage.problem in ("body_unreadable", "not_zlib")
        assert reader.load(1).meta.run_id and reader.load(2).meta.run_id

    fleet = cli("fleet", "report", "--store", store, "-o", tmp_path / "zestawienie.html", "--lang", "en")
    assert fleet.exit_code == 2
    assert (tmp_path / "zestawienie.html").exists() and "snapshot #3 in the store" in fleet.stderr
    assert not list((tmp_path / "zestawienie_jednostki").glob("*-3.html"))
    history = cli("history", "--store", store, "--lang", "en")
    assert history.exit_code == 2 and "DAMAGED" in history.stdout and "snapshot #3" in history.stderr
    _no_traceback(fleet, history)


def test_a_wrecked_page_of_the_snapshot_list_is_one_line_with_the_path(store, tmp_path):
    overwrite_page(store, root_page(store, "snapshots"))
    results = [cli("history", "--store", store, "--lang", "pl"), cli("diff", "--store", store, "--lang", "pl"),
               cli("report", "--store", store, "--snapshot", "latest", "--lang", "pl", "-o", tmp_path / "r.html"),
               cli("fleet", "report", "--store", store, "--lang", "pl", "-o", tmp_path / "f.html")]
    for result in results:
        assert result.exit_code == 2, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and f"magazyn {store} jest uszkodzony" in lines[0], result.stderr
    english = cli("history", "--store", store, "--lang", "en")
    assert english.exit_code == 2 and f"the store {store} is damaged and cannot be read" in english.stderr
    checked = cli("store", "check", "--store", store, "--lang", "pl")
    assert checked.exit_code == 2 and "integrity_check): 1 problem" in checked.stdout
    _no_traceback(*results, english, checked)


def test_a_destroyed_header(store):
    overwrite_page(store, 1)
    for result in (cli("history", "--store", store, "--lang", "en"), cli("store", "check", "--store", store, "--lang", "pl")):
        assert result.exit_code == 2
        assert str(store) in result.stderr and "file is not a database" in result.stderr
        _no_traceback(result)


def test_a_run_that_decompresses_but_is_not_json(store, tmp_path):
    """Valid zlib around broken JSON (a run rewritten by hand): history cannot see it; report and check can."""
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE runs SET body = ? WHERE snapshot_id = 1", (zlib.compress(b'{"schema_version": "1.'),))
    asked = cli("report", "--store", store, "--snapshot", "1", "--lang", "pl", "-o", tmp_path / "r.html")
    assert asked.exit_code == 2 and "migawka #1" in asked.stderr and "nie jest poprawnym JSON-em" in asked.stderr
    checked = cli("store", "check", "--store", store, "--lang", "en")
    assert checked.exit_code == 2 and "snapshot #1 in the store" in checked.stdout and "not valid JSON" in checked.stdout
    _no_traceback(asked, checked)


def test_a_damaged_byte_in_one_snapshot_row(store):
    """A byte of snapshot 2's row in the snapshots table made invalid UTF-8: that row is marked, not the query."""
    with Store(store, read_only=True) as reader:
        run_id = reader.get(2).run_id
    table_page = root_page(store, "snapshots")
    data = store.read_bytes()
    at = data.find(run_id.encode(), (table_page - 1) * 4096, table_page * 4096)
    assert at > 0
    with store.open("r+b") as handle:
        handle.seek(at + 3)
        handle.write(b"\xff")

    history = cli("history", "--store", store, "--json", "--lang", "en")
    assert history.exit_code == 2
    listed = json.loads(history.stdout)
    assert [s["id"] for s in listed] == [1, 2, 3]
    assert [s["damaged"]["problem"] if s["damaged"] else None for s in listed] == [None, "metadata", None]
    assert "snapshot #2" in history.stderr and "row in the snapshots table" in history.stderr
    diff = cli("diff", "--store", store, "--json")  # the latest against the last *readable* one before it
    assert diff.exit_code == 0 and json.loads(diff.stdout)["before"]["id"] == 1
    _no_traceback(history, diff)


def test_the_damage_types_are_store_errors(store):
    overwrite_page(store, root_page(store, "snapshots"))
    with Store(store, read_only=True) as reader, pytest.raises(DamagedStore):
        reader.snapshots()
