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

Both are ``StoreError`` (exit code 2, a bad input file).  The texts are
bilingual like every text a reader sees: Polish first, English on request.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from auditor.errors import InputError

#: What can be wrong with one snapshot (keys of ``_WHAT``).
BODY_UNREADABLE, BODY_MISSING, NOT_ZLIB, NOT_JSON, NOT_SCANRUN, METADATA = (
    "body_unreadable", "body_missing", "not_zlib", "not_json", "not_scanrun", "metadata")

_WHAT: dict[str, dict[str, str]] = {
    "pl": {
        BODY_UNREADABLE: "zapisanego przebiegu nie da się odczytać z pliku bazy",
        BODY_MISSING: "brak zapisanego przebiegu",
        NOT_ZLIB: "zapisany przebieg nie daje się rozpakować (zlib)",
        NOT_JSON: "rozpakowany przebieg nie jest poprawnym JSON-em",
        NOT_SCANRUN: "zapisany przebieg nie ma układu ScanRun",
        METADATA: "jej wiersz w tabeli snapshots jest nieczytelny",
    },
    "en": {
        BODY_UNREADABLE: "its stored run cannot be read from the database file",
        BODY_MISSING: "its stored run is missing",
        NOT_ZLIB: "its stored run does not decompress (zlib)",
        NOT_JSON: "its decompressed run is not valid JSON",
        NOT_SCANRUN: "its stored run is not a ScanRun",
        METADATA: "its row in the snapshots table cannot be read",
    },
}

_TEXT: dict[str, dict[str, str]] = {
    "pl": {
        "snapshot": "migawka #{id} w magazynie {path} jest uszkodzona: {what} ({detail}); pozostałe migawki "
                    "są czytelne — sprawdź magazyn: auditor store check --store {path}",
        "store": "magazyn {path} jest uszkodzony i nie da się go odczytać ({detail}); przywróć kopię zapasową "
                 "(sprawdzenie: auditor store check --store {path})",
        "not_database": "plik {path} nie jest czytelnym magazynem auditor ({detail}): to inny plik albo jego "
                        "nagłówek jest zniszczony",
        "marker": "USZKODZONA",
    },
    "en": {
        "snapshot": "snapshot #{id} in the store {path} is damaged: {what} ({detail}); the other snapshots "
                    "are readable — check the store: auditor store check --store {path}",
        "store": "the store {path} is damaged and cannot be read ({detail}); restore it from a backup "
                 "(to check: auditor store check --store {path})",
        "not_database": "{path} is not a readable auditor store ({detail}): another kind of file, or its "
                        "header is wrecked",
        "marker": "DAMAGED",
    },
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

    def text(self, path: Path | str, lang: str = "pl") -> str:
        words = _TEXT.get(lang, _TEXT["pl"])
        return words["snapshot"].format(id=self.snapshot_id, path=path, what=_WHAT[lang][self.problem],
                                        detail=self.detail)

    def what(self, lang: str = "pl") -> str:
        return _WHAT.get(lang, _WHAT["pl"])[self.problem]

    def to_dict(self) -> dict[str, object]:
        return {"problem": self.problem, "what": self.what("en"), "detail": self.detail}


def damage(snapshot_id: int, problem: str, detail: object) -> Damage:
    return Damage(snapshot_id, problem, _short(detail))


def marker(lang: str) -> str:
    """The word ``history`` puts beside a damaged snapshot."""
    return _TEXT.get(lang, _TEXT["pl"])["marker"]


class StoreError(InputError):
    """The store cannot be opened or does not hold what was asked for (exit code 2)."""

    def text(self, lang: str = "pl") -> str:
        """The message in ``lang``; plain store errors have one (English) text."""
        return str(self)


class DamagedSnapshot(StoreError):
    """One snapshot cannot be read; the others can."""

    def __init__(self, path: Path | str, found: Damage):
        super().__init__(found.text(path))
        self.path, self.damage = path, found

    def text(self, lang: str = "pl") -> str:
        return self.damage.text(self.path, lang)


class DamagedStore(StoreError):
    """SQLite cannot read the store's structure: no snapshot in it can be trusted."""

    def __init__(self, path: Path | str, detail: object):
        self.path, self.detail = path, _short(detail)
        super().__init__(self.text())

    def text(self, lang: str = "pl") -> str:
        kind = "not_database" if "not a database" in self.detail else "store"
        return _TEXT.get(lang, _TEXT["pl"])[kind].format(path=self.path, detail=self.detail)


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
            raise StoreError(f"{path}: another process kept the store busy beyond the busy timeout ({exc})") from exc
        if is_access(exc):
            raise StoreError(f"{path}: the store cannot be read without write access to its folder ({exc}); "
                             "see docs/store.md, 'Read-only stores'") from exc
        raise DamagedStore(path, exc) from exc
