"""The store keeps runs verbatim, indexes findings and scores, and refuses what it cannot read."""

from __future__ import annotations

import sqlite3

import pytest

from auditor.i18n import set_language

from auditor.model import scan_run_to_dict
from auditor.store import Store, StoreError, load_snapshot
from auditor.store.schema import SCHEMA_VERSION


def test_round_trip_and_index(store_path, make_run, finding, score):
    run = make_run([finding("net.a", "www", "fail", "critical", "1.2.3.4:23/tcp"), finding("net.b", "www", "pass")],
                   scores={"kri": score(62.5), "nis2": score(None, 0.0, "NIS2", "")})
    with Store(store_path) as store:
        info = store.save(run)
        assert scan_run_to_dict(store.load(info.id)) == scan_run_to_dict(run)
        rows = store.findings(info.id)
        assert {k: (r.status, r.severity) for k, r in rows.items()} == {
            "net.a|www|1.2.3.4:23/tcp": ("fail", "critical"), "net.b|www|": ("pass", "high")}
        scores = store.scores([info.id])[info.id]
        assert scores["kri"].score == 62.5 and scores["kri"].coverage == 0.6 and scores["kri"].title["pl"] == "KRI"
        assert scores["nis2"].score is None
    assert info.counts == {"status": {"fail": 1, "pass": 1}, "failing": {"critical": 1}}
    assert info.series == "teryt:0201011"
    assert scan_run_to_dict(load_snapshot(store_path, "latest")) == scan_run_to_dict(run)


def test_empty_scores_and_duplicate_keys(store_path, make_run, finding, score):
    run = make_run([finding("x.y", "h", "pass"), finding("x.y", "h", "warn", "low")])
    with Store(store_path) as store:
        info = store.save(run)
        assert store.scores([info.id]) == {}
        assert store.findings(info.id)["x.y|h|"].status == "warn"  # worst status wins in the index
        assert len(store.load(info.id).findings) == 2  # the JSON keeps both
        with pytest.raises(StoreError, match="already in the store"):
            store.save(run)


def test_resolve_and_previous(store_path, make_run, finding, score):
    with Store(store_path) as store:
        first = store.save(make_run(day=0))
        partial = store.save(make_run(day=1, interrupted=True))
        other_office = store.save(make_run(day=2, teryt="1465011"))
        last = store.save(make_run(day=3))
        assert store.resolve("latest") == last
        assert store.resolve(str(first.id)) == first
        assert store.resolve(last.run_id[:8]) == last
        assert store.previous(last) == first  # skips the interrupted run and the other office
        assert store.previous(first) is None
        assert [s.id for s in store.snapshots()] == [first.id, partial.id, other_office.id, last.id]
        assert [s.id for s in store.snapshots("teryt:1465011")] == [other_office.id]
        assert [s.id for s in store.snapshots(limit=2)] == [other_office.id, last.id]
        with pytest.raises(StoreError, match="no single snapshot"):
            store.resolve("nonsense")
        with pytest.raises(StoreError, match="no snapshot 99"):
            store.load(99)


def test_delete_removes_everything_of_a_snapshot(store_path, make_run, finding, score):
    with Store(store_path) as store:
        keep = store.save(make_run([finding("a.a", "h", "fail")]))
        gone = store.save(make_run([finding("b.b", "h", "fail")], day=1, scores={"kri": score(10)}))
        store.delete([gone.id])
        store.vacuum()
        assert [s.id for s in store.snapshots()] == [keep.id]
        assert store.findings(keep.id).keys() == {"a.a|h|"}
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("SELECT count(*) FROM scores").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
        assert [r[0] for r in conn.execute("SELECT key FROM finding_keys")] == ["a.a|h|"]


def test_schema_is_versioned_and_in_wal_mode(store_path, make_run, finding, score):
    Store(store_path).close()
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="upgrade auditor"):
        Store(store_path)


def test_refuses_missing_and_foreign_files(tmp_path, make_run, finding, score):
    with pytest.raises(StoreError, match="no store at"):
        Store(tmp_path / "missing.sqlite", create=False)
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("this is not a database, just a text file that is long enough " * 20)
    for read_only in (False, True):
        set_language("en")
        with pytest.raises(StoreError, match=r"not a readable auditor store \(file is not a database\)"):
            Store(bogus, read_only=read_only)
        set_language("pl")
        with pytest.raises(StoreError, match="nie jest czytelnym magazynem auditor"):
            Store(bogus, read_only=read_only)
    set_language("en")


def test_refuses_another_applications_database(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(StoreError, match="belongs to something else"):
        Store(other)


def test_busy_store_gives_a_clear_error(store_path, make_run):
    Store(store_path).close()
    blocker = sqlite3.connect(store_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Store(store_path, busy_timeout_s=0.1) as store, pytest.raises(StoreError, match="busy"):
            store.save(make_run())
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Store(store_path) as store:
        assert store.snapshots() == []
