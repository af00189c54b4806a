"""The restore test: a sample of files restored into a scratch folder and verified.

Shared by restic and borg.  The scratch folder is a fresh temporary
directory that must not lie inside anything the snapshot backed up (so a
restore can never land on the original data), and it is removed whatever
happens; the evidence records that it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from auditor.plugin import ProbeContext, ProbeInputError

#: Files larger than this are not picked for the sample (bounded time and disk).
MAX_SAMPLE_FILE_BYTES = 64 * 1024 * 1024
#: Snapshot groups (host + paths) restore-tested per repository.
MAX_GROUPS = 5


def pick_sample(files: Sequence[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """Up to ``count`` files spread evenly over the sorted listing (deterministic)."""
    eligible = sorted((f for f in files if f.get("size", 0) <= MAX_SAMPLE_FILE_BYTES), key=lambda f: f["path"])
    if len(eligible) <= count:
        return eligible
    step = len(eligible) / count
    return [eligible[int(i * step)] for i in range(count)]


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


@contextlib.contextmanager
def scratch_dir(ctx: ProbeContext, protected: Sequence[str]) -> Iterator[Path]:
    """A temporary folder outside every ``protected`` path, removed on exit."""
    base = ctx.settings.get("restore_test_dir")
    path = Path(tempfile.mkdtemp(prefix="auditor-restore-", dir=base)).resolve()
    try:
        for original in protected:
            if _inside(path, Path(original).resolve()):
                raise ProbeInputError(f"restore scratch folder {path} lies inside backed-up path {original}; "
                                      "set settings.restore_test_dir to a folder outside the backed-up data")
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def verify_files(root: Path, sample: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Compares each restored file with the snapshot's size (and sha256 when the tool lists it)."""
    checked: list[dict[str, Any]] = []
    problems: list[str] = []
    for entry in sample:
        restored = root / entry["path"].lstrip("/")
        record: dict[str, Any] = {"path": entry["path"], "size": entry.get("size", 0), "verified": False}
        if not restored.is_file():
            problems.append(f"{entry['path']}: not restored")
        elif restored.stat().st_size != entry.get("size", 0):
            problems.append(f"{entry['path']}: size {restored.stat().st_size} != recorded {entry.get('size', 0)}")
        elif entry.get("sha256") and sha256_of(restored) != entry["sha256"]:
            problems.append(f"{entry['path']}: content hash differs from the archive's")
        else:
            record["verified"] = True
        checked.append(record)
    return checked, problems


def restore_record(snapshot: dict[str, Any], tested_at: datetime, method: str, files: list[dict[str, Any]],
                problems: list[str], scratch: Path) -> dict[str, Any]:
    """One restore test as evidence: what was restored, how it was verified, the outcome."""
    return {
        "snapshot": snapshot["id"],
        "snapshot_time": snapshot["time"],
        "hostname": snapshot.get("hostname"),
        "tags": snapshot.get("tags", []),
        "name": snapshot.get("name"),
        "tested_at": tested_at.isoformat(),
        "method": method,
        "result": "failed" if problems or not files else "passed",
        "files": files,
        "problems": problems[:20] or ([] if files else ["the snapshot holds no regular files to restore"]),
        "scratch": str(scratch),
        "by": "auditor",
    }


def restore_test(ctx: ProbeContext, protected: Sequence[str], restore: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """Runs ``restore(scratch)`` in a fresh scratch folder and records that the folder is gone afterwards."""
    with scratch_dir(ctx, protected) as scratch:
        record = restore(scratch)
    record["scratch_removed"] = not scratch.exists()
    return record
