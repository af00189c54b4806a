"""Hostile evidence sources through the real documents and backups probes and the CLI.

Documents: a zip-bomb DOCX, a malformed PDF, a symlink loop and a huge file
beside one good document.  Backups: a restic repository opened with the
wrong password, given inline in the inventory; that password (and the one
read from the environment) must appear nowhere: not in the -vv log, the
terminal, the ScanRun, the store, or the HTML/SARIF/CSV/JSON reports.
"""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from hostile_cli import CliRun, auditor, scan, write_inventory

WRONG_PASSWORD = "Zle-Haslo-4f1c9e"
ENV_PASSWORD = "Inne-Haslo-z-Env-77b2"
RIGHT_PASSWORD = "Dobre-Haslo-0d3a"


def _zip_bomb(path: Path) -> None:
    """A DOCX whose document.xml inflates to 150 MiB of spaces (about 150 KiB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with docx.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(150):
                member.write(b" " * (1 << 20))


@pytest.fixture(scope="module")
def documents_run(tmp_path_factory) -> CliRun:
    base = tmp_path_factory.mktemp("docs")
    folder = base / "szbi"
    folder.mkdir()
    (folder / "Polityka bezpieczeństwa informacji.txt").write_text(
        "Polityka bezpieczeństwa informacji\nZatwierdzona zarządzeniem Wójta nr 12/2026 z dnia 2 stycznia 2026 r.\n"
        + "Niniejsza polityka określa zasady ochrony informacji w urzędzie gminy.\n" * 20, encoding="utf-8")
    _zip_bomb(folder / "Instrukcja zarządzania systemem.docx")
    (folder / "Plan ciągłości działania.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R" + os.urandom(4096))
    with open(folder / "Rejestr incydentów.pdf", "wb") as huge:  # sparse: 80 MiB on paper, nothing on disk
        huge.truncate(80 << 20)
    (folder / "petla").symlink_to(folder, target_is_directory=True)
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    inventory = write_inventory(base / "inventory.yaml", ["127.0.29.0/24"], timeout=20, sources=[
        {"type": "documents", "name": "szbi", "path": "szbi", "max_file_mb": 50, "file_timeout_s": 10}])
    return scan(inventory, "documents")


def _file_errors(result: CliRun) -> dict[str, str]:
    attempt = next(a for a in result.run.attempts if a.probe == "documents")
    assert attempt.completed, attempt.error
    files = attempt.evidence["files"]
    return {Path(f["path"]).name: (f.get("error") or {}).get("reason", "") for f in files}


@pytest.mark.parametrize(("name", "label", "reason"), [
    ("Instrukcja zarządzania systemem.docx", "zip-bomb DOCX (150 MiB inflated)", "zip_bomb"),
    ("Plan ciągłości działania.pdf", "malformed PDF", "malformed"),
    ("Rejestr incydentów.pdf", "80 MiB file over max_file_mb", "too_large"),
])
def test_unreadable_file_is_an_error_fact_not_a_failed_probe(documents_run, record_case, name, label, reason) -> None:
    attempt = next(a for a in documents_run.run.attempts if a.probe == "documents")
    with record_case(f"documents: {label}") as outcome:
        errors = _file_errors(documents_run)
        outcome.seconds = attempt.duration_s
        outcome.append(f"file error {errors.get(name)}; doc.unreadable "
                       + "/".join(sorted(documents_run.statuses("doc.unreadable"))))
    assert errors.get(name) == reason, errors
    assert documents_run.statuses("doc.unreadable") == {"manual"}


def test_symlink_loop_is_not_followed_and_good_file_is_read(documents_run, record_case) -> None:
    with record_case("documents: symlink loops (folder and files)") as outcome:
        errors = _file_errors(documents_run)
        outcome.seconds = next(a for a in documents_run.run.attempts if a.probe == "documents").duration_s
        outcome.append(f"{len(errors)} files recorded: {', '.join(sorted(errors))}")
    assert "petla" not in str(errors) and "a.txt" not in errors and "b.txt" not in errors
    assert errors["Polityka bezpieczeństwa informacji.txt"] == ""


@pytest.fixture(scope="module")
def backups_run(tmp_path_factory) -> tuple[CliRun, Path]:
    base = tmp_path_factory.mktemp("backups")
    data = base / "dane"
    data.mkdir()
    (data / "ewidencja.csv").write_text("id;nazwa\n1;Kowalski\n", encoding="utf-8")
    env = {**os.environ, "RESTIC_PASSWORD": RIGHT_PASSWORD, "RESTIC_CACHE_DIR": str(base / "cache")}
    for repo in ("repo-inline", "repo-env"):
        subprocess.run(["restic", "init", "--repo", str(base / repo)], env=env, check=True, capture_output=True)
        subprocess.run(["restic", "backup", "--repo", str(base / repo), str(data)], env=env, check=True,
                       capture_output=True)
    inventory = write_inventory(base / "inventory.yaml", ["127.0.29.0/24"], timeout=30, sources=[
        {"type": "restic", "name": "kopie-inline", "repository": "repo-inline", "password": WRONG_PASSWORD},
        {"type": "restic", "name": "kopie-env", "repository": "repo-env", "password_env": "HOSTILE_RESTIC_PASS"},
    ])
    run_env = {**os.environ, "HOSTILE_RESTIC_PASS": ENV_PASSWORD, "COLUMNS": "1000"}
    result = scan(inventory, "backups", extra=("--store", str(base / "store.db")), env=run_env)
    return result, base


@pytest.mark.parametrize("source", ["kopie-inline", "kopie-env"])
def test_wrong_password_is_an_error_finding(backups_run, record_case, source) -> None:
    result, _ = backups_run
    target = f"restic:{source}"
    attempt = next(a for a in result.run.attempts if a.target_id == target)
    with record_case(f"backups: restic wrong password ({source})") as outcome:
        statuses = result.statuses("backup.", target)
        outcome.seconds = attempt.duration_s
        outcome.append(f"{attempt.status.value} {attempt.error_reason or ''}; findings {'/'.join(sorted(statuses))}")
    assert statuses == {"error"}, statuses
    assert "wrong password" in (attempt.error or ""), attempt.error


def test_no_password_anywhere(backups_run, record_case, tmp_path) -> None:
    result, base = backups_run
    run_json = base / "inventory.run.json"
    with record_case("backups: passwords in log/terminal/run/store/reports") as outcome:
        places = {"stdout": result.stdout, "stderr -vv": result.stderr, "ScanRun": run_json.read_text(),
                  "store": (base / "store.db").read_bytes().decode("latin-1")}
        for fmt in ("html", "sarif", "csv", "json"):
            out = tmp_path / f"report.{fmt}"
            done = auditor("report", str(run_json), "--format", fmt, "-o", str(out), cwd=tmp_path)
            assert done.returncode == 0, done.stderr
            places[fmt] = out.read_text(encoding="utf-8") + done.stdout + done.stderr
        leaks = [(where, secret) for where, text in places.items()
                 for secret in (WRONG_PASSWORD, ENV_PASSWORD) if secret in text]
        outcome.append(f"{len(places)} places searched, {len(leaks)} leaks")
    assert "DEBUG" in result.stderr  # -vv really logged
    assert leaks == []
