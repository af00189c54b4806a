"""Real restic and borg repositories, built once per session in temporary folders."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

from backup_helpers import PASSWORD
from auditor.demo.parts.backups import restic, restic_backup
from auditor.inventory import load_inventory
from auditor.model import ScanRun
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan



@dataclass(frozen=True)
class Repo:
    path: Path
    data: Path
    password_file: Path


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def backup_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dane") / "ewidencja"
    (folder / "akta").mkdir(parents=True)
    for index in range(8):
        (folder / "akta" / f"sprawa-{index}.bin").write_bytes(os.urandom(4000 + index * 997))
    (folder / "mieszkancy.csv").write_text("pesel;nazwisko\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def data_snapshot(backup_data: Path) -> Callable[[], dict[str, bytes]]:
    """The backed-up folder's content, to prove a restore test never touched it."""
    return lambda: _files(backup_data)


@pytest.fixture(scope="session")
def password_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "password"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def restic_repo(tmp_path_factory: pytest.TempPathFactory, backup_data: Path, password_file: Path) -> Repo:
    """Snapshots of two systems: ``ewidencja`` three days old, ``kadry`` fresh."""
    path = tmp_path_factory.mktemp("restic") / "repo"
    restic(path, password_file, "init")
    restic_backup(path, password_file, backup_data, "ewidencja", datetime.now(timezone.utc) - timedelta(days=3))
    restic_backup(path, password_file, backup_data, "kadry")
    return Repo(path, backup_data, password_file)


def _largest_file(folder: Path) -> Path:
    largest = max((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
    largest.chmod(0o600)
    return largest


def _restic_copy(restic_repo: Repo, tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Repo, Path]:
    """A copy of the good repository and its largest pack file (the file data)."""
    path = tmp_path_factory.mktemp(name) / "repo"
    shutil.copytree(restic_repo.path, path)
    return Repo(path, restic_repo.data, restic_repo.password_file), _largest_file(path / "data")


@pytest.fixture(scope="session")
def corrupt_restic_repo(restic_repo: Repo, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """The largest pack truncated: ``restic check`` sees the wrong size."""
    repo, pack = _restic_copy(restic_repo, tmp_path_factory, "restic-truncated")
    with pack.open("r+b") as handle:
        handle.truncate(pack.stat().st_size - 100)
    return repo


@pytest.fixture(scope="session")
def damaged_restic_repo(restic_repo: Repo, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Bytes overwritten inside the largest pack: same size, damaged file contents."""
    repo, pack = _restic_copy(restic_repo, tmp_path_factory, "restic-damaged")
    with pack.open("r+b") as handle:
        handle.seek(pack.stat().st_size // 3)
        handle.write(b"\x00" * 256)
    return repo


@pytest.fixture(scope="session")
def borg_home(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """borg keeps caches and security data under BORG_BASE_DIR: a temporary one for the session."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BORG_BASE_DIR", str(tmp_path_factory.mktemp("borg-home")))
        yield


def borg(*args: str, password: str = PASSWORD) -> None:
    env = {**os.environ, "BORG_PASSPHRASE": password, "BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK": "yes"}
    subprocess.run(["borg", *args], env=env, check=True, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)


def _borg_repo(root: Path, data: Path, encryption: str) -> Path:
    path = root / "repo"
    borg("init", "-e", encryption, str(path))
    old = (datetime.now(timezone.utc) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%S")
    borg("create", "--timestamp", old, f"{path}::kadry-old", str(data))
    borg("create", f"{path}::kadry-new", str(data))
    return path


@pytest.fixture(scope="session")
def borg_repo(borg_home: None, tmp_path_factory: pytest.TempPathFactory, backup_data: Path, password_file: Path) -> Repo:
    """Encrypted (repokey): an archive seven days old and a fresh one."""
    return Repo(_borg_repo(tmp_path_factory.mktemp("borg"), backup_data, "repokey"), backup_data, password_file)


@pytest.fixture(scope="session")
def borg_plain_repo(borg_home: None, tmp_path_factory: pytest.TempPathFactory, backup_data: Path,
                    password_file: Path) -> Repo:
    return Repo(_borg_repo(tmp_path_factory.mktemp("borg-plain"), backup_data, "none"), backup_data, password_file)


@pytest.fixture(scope="session")
def corrupt_borg_repo(borg_home: None, tmp_path_factory: pytest.TempPathFactory, backup_data: Path,
                      password_file: Path) -> Repo:
    """An encrypted repository whose largest segment file has bytes overwritten in the middle."""
    path = _borg_repo(tmp_path_factory.mktemp("borg-corrupt"), backup_data, "repokey")
    segment = _largest_file(path / "data")
    with segment.open("r+b") as handle:
        handle.seek(segment.stat().st_size // 2)
        handle.write(b"\x00" * 64)
    return Repo(path, backup_data, password_file)


@pytest.fixture
def scan_backups(write_inventory: Callable[..., Path]) -> Callable[..., ScanRun]:
    """Scans an inventory with the given systems and sources, backups family only."""

    def scan(systems: list[dict[str, Any]], sources: list[dict[str, Any]], *, restore_test: bool = False,
             settings: dict[str, Any] | None = None) -> ScanRun:
        path = write_inventory(systems=systems, sources=sources,
                               settings={"timeout": 60, **(settings or {})})
        return run_scan(load_inventory(path), default_registry(),
                        ScanOptions(families={"backups"}, options={"restore_test": restore_test}))

    return scan
