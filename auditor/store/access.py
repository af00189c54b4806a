"""Opening a store for reading, without writing a byte beside or into it.

Reading a store (history, diff, report, fleet report, check) must work on
a copy the auditor was handed read-only: a file with mode 0444, a folder
the reader cannot write, a read-only mount, a backup.  A plain SQLite
connection fails there ("attempt to write a readonly database"): it
switches the journal mode, migrates, and a WAL-mode reader creates the
``-wal`` and ``-shm`` files beside the store.

So a reader never switches the journal mode, never migrates, and runs
under ``PRAGMA query_only``.  On a read-only store it opens the file with
``mode=ro`` and — when no writer's ``-wal`` is beside it — ``immutable=1``:
SQLite then reads the file as it is, takes no lock and creates no file.
Not on a writable store: ``immutable`` skips the locks that keep a reader
consistent while a scan writes, and it would not see snapshots still in a
``-wal``; there a reader shares the ``-wal``/``-shm`` files like any SQLite
reader (they are gone again when the last connection closes).

"Read-only" means what its owner said, not only what the kernel enforces:
no write bit on the file or on its folder counts, so root (whom permission
bits do not stop) treats a 0444 store as read-only too.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path


def sidecar(path: Path, suffix: str) -> Path:
    """``store.sqlite-wal`` / ``-shm`` / ``-journal``: the files SQLite keeps beside a database."""
    return path.with_name(path.name + suffix)


def read_only_location(path: Path) -> bool:
    """No write bit on the store or its folder, or this process may not write them (another owner, a read-only mount)."""
    for item in (path, path.parent):
        if not item.stat().st_mode & 0o222 or not os.access(item, os.W_OK):
            return True
    return False


def reader_uri(path: Path, read_only: bool) -> str:
    """A ``file:`` URI for SQLite: ``mode=ro`` on a read-only store, plus ``immutable`` when no writer's
    ``-wal`` is beside it; else an ordinary connection that will not create a missing file."""
    quoted = urllib.parse.quote(str(path.resolve()))
    if not read_only:
        return f"file:{quoted}?mode=rw"
    return f"file:{quoted}?mode=ro" + ("" if sidecar(path, "-wal").exists() else "&immutable=1")


def connect_reader(path: Path, busy_timeout_s: float) -> tuple[sqlite3.Connection, bool]:
    """(a connection that cannot write, whether the store is read-only) for ``path``.

    On a writable store the connection is an ordinary one made unable to
    write by ``query_only``: SQLite then shares the ``-wal``/``-shm`` files
    with a scan writing at the same moment and, as the last connection,
    removes them when it closes (a ``mode=ro`` connection would leave them).
    """
    read_only = read_only_location(path)
    conn = sqlite3.connect(reader_uri(path, read_only), uri=True, timeout=busy_timeout_s, isolation_level=None)
    conn.text_factory = lenient_text
    conn.execute("PRAGMA query_only = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
    return conn, read_only


def lenient_text(raw: bytes) -> str:
    """A damaged byte in one row's text must not fail the whole query (Python's default raises for the
    entire result): it becomes U+FFFD, which the row's validation then reports as damage."""
    return raw.decode("utf-8", "replace")
