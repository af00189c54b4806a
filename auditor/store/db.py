"""The snapshot store: one SQLite file holding every ScanRun of one or many offices.

Why SQLite in WAL mode: readers (history, report) never block the nightly
writer, a snapshot is written in one ``BEGIN IMMEDIATE`` … ``COMMIT`` so a
kill at any moment leaves either the whole snapshot or none of it, and the
busy timeout makes a second concurrent writer wait instead of failing.
``synchronous=FULL`` because a snapshot is audit evidence and is written
once a night, not thousands of times a second.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import sqlite3
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Concatenate, Iterable, Iterator, ParamSpec, Sequence, TypeVar

from auditor.i18n import _
from auditor.model import ScanRun, SchemaVersionError, scan_run_from_dict, scan_run_to_dict, utcnow
from auditor.store.access import connect_reader, lenient_text
from auditor.store.damage import (BODY_MISSING, BODY_UNREADABLE, METADATA, NOT_JSON, NOT_SCANRUN, NOT_ZLIB, Damage,
                                  DamagedSnapshot, StoreError, damage, is_access, is_busy, read_errors)
from auditor.store.index import (FindingRow, RequirementRow, ScoreRow, counts, finding_rows, requirement_rows,
                                 score_rows, series_of)
from auditor.store.schema import SCHEMA_VERSION, StoreVersionError, checked_version, migrate

#: How long a writer waits for another writer before giving up (seconds).
DEFAULT_BUSY_TIMEOUT_S = 60.0
_ENCODING = "json+zlib"
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_CHUNK = 400
_RUN_ID_PREFIX = re.compile(r"[0-9a-fA-F-]{6,36}")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _time_text(moment: datetime) -> str:
    """UTC text with a fixed width, so text order is time order in SQL."""
    return moment.astimezone(timezone.utc).strftime(_TIME_FORMAT)


def _time_of(text: str | None) -> datetime | None:
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=timezone.utc) if text else None


@dataclass(frozen=True)
class SnapshotInfo:
    """A stored snapshot's metadata (one ``snapshots`` row), without the run itself."""

    id: int
    run_id: str
    series: str
    organisation: str
    inventory_sha256: str
    inventory_path: str
    started: datetime
    finished: datetime | None
    tool_version: str
    interrupted: bool
    counts: dict[str, dict[str, int]]
    damage: Damage | None = None
    """Set when the row itself cannot be read: the other fields are then only what could be salvaged."""

    @property
    def usable(self) -> bool:
        """A complete snapshot whose row can be trusted: the only kind compared, trended and rolled up."""
        return not self.interrupted and self.damage is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "run_id": self.run_id,
            "series": self.series,
            "organisation": self.organisation,
            "inventory_sha256": self.inventory_sha256,
            "inventory_path": self.inventory_path,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat() if self.finished else None,
            "tool_version": self.tool_version,
            "interrupted": self.interrupted,
            "counts": self.counts,
            "damaged": self.damage.to_dict() if self.damage else None,
        }


_INFO_COLUMNS = ("id, run_id, series, organisation, inventory_sha256, inventory_path, started, finished, "
                 "tool_version, interrupted, counts")


def _info(row: Sequence[Any]) -> SnapshotInfo:
    """A ``snapshots`` row; one whose bytes were damaged comes back marked, with what could be salvaged."""
    try:
        if any(isinstance(value, str) and "\ufffd" in value for value in row):
            raise ValueError("a text column holds bytes that are not UTF-8")
        if not (isinstance(row[0], int) and isinstance(row[1], str) and isinstance(row[9], int)):
            raise ValueError("id, run id or interrupted flag of the wrong kind")
        counts = json.loads(row[10])
        if not isinstance(counts, dict):
            raise ValueError("counts is not a mapping")
        return SnapshotInfo(
            id=row[0], run_id=row[1], series=row[2], organisation=row[3], inventory_sha256=row[4],
            inventory_path=row[5], started=_time_of(row[6]), finished=_time_of(row[7]), tool_version=row[8],
            interrupted=bool(row[9]), counts=counts,
        )
    except (ValueError, TypeError) as exc:
        return _salvaged(row, exc)


