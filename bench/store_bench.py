"""Store benchmark: a year of nightly snapshots of a 50-host office.

Fills a fresh store with 365 synthetic ScanRuns (50 hosts, 30 checks per
host, network evidence per host, three scored baselines with 60
requirements each; a few findings change every night), then times what a
scheduled job and the report do: ``history`` (the CLI table of all
snapshots), ``diff`` of the last two (CLI, JSON), the trend charts, loading
the latest run, and prints the store size.  Target: < 1 s each.

    python bench/store_bench.py [--days 365] [--hosts 50] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import main
from auditor.model import AttemptStatus, Finding, ProbeAttempt, RunMeta, ScanRun, Severity, Status, Target
from auditor.store import Store, trend_svgs

CHECKS = [f"fam{i // 6}.check{i}" for i in range(30)]
SEVERITIES = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.MEDIUM, Severity.LOW, Severity.INFO]


def office(hosts: int) -> tuple[tuple[Target, ...], tuple[ProbeAttempt, ...]]:
    targets = tuple(Target(id=f"host{n:02}.gmina.test", kind="host", name=f"host{n:02}.gmina.test",
                           addresses=(f"10.1.0.{n + 1}",), roles=("server",)) for n in range(hosts))
    attempts = tuple(
        ProbeAttempt(probe="network", target_id=t.id, status=AttemptStatus.COMPLETED, evidence={
            "scanner": "nmap", "ports_scanned": [22, 80, 443, 445, 3389],
            "hosts": {t.addresses[0]: {"state": "up", "ports": [
                {"port": p, "protocol": "tcp", "state": "open", "service": s, "product": "product", "version": "1.0"}
                for p, s in ((22, "ssh"), (80, "http"), (443, "https"))]}}})
        for t in targets)
    return targets, attempts


def findings_for(day: int, targets: tuple[Target, ...], rng: random.Random) -> tuple[Finding, ...]:
    """Most findings are stable; each night about 2 % flip between pass and fail."""
    found = []
    for t_index, target in enumerate(targets):
        for c_index, check in enumerate(CHECKS):
            failing = (t_index * 7 + c_index * 3) % 11 == 0
            if rng.random() < 0.02:
                failing = not failing
            severity = SEVERITIES[c_index % len(SEVERITIES)]
            status = Status.FAIL if failing else Status.PASS
            found.append(Finding(check, target.id, status, severity,
                                 {"pl": f"{check} na {target.name}: {status.value}",
                                  "en": f"{check} on {target.name}: {status.value}"},
                                 {"port": 443, "day": day}, "10.1.0.1:443/tcp" if c_index % 5 == 0 else ""))
    return tuple(found)


def scores_for(day: int, rng: random.Random) -> dict:
    return {b: {"baseline": b, "version": "2024", "title": {"pl": b.upper(), "en": b.upper()},
                "score": round(55 + day / 20 + rng.uniform(-3, 3), 1), "coverage": 0.55, "grade": "C",
                "counts": {"met": 20, "partial": 20, "not_met": 20},
                "requirements": {f"{b}.{r}": {"status": "partial", "ratio": 0.5, "checks": [{"id": CHECKS[r % 30]}]}
                                 for r in range(60)}}
            for b in ("kri", "nis2", "ksc")}


def fill(path: Path, days: int, hosts: int) -> float:
    rng = random.Random(365)
    targets, attempts = office(hosts)
    start = datetime(2025, 1, 1, 1, 30, tzinfo=timezone.utc)
    began = time.perf_counter()
    with Store(path) as store:
        for day in range(days):
            started = start + timedelta(days=day)
            run = ScanRun(
                meta=RunMeta(run_id=str(uuid.uuid4()), tool_version="bench", started=started,
                             finished=started + timedelta(minutes=20), inventory_sha256="0" * 64,
                             inventory_path="/etc/auditor/gmina.yaml"),
                organisation={"name": "Gmina Benchmarkowo", "teryt": "0201011"},
                targets=targets, attempts=attempts, findings=findings_for(day, targets, rng),
                scores=scores_for(day, rng))
            store.save(run)
    return time.perf_counter() - began


def timed(label: str, action, times: dict[str, float]) -> object:
    began = time.perf_counter()
    result = action()
    times[label] = time.perf_counter() - began
    return result


def bench_store(days: int = 365, hosts: int = 50, keep: Path | None = None) -> dict:
    """Fills a store, then times the queries; seconds per query, store size and chart facts."""
    folder = keep or Path(tempfile.mkdtemp(prefix="store-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.sqlite"
    path.unlink(missing_ok=True)
    filled = fill(path, days, hosts)
    times: dict[str, float] = {}
    runner = CliRunner()
    timed("history (CLI, all snapshots)", lambda: runner.invoke(main, ["history", "--store", str(path), "--limit", "0"]), times)
    timed("history (CLI, --json)", lambda: runner.invoke(main, ["history", "--store", str(path), "--limit", "0", "--json"]), times)
    timed("diff last two (CLI, terminal)", lambda: runner.invoke(main, ["diff", "--store", str(path)]), times)
    timed("diff last two (CLI, --json)", lambda: runner.invoke(main, ["diff", "--store", str(path), "--json"]), times)
    charts = timed("trend charts (trend_svgs)", lambda: trend_svgs(path), times)
    with Store(path) as store:
        timed("load latest ScanRun", lambda: store.load(store.resolve("latest").id), times)
    wal = path.with_name(path.name + "-wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    if not keep:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
    return {"days": days, "hosts": hosts, "findings_per_snapshot": hosts * len(CHECKS), "fill_s": filled,
            "queries_s": times, "charts": len(charts), "charts_kib": sum(len(s) for s in charts.values()) / 1024,
            "size_mib": size / 2**20}


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="Write the store into this folder and keep it.")
    args = parser.parse_args()
    r = bench_store(args.days, args.hosts, args.keep)
    print(f"{args.days} snapshots × {args.hosts} hosts × {len(CHECKS)} checks ({r['findings_per_snapshot']} findings each)")
    print(f"{'fill (all saves)':<34} {r['fill_s']:8.3f} s  ({1000 * r['fill_s'] / args.days:.1f} ms per snapshot)")
    for label, seconds in r["queries_s"].items():
        print(f"{label:<34} {seconds:8.3f} s")
    print(f"{'  charts / total SVG size':<34} {r['charts']:8d} / {r['charts_kib']:.0f} KiB")
    print(f"{'store size':<34} {r['size_mib']:8.1f} MiB  ({r['size_mib'] * 1024 / args.days:.0f} KiB per snapshot)")


if __name__ == "__main__":
    main_bench()
