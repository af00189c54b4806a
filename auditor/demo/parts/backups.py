"""Lab backups: a restic repository with one stale and one fresh system, plus a register.

Folders under ``<workdir>/backups``; no network addresses.  ``ewidencja``'s
newest snapshot is three days old (RPO 24 h → ``backup.stale``), ``kadry``
is fresh; both sit on the scanning machine (``backup.not_separated``).  The
register adds a Veeam job whose tape leaves the building unencrypted and
whose last restore test is two years old; ``bip`` has no backup at all.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from auditor.demo.lab import LabPart

DEMO_PASSWORD_FILE = "restic-password"


def restic(repository: Path, password_file: Path, *args: str) -> None:
    """Runs restic on a lab repository (password by file, never on the command line)."""
    env = {**os.environ, "RESTIC_PASSWORD_FILE": str(password_file)}
    subprocess.run(["restic", "--repo", str(repository), "--quiet", *args], env=env, check=True,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=120)


def restic_backup(repository: Path, password_file: Path, folder: Path, tag: str, when: datetime | None = None) -> None:
    """One snapshot of ``folder`` tagged ``tag``, recorded at ``when`` (UTC) when given."""
    extra = ["--time", when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")] if when else []
    restic(repository, password_file, "backup", "--tag", tag, *extra, str(folder))


def _data(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _register(now: datetime) -> dict:
    return {"backups": [{
        "system": "poczta",
        "scope": "skrzynki pocztowe (Exchange)",
        "tool": "Veeam Backup & Replication",
        "schedule": "codziennie 22:00",
        "last_success": (now - timedelta(hours=10)).isoformat(timespec="seconds"),
        "retention_days": 90,
        "copies": [
            {"location": "NAS Synology w serwerowni", "site": "urząd", "medium": "nas", "encrypted": True},
            {"location": "taśma LTO-8 w sejfie starostwa", "site": "starostwo", "medium": "tape", "offsite": True,
             "offline": True, "encrypted": False},
        ],
        "restore_test": {"date": (now - timedelta(days=730)).date().isoformat(), "result": "passed",
                         "by": "Jan Kowalski"},
    }]}


def start(workdir: Path) -> LabPart:
    root = workdir / "backups"
    root.mkdir(parents=True, exist_ok=True)
    repository = root / "restic-repo"
    password_file = root / DEMO_PASSWORD_FILE
    if not repository.exists():
        password_file.write_text("demo-haslo-kopii\n", encoding="utf-8")
        password_file.chmod(0o600)
        restic(repository, password_file, "init")
        now = datetime.now(timezone.utc)
        ewidencja = _data(root / "dane" / "ewidencja", {"mieszkancy.csv": "pesel;nazwisko\n", "umowy.txt": "umowy\n"})
        kadry = _data(root / "dane" / "kadry", {"pracownicy.csv": "id;nazwisko\n", "urlopy.txt": "urlopy\n"})
        restic_backup(repository, password_file, ewidencja, "ewidencja", now - timedelta(days=3))
        restic_backup(repository, password_file, kadry, "kadry")
        (root / "rejestr-kopii.yaml").write_text(
            "# Rejestr kopii zapasowych (demo) — format: docs/backups.md\n"
            + yaml.safe_dump(_register(now), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return LabPart(
        systems=[
            {"name": "ewidencja", "description": "ewidencja ludności", "rpo_hours": 24},
            {"name": "kadry", "description": "kadry i płace", "rpo_hours": 24, "retention_days": 30},
            {"name": "poczta", "rpo_hours": 24},
            {"name": "bip", "description": "Biuletyn Informacji Publicznej", "rpo_hours": 48},
        ],
        sources=[
            {"type": "restic", "name": "kopie-restic", "repository": str(repository),
             "password_file": str(password_file), "systems": ["ewidencja", "kadry"], "site": "urząd"},
            {"type": "backup_register", "name": "rejestr-kopii", "file": str(root / "rejestr-kopii.yaml")},
        ],
    )