def _salvaged(row: Sequence[Any], exc: Exception) -> SnapshotInfo:
    snapshot_id = row[0] if isinstance(row[0], int) else -1
    try:
        started = _time_of(row[6]) or _EPOCH
    except (ValueError, TypeError):
        started = _EPOCH
    return SnapshotInfo(
        id=snapshot_id, run_id=str(row[1]), series=str(row[2]), organisation=str(row[3]),
        inventory_sha256=str(row[4]), inventory_path=str(row[5]), started=started, finished=None,
        tool_version=str(row[8]), interrupted=bool(row[9]) if isinstance(row[9], int) else False, counts={},
        damage=damage(snapshot_id, METADATA, exc),
    )


def _reading(method: Callable[Concatenate["Store", _P], _R]) -> Callable[Concatenate["Store", _P], _R]:
    """SQLite's reports of a damaged file, raised anywhere in a read, become ``DamagedStore`` (see ``damage``)."""
    @functools.wraps(method)
    def read(self: "Store", *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with read_errors(self.path):
            return method(self, *args, **kwargs)
    return read


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _retry_while_locked(action: Callable[[], object], timeout_s: float) -> None:
    """Runs ``action``, retrying while SQLite reports the database locked.

    Two processes creating the same store at once race to switch it to WAL
    and to create the schema; SQLite answers the loser "database is locked"
    at once, without calling the busy handler, so the wait is done here.
    """
    deadline = time.monotonic() + timeout_s
    delay = 0.01
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


class Store:
    """An open store.  Use as a context manager; one instance per thread.

    ``read_only=True`` is for every command that only reads (history, diff,
    report, fleet report, check): it writes nothing into or beside the file
    (see ``store.access``) and works on a store the reader cannot write.
    """

    def __init__(self, path: Path | str, *, create: bool = True, read_only: bool = False,
                 busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S):
        self.path = Path(path)
        if (read_only or not create) and not self.path.is_file():
            raise StoreError(f"no store at {self.path}")
        if read_only:
            self._conn = self._open_reader(busy_timeout_s)
            return
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, timeout=busy_timeout_s, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        self._conn.text_factory = lenient_text
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            _retry_while_locked(lambda: self._conn.execute("PRAGMA journal_mode = WAL"), busy_timeout_s)
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            _retry_while_locked(lambda: migrate(self._conn), busy_timeout_s)
        except StoreVersionError as exc:
            self._conn.close()
            raise StoreError(f"{self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            if is_access(exc):
                raise StoreError(_("{path}: the store is read-only ({problem}); saving into it needs write access "
                                   "to the file and its folder").format(path=self.path, problem=exc)) from exc
            with read_errors(self.path):
                raise

    def _open_reader(self, busy_timeout_s: float) -> sqlite3.Connection:
        """A connection that cannot write; a store that needs a migration is migrated first only if writable."""
        try:
            conn, read_only = connect_reader(self.path, busy_timeout_s)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        try:
            with read_errors(self.path):
                version = checked_version(conn)
        except StoreVersionError as exc:
            conn.close()
            raise StoreError(f"{self.path}: {exc}") from exc
        except StoreError:
            conn.close()
            raise
        if version == SCHEMA_VERSION:
            return conn
        conn.close()
        if read_only and version == 0:
            raise StoreError(_("{path} is empty: no auditor store in it yet").format(path=self.path))
        if read_only:
            raise StoreError(_(
                "{path} has store schema version {version}; this auditor reads version {known}. Upgrading it "
                "writes to the file, and the store is read-only: give it write access once (any auditor command "
                "then upgrades it) or work on a writable copy.").format(path=self.path, version=version,
                                                                        known=SCHEMA_VERSION))
        Store(self.path, create=False, busy_timeout_s=busy_timeout_s).close()  # the writer migrates
        return connect_reader(self.path, busy_timeout_s)[0]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------

    def save(self, run: ScanRun) -> SnapshotInfo:
        """Stores ``run`` as a new snapshot, all of it in one transaction."""
        body = zlib.compress(json.dumps(scan_run_to_dict(run), ensure_ascii=False, separators=(",", ":")).encode(), 6)
        rows = finding_rows(run.findings)
        scores = score_rows(run.scores)
        meta = run.meta
        with self._transaction():
            if self._conn.execute("SELECT 1 FROM snapshots WHERE run_id = ?", (meta.run_id,)).fetchone():
                raise StoreError(f"run {meta.run_id} is already in the store")
            cursor = self._conn.execute(
                "INSERT INTO snapshots (run_id, series, organisation, inventory_sha256, inventory_path, started, "
                "finished, tool_version, schema_version, interrupted, operator, hostname, stored, counts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (meta.run_id, series_of(run), str(run.organisation.get("name", "")), meta.inventory_sha256,
                 meta.inventory_path, _time_text(meta.started), _time_text(meta.finished) if meta.finished else None,
                 meta.tool_version, run.schema_version, int(meta.interrupted), meta.operator, meta.hostname,
                 _time_text(utcnow()), json.dumps(counts(run.findings))),
            )
            snapshot_id = int(cursor.lastrowid)
            self._conn.execute("INSERT INTO runs (snapshot_id, encoding, body) VALUES (?, ?, ?)",
                               (snapshot_id, _ENCODING, body))
            key_ids = self._key_ids(rows.values())
            self._conn.executemany(
                "INSERT INTO findings (snapshot_id, key_id, status, severity) VALUES (?, ?, ?, ?)",
                [(snapshot_id, key_ids[r.key], r.status, r.severity) for r in rows.values()],
            )
            self._conn.executemany(
                "INSERT INTO scores (snapshot_id, baseline, version, title, score, coverage, grade) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(snapshot_id, s.baseline, s.version, json.dumps(s.title, ensure_ascii=False), s.score, s.coverage,
                  s.grade) for s in scores.values()],
            )
            self._conn.executemany(
                "INSERT INTO requirements (snapshot_id, baseline, requirement, position, ref, title, status) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(snapshot_id, r.baseline, r.requirement, position, r.ref, json.dumps(r.title, ensure_ascii=False),
                  r.status) for position, r in enumerate(requirement_rows(run.scores))],
            )
        return self.get(snapshot_id)

    def _key_ids(self, rows: Iterable[FindingRow]) -> dict[str, int]:
        """Finding keys are stored once and shared by every snapshot that reports them."""
        rows = list(rows)
        self._conn.executemany(
            "INSERT OR IGNORE INTO finding_keys (key, check_id, target_id, subject) VALUES (?, ?, ?, ?)",
            [(r.key, r.check_id, r.target_id, r.subject) for r in rows],
        )
        ids: dict[str, int] = {}
        for chunk in _chunks([r.key for r in rows]):
            marks = ",".join("?" * len(chunk))
            ids.update((key, key_id) for key_id, key in
                       self._conn.execute(f"SELECT id, key FROM finding_keys WHERE key IN ({marks})", chunk))
        return ids

    def delete(self, snapshot_ids: Iterable[int]) -> int:
        """Removes snapshots (and their runs, findings and scores) in one transaction."""
        ids = list(snapshot_ids)
        with self._transaction():
            for chunk in _chunks(ids):
                self._conn.execute(f"DELETE FROM snapshots WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            self._conn.execute("DELETE FROM finding_keys WHERE id NOT IN (SELECT DISTINCT key_id FROM findings)")
        return len(ids)

    def vacuum(self) -> None:
        """Gives the space of deleted snapshots back to the file system."""
        self._conn.execute("VACUUM")
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` takes the write lock up front, so a busy store waits here, not mid-write."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: another process kept the store busy beyond the busy timeout ({exc})") from exc
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- reading ---------------------------------------------------------

    @_reading
    def snapshots(self, series: str | None = None, limit: int | None = None) -> list[SnapshotInfo]:
        """Snapshots oldest first (the newest ``limit`` of them when given)."""
        where, args = ("WHERE series = ?", [series]) if series else ("", [])
        query = f"SELECT {_INFO_COLUMNS} FROM snapshots {where} ORDER BY started DESC, id DESC"
        if limit:
            query += f" LIMIT {int(limit)}"
        return [_info(row) for row in reversed(self._conn.execute(query, args).fetchall())]

    @_reading
    def get(self, snapshot_id: int) -> SnapshotInfo:
        row = self._conn.execute(f"SELECT {_INFO_COLUMNS} FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
        if row is None:
            raise StoreError(f"no snapshot {snapshot_id} in {self.path}")
        return _info(row)

    @_reading
    def resolve(self, ref: str | int, series: str | None = None) -> SnapshotInfo:
        """A snapshot by ``latest``, numeric id, or run id (a unique prefix of at least 6 characters)."""
        text = str(ref).strip()
        if text == "latest":
            found = self.snapshots(series, limit=1)
            if not found:
                raise StoreError(f"the store {self.path} holds no snapshot yet")
            return found[0]
        if text.isdigit():
            return self.get(int(text))
        if _RUN_ID_PREFIX.fullmatch(text):
            rows = self._conn.execute(f"SELECT {_INFO_COLUMNS} FROM snapshots WHERE substr(run_id, 1, ?) = ? LIMIT 2",
                                      (len(text), text.lower())).fetchall()
            if len(rows) == 1:
                return _info(rows[0])
        raise StoreError(f"no single snapshot matches {text!r} (use an id from `auditor history`, a run id or 'latest')")

    @_reading
    def previous(self, info: SnapshotInfo) -> SnapshotInfo | None:
        """The last complete snapshot of the same office taken before ``info``.

        Interrupted runs are skipped: their missing findings would make the
        next run's failures look new.
        """
        rows = self._conn.execute(
            f"SELECT {_INFO_COLUMNS} FROM snapshots WHERE series = ? AND interrupted = 0 "
            "AND (started < ? OR (started = ? AND id < ?)) "
            "ORDER BY started DESC, id DESC",
            (info.series, _time_text(info.started), _time_text(info.started), info.id),
        )
        return next((found for found in map(_info, rows) if found.usable), None)

    @_reading
    def load(self, snapshot_id: int) -> ScanRun:
        """The full ScanRun of a snapshot, exactly as it was saved; ``DamagedSnapshot`` when it cannot be read."""
        try:
            data = json.loads(self._decompressed(snapshot_id))
        except ValueError as exc:
            raise DamagedSnapshot(self.path, damage(snapshot_id, NOT_JSON, exc)) from exc
        try:
            return scan_run_from_dict(data)
        except SchemaVersionError as exc:
            raise StoreError(f"snapshot {snapshot_id}: {exc}") from exc
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            raise DamagedSnapshot(self.path, damage(snapshot_id, NOT_SCANRUN, exc)) from exc

    @_reading
    def damaged_bodies(self, snapshot_ids: Iterable[int]) -> dict[int, Damage]:
        """The snapshots among ``snapshot_ids`` whose stored run cannot be read or does not decompress.

        zlib's checksum covers every byte of the run, so this finds a flipped
        byte or a wrecked page in a run at about 1 ms per snapshot, without
        parsing it (what only ``load`` and ``auditor store check`` do).
        """
        found: dict[int, Damage] = {}
        for snapshot_id in snapshot_ids:
            try:
                self._decompressed(snapshot_id)
            except DamagedSnapshot as exc:
                found[snapshot_id] = exc.damage
        return found

    def _decompressed(self, snapshot_id: int) -> bytes:
        try:
            row = self._conn.execute("SELECT encoding, body FROM runs WHERE snapshot_id = ?",
                                     (snapshot_id,)).fetchone()
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                raise
            raise DamagedSnapshot(self.path, damage(snapshot_id, BODY_UNREADABLE, exc)) from exc
        if row is None:
            self.get(snapshot_id)  # "no snapshot N" when there is none
            raise DamagedSnapshot(self.path, damage(snapshot_id, BODY_MISSING, "no row in the runs table"))
        encoding, body = row
        if encoding != _ENCODING:
            raise StoreError(f"snapshot {snapshot_id} uses encoding {encoding!r}, unknown to this auditor")
        try:
            return zlib.decompress(body)
        except (zlib.error, TypeError) as exc:
            raise DamagedSnapshot(self.path, damage(snapshot_id, NOT_ZLIB, exc)) from exc

    @_reading
    def integrity(self, quick: bool = False) -> list[str]:
        """SQLite's own check of every page and index (``PRAGMA integrity_check``/``quick_check``): ``["ok"]``
        when sound, else its problem lines."""
        pragma = "quick_check" if quick else "integrity_check"
        try:
            return [line for row in self._conn.execute(f"PRAGMA {pragma}") for line in str(row[0]).splitlines()
                    if not line.startswith("*** in database")]
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                raise
            return [str(exc)]

    @_reading
    def findings(self, snapshot_id: int) -> dict[str, FindingRow]:
        """The finding index of a snapshot, by ``Finding.key``."""
        query = ("SELECT k.key, k.check_id, k.target_id, k.subject, f.status, f.severity FROM findings f "
                 "JOIN finding_keys k ON k.id = f.key_id WHERE f.snapshot_id = ?")
        return {row[0]: FindingRow(*row) for row in self._conn.execute(query, (snapshot_id,))}

    @_reading
    def failing(self, snapshot_ids: Iterable[int]) -> dict[int, list[FindingRow]]:
        """Only the failing findings (``fail`` and ``warn``) of each snapshot asked for: all that a roll-up
        counts, and all that decides a new failure between two snapshots (see ``store.diff``)."""
        result: dict[int, list[FindingRow]] = {}
        for chunk in _chunks(list(snapshot_ids)):
            query = ("SELECT f.snapshot_id, k.key, k.check_id, k.target_id, k.subject, f.status, f.severity "
                     "FROM findings f JOIN finding_keys k ON k.id = f.key_id "
                     f"WHERE f.status IN ('fail', 'warn') AND f.snapshot_id IN ({','.join('?' * len(chunk))})")
            for sid, *row in self._conn.execute(query, chunk):
                result.setdefault(sid, []).append(FindingRow(*row))
        return result

    @_reading
    def scores(self, snapshot_ids: Iterable[int]) -> dict[int, dict[str, ScoreRow]]:
        """Scores per baseline of each snapshot asked for (snapshots without scores are absent)."""
        result: dict[int, dict[str, ScoreRow]] = {}
        for chunk in _chunks(list(snapshot_ids)):
            query = ("SELECT snapshot_id, baseline, version, title, score, coverage, grade FROM scores "
                     f"WHERE snapshot_id IN ({','.join('?' * len(chunk))}) ORDER BY baseline")
            for sid, baseline, version, title, score, coverage, grade in self._conn.execute(query, chunk):
                result.setdefault(sid, {})[baseline] = ScoreRow(baseline, version, json.loads(title), score,
                                                                coverage, grade)
        return result

    @_reading
    def requirements(self, snapshot_ids: Iterable[int]) -> dict[int, list[RequirementRow]]:
        """Requirement statuses of each snapshot asked for, read from the run when the index has none
        (snapshots stored before the index existed)."""
        wanted = list(snapshot_ids)
        result: dict[int, list[RequirementRow]] = {}
        titles: dict[str, dict[str, str]] = {}  # every office repeats the same few titles: parse each once
        for chunk in _chunks(wanted):
            query = ("SELECT snapshot_id, baseline, requirement, ref, title, status FROM requirements "
                     f"WHERE snapshot_id IN ({','.join('?' * len(chunk))}) ORDER BY snapshot_id, position")
            for sid, baseline, requirement, ref, title, status in self._conn.execute(query, chunk):
                parsed = titles.get(title)
                if parsed is None:
                    parsed = titles[title] = json.loads(title)
                result.setdefault(sid, []).append(RequirementRow(baseline, requirement, ref, parsed, status))
        for sid in wanted:
            if sid not in result:
                result[sid] = requirement_rows(self.load(sid).scores)
        return result


def load_snapshot(store_path: Path | str, snapshot: str | int = "latest") -> ScanRun:
    """The ScanRun of one stored snapshot (``latest``, an id or a run id), for ``auditor report``."""
    with Store(store_path, read_only=True) as store:
        return store.load(store.resolve(snapshot).id)
