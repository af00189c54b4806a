"""Versioned schema of the snapshot store.

``PRAGMA user_version`` records how many migrations a store has had.  Each
migration is applied in its own ``BEGIN IMMEDIATE`` transaction, after
re-reading the version inside it, so two processes opening a fresh store at
once cannot both apply it.  Append new migrations; never edit a released one.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: snapshots, the full run, and the queryable findings / scores index.
    """
    CREATE TABLE snapshots (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id           TEXT NOT NULL UNIQUE,
        series           TEXT NOT NULL,
        organisation     TEXT NOT NULL,
        inventory_sha256 TEXT NOT NULL,
        inventory_path   TEXT NOT NULL,
        started          TEXT NOT NULL,
        finished         TEXT,
        tool_version     TEXT NOT NULL,
        schema_version   TEXT NOT NULL,
        interrupted      INTEGER NOT NULL,
        operator         TEXT NOT NULL,
        hostname         TEXT NOT NULL,
        stored           TEXT NOT NULL,
        counts           TEXT NOT NULL
    );
    CREATE INDEX snapshots_series_started ON snapshots (series, started);
    CREATE INDEX snapshots_started ON snapshots (started);
    CREATE TABLE runs (
        snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
        encoding    TEXT NOT NULL,
        body        BLOB NOT NULL
    );
    CREATE TABLE finding_keys (
        id        INTEGER PRIMARY KEY,
        key       TEXT NOT NULL UNIQUE,
        check_id  TEXT NOT NULL,
        target_id TEXT NOT NULL,
        subject   TEXT NOT NULL
    );
    CREATE TABLE findings (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        key_id      INTEGER NOT NULL REFERENCES finding_keys (id),
        status      TEXT NOT NULL,
        severity    TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, key_id)
    ) WITHOUT ROWID;
    CREATE INDEX findings_key ON findings (key_id);
    CREATE TABLE scores (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        baseline    TEXT NOT NULL,
        version     TEXT NOT NULL,
        title       TEXT NOT NULL,
        score       REAL,
        coverage    REAL,
        grade       TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, baseline)
    ) WITHOUT ROWID;
    """,
    # 2: each requirement's status per snapshot, so a fleet roll-up of hundreds of offices reads
    #    small rows instead of unpacking every stored run.  Older snapshots have none (read from the run).
    """
    CREATE TABLE requirements (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        baseline    TEXT NOT NULL,
        requirement TEXT NOT NULL,
        position    INTEGER NOT NULL,
        ref         TEXT NOT NULL,
        title       TEXT NOT NULL,
        status      TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, baseline, requirement)
    ) WITHOUT ROWID;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


class StoreVersionError(RuntimeError):
    """The store was written by a newer auditor with a schema this one does not know."""


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def checked_version(conn: sqlite3.Connection) -> int:
    """The store's schema version, refusing one from a newer auditor or a SQLite file of something else.

    Reads only: a reader calls it on a read-only connection before deciding
    whether the store needs ``migrate`` (which writes).
    """
    version = user_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"the store has schema version {version}; this auditor knows up to "
            f"{SCHEMA_VERSION} — upgrade auditor to use it"
        )
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise StoreVersionError("this SQLite file has tables but no auditor schema: it belongs to something else")
    return version


def migrate(conn: sqlite3.Connection) -> None:
    """Brings the store up to ``SCHEMA_VERSION``; ``conn`` must be in autocommit mode."""
    checked_version(conn)
    while user_version(conn) < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = user_version(conn)
            if version < SCHEMA_VERSION:
                for statement in _statements(MIGRATIONS[version]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """``executescript`` would commit the open transaction, so statements run one by one."""
    return [s.strip() for s in script.split(";") if s.strip()]
