"""What a damaged store looks like to its reader: which snapshot, what is wrong, in the reader's language.

A store is a file on somebody's disk: a bad sector, a copy taken with
``cp`` while a scan wrote, or a stray editor can wreck a page or a single
stored run.  The reader must then learn *which* snapshot is lost and keep
the others, instead of a ``sqlite3.DatabaseError`` or ``zlib.error``
traceback.  Two levels:

- ``DamagedSnapshot``: one snapshot's stored run (or its row) cannot be
  read; every other snapshot still can.  Commands name it by id and go on
  with the rest where that makes sense (history, fleet report).
- ``DamagedStore``: SQLite cannot read the store's own structure (the list
  of snapshots, the index): nothing can be trusted; one line with the path.

Both are ``StoreError`` (exit code 2, a bad input file).  Their texts are
in the command's language (``auditor.i18n``; ``--json`` keeps English words).
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from auditor.errors import InputError
from auditor.i18n import N_, _

#: What can be wrong with one snapshot (keys of ``_WHAT``).
BODY_UNREADABLE, BODY_MISSING, NOT_ZLIB, NOT_JSON, NOT_SCANRUN, METADATA = (
    "body_unreadable", "body_missing", "not_zlib", "not_json", "not_scanrun", "metadata")

_WHAT: dict[str, str] = {
    BODY_UNREADABLE: N_("its stored run cannot be read from the database file"),
    BODY_MISSING: N_("its stored run is missing"),
    NOT_ZLIB: N_("its stored run does not decompress (zlib)"),
    NOT_JSON: N_("its decompressed run is not valid JSON"),
    NOT_SCANRUN: N_("its stored run is not a ScanRun"),
    METADATA: N_("its row in the snapshots table cannot be read"),
}


def _short(detail: object) -> str:
    """The library's own words, first line only: enough to search for, never a page of bytes."""
    text = str(detail).strip().splitlines()[0] if str(detail).strip() else type(detail).__name__
    return text[:160]


@dataclass(frozen=True)
class Damage:
    """One damaged snapshot: its id, what is wrong (a key of ``_WHAT``) and the library's message."""

    snapshot_id: int
    problem: str
    detail: str

    def what(self) -> str:
        """What is wrong, in the command's language."""
        return _(_WHAT[self.problem])

    def text(self, path: Path | str) -> str:
        """The one line a command prints for it, in the command's language."""
        return _("snapshot #{id} in the store {path} is damaged: {what} ({detail}); the other snapshots are "
                 "readable — check the store: auditor store check --store {path}").format(
            id=self.snapshot_id, path=path, what=self.what(), detail=self.detail)

    def to_dict(self) -> dict[str, object]:
        """For ``--json``: stable English words, whatever the language."""
        return {"problem": self.problem, "what": _WHAT[self.problem], "detail": self.detail}


def damage(snapshot_id: int, problem: str, detail: object) -> Damage:
    return Damage(snapshot_id, problem, _short(detail))


def marker() -> str:
    """The word ``history`` puts beside a damaged snapshot."""
    return _("DAMAGED")


class StoreError(InputError):
    """The store cannot be opened or does not hold what was asked for (exit code 2)."""


class DamagedSnapshot(StoreError):
    """One snapshot cannot be read; the others can."""

    def __init__(self, path: Path | str, found: Damage):
        super().__init__(found.text(path))
        self.path, self.damage = path, found


class DamagedStore(StoreError):
    """SQLite cannot read the store's structure: no snapshot in it can be trusted."""

    def __init__(self, path: Path | str, detail: object):
        self.path, self.detail = path, _short(detail)
        if "not a database" in self.detail:
            text = _("{path} is not a readable auditor store ({detail}): another kind of file, or its header "
                     "is wrecked")
        else:
            text = _("the store {path} is damaged and cannot be read ({detail}); restore it from a backup "
                     "(to check: auditor store check --store {path})")
        super().__init__(text.format(path=path, detail=self.detail))


def is_busy(exc: sqlite3.Error) -> bool:
    """A locked or busy store is not a damaged one (another process holds it)."""
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc) for w in ("locked", "busy"))


def is_access(exc: sqlite3.Error) -> bool:
    """SQLite could not open a file beside the store (``-wal``/``-shm``) or was refused a write: not damage."""
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc) for w in ("unable to open", "readonly"))


@contextlib.contextmanager
def read_errors(path: Path | str) -> Iterator[None]:
    """SQLite's damage reports (``database disk image is malformed``, ``file is not a database``) as
    ``DamagedStore``; a busy store as a plain ``StoreError`` saying so."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise StoreError(_("{path}: another process kept the store busy beyond the busy timeout ({problem})")
                             .format(path=path, problem=exc)) from exc
        if is_access(exc):
            raise StoreError(_("{path}: the store cannot be read without write access to its folder ({problem}); "
                               "see docs/store.md, 'Read-only stores'").format(path=path, problem=exc)) from exc
        raise DamagedStore(path, exc) from exc
