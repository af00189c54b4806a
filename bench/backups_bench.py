"""Backups benchmark: real restic and borg repositories of a given size, probed and judged.

Builds a folder of ``--files`` files, a restic and a borg repository with
``--snapshots`` snapshots each (recorded one day apart), then prints the wall
time of one probe (snapshots + check), of one probe with the restore test,
the evidence size, and the time to judge ``--systems`` systems against it.
Not a test: numbers only.

    .venv/bin/python bench/backups_bench.py --files 2000 --snapshots 30
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from auditor.demo.parts.backups import restic, restic_backup
from auditor.engine import run_job, Job
from auditor.judge import judge
from auditor.model import Target
from auditor.plugin import JudgeContext, ProbeContext
from auditor.registry import default_registry
from auditor.scope import ScopeGuard

PASSWORD = "bench-password"


def build_data(folder: Path, files: int) -> None:
    for index in range(files):
        sub = folder / f"d{index % 20}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{index}.bin").write_bytes(os.urandom(2048 + index % 4096))


def build_restic(root: Path, data: Path, snapshots: int) -> Path:
    repository, password_file = root / "restic", root / "password"
    password_file.write_text(PASSWORD)
    restic(repository, password_file, "init")
    now = datetime.now(timezone.utc)
    for day in range(snapshots):
        restic_backup(repository, password_file, data, "sys0", now - timedelta(days=snapshots - day))
    return repository


def build_borg(root: Path, data: Path, snapshots: int) -> Path:
    repository = root / "borg"
    env = {**os.environ, "BORG_PASSPHRASE": PASSWORD}
    subprocess.run(["borg", "init", "-e", "repokey", str(repository)], env=env, check=True, capture_output=True)
    now = datetime.now(timezone.utc)
    for day in range(snapshots):
        stamp = (now - timedelta(days=snapshots - day)).strftime("%Y-%m-%dT%H:%M:%S")
        subprocess.run(["borg", "create", "--timestamp", stamp, f"{repository}::sys0-{day}", str(data)],
                       env=env, check=True, capture_output=True)
    return repository


def probe(kind: str, repository: Path, restore_test: bool) -> tuple[float, dict]:
    target = Target(id=f"{kind}:bench", kind=kind, name="bench",
                    attrs={"repository": str(repository), "systems": ["sys0"], "restore_sample": 5})
    ctx = ProbeContext(scope=ScopeGuard.from_lists(["127.0.0.0/8"]), timeout=600,
                       secrets={target.id: {"password": PASSWORD}}, options={"restore_test": restore_test},
                       now=datetime.now(timezone.utc))
    start = time.perf_counter()
    attempt = run_job(Job(default_registry().probes["backups"], target), ctx)
    assert attempt.completed, attempt.error
    return time.perf_counter() - start, attempt


def judge_time(attempt, target_kind: str, systems: int) -> float:
    from auditor.model import AttemptStatus, ProbeAttempt

    targets = [Target(id=f"{target_kind}:bench", kind=target_kind, name="bench", attrs={"systems": ["sys0"]})]
    attempts = [attempt]
    for index in range(systems):
        target = Target(id=f"system:sys{index}", kind="system", name=f"sys{index}")
        targets.append(target)
        attempts.append(ProbeAttempt("backup_system", target.id, AttemptStatus.COMPLETED,
                                     evidence={"system": f"sys{index}", "hosts": [], "rpo_hours": 24,
                                               "restore_test_months": 12, "retention_days": 30}))
    checks = default_registry().checks_of({"backups"})
    start = time.perf_counter()
    judge(checks, targets, attempts, JudgeContext(now=datetime.now(timezone.utc)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--snapshots", type=int, default=30)
    parser.add_argument("--systems", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="backups-bench-") as tmp:
        root = Path(tmp)
        os.environ["BORG_BASE_DIR"] = str(root / "borg-home")
        build_data(root / "data", args.files)
        start = time.perf_counter()
        repositories = {"restic": build_restic(root, root / "data", args.snapshots),
                        "borg": build_borg(root, root / "data", args.snapshots)}
        print(f"built {args.files} files x {args.snapshots} snapshots in both tools: {time.perf_counter() - start:.1f} s")
        for kind, repository in repositories.items():
            plain, attempt = probe(kind, repository, restore_test=False)
            with_restore, _ = probe(kind, repository, restore_test=True)
            size = len(json.dumps(attempt.evidence))
            print(f"{kind}: probe {plain:.2f} s, with restore test {with_restore:.2f} s, evidence {size / 1024:.1f} KiB, "
                  f"judge {args.systems} systems {judge_time(attempt, kind, args.systems) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
