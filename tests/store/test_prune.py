"""Retention keeps the newest snapshot per day / ISO week / month, per office; prune deletes the rest."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from click.testing import CliRunner

from auditor.cli import main
from auditor.store import SnapshotInfo, Store
from auditor.store.retention import keep_ids


def _snap(n: int, day: date, hour: int, series: str = "teryt:1") -> SnapshotInfo:
    started = datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)
    return SnapshotInfo(n, f"run{n}", series, "G", "", "", started, None, "t", False, {})


def _quarter(series: str = "teryt:1", start: int = 0) -> list[SnapshotInfo]:
    """Two snapshots a day (02:00 and 14:00) from 1 January to 31 March 2026."""
    days = [date(2026, 1, 1) + timedelta(days=d) for d in range(90)]
    return [_snap(start + 2 * i + k, day, (2, 14)[k], series) for i, day in enumerate(days) for k in (0, 1)]


def _days(snapshots, ids):
    return sorted(str(s.started.date()) + f"T{s.started.hour:02}" for s in snapshots if s.id in ids)


def test_keep_rules():
    snaps = _quarter()
    kept = keep_ids(snaps, daily=3, weekly=2, monthly=2, tz=timezone.utc)
    # days: 31, 30, 29 March; weeks: 14 (Tue 31 Mar), 13 (Sun 29 Mar); months: March, February (28th)
    assert _days(snaps, kept) == ["2026-02-28T14", "2026-03-29T14", "2026-03-30T14", "2026-03-31T14"]
    assert _days(snaps, keep_ids(snaps, weekly=3, tz=timezone.utc)) == [
        "2026-03-22T14", "2026-03-29T14", "2026-03-31T14"]
    assert keep_ids(snaps, tz=timezone.utc) == set()


def test_each_office_on_its_own():
    busy, quiet = _quarter("teryt:1"), _quarter("teryt:2", start=1000)[:10]
    kept = keep_ids(busy + quiet, daily=1, tz=timezone.utc)
    assert _days(busy + quiet, kept) == ["2026-01-05T14", "2026-03-31T14"]


def test_prune_command(store_path, make_run):
    with Store(store_path) as store:
        for day in range(40):
            store.save(make_run(day=day))
    runner = CliRunner()
    dry = runner.invoke(main, ["prune", "--store", str(store_path), "--keep-daily", "7", "--dry-run"])
    assert dry.exit_code == 0 and "do usunięcia 33 z 40 migawek, zostałoby 7" in dry.output
    assert runner.invoke(main, ["prune", "--store", str(store_path)]).exit_code == 2
    done = runner.invoke(main, ["prune", "--store", str(store_path), "--keep-daily", "7", "--keep-monthly", "3",
                                "--vacuum"])
    assert done.exit_code == 0, done.output
    with Store(store_path) as store:
        left = store.snapshots()
    # 7 newest days (7–13 February) plus the last snapshot of January
    assert [s.started.date().isoformat() for s in left] == ["2026-01-31"] + [f"2026-02-{d:02}" for d in range(7, 14)]
