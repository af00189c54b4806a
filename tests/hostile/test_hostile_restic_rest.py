"""restic's REST backend is confined to the checked address (issue 26, item 2).

restic follows HTTP redirects itself; before the fix an in-scope REST server
answering ``302`` sent restic to the decoy 9 times.  Now restic talks only to
a loopback relay that forwards to the checked address and refuses redirects.
Real restic, a real repository served over the REST protocol, a real decoy.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest

from auditor.demo.parts.backups import restic, restic_backup
from hostile_cli import scan, write_inventory
from rest_server import RestServer
from scope_lab import DECOY, IN_SCOPE, SCOPE, Decoy

PASSWORD = "Haslo-Kopii-REST-51!"


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rest")
    data = root / "dane"
    data.mkdir()
    (data / "uchwala.txt").write_text("Uchwała Rady Gminy nr 12/2026\n" * 50, encoding="utf-8")
    password_file = root / "haslo"
    password_file.write_text(PASSWORD, encoding="utf-8")
    restic(root / "repo", password_file, "init")
    restic_backup(root / "repo", password_file, data, "ewidencja", datetime.now(timezone.utc))
    return root / "repo"


@pytest.fixture
def decoy() -> Iterator[Decoy]:
    listener = Decoy()
    yield listener
    listener.close()


def _scan(tmp_path: Path, port: int, *extra: str):
    inventory = write_inventory(tmp_path / "inventory.yaml", [SCOPE], timeout=60, sources=[{
        "type": "restic", "name": "kopie-rest", "repository": f"rest:http://{IN_SCOPE}:{port}/gmina",
        "password_env": "AUDITOR_TEST_REST_PASSWORD"}])
    import os
    return scan(inventory, "backups", extra=extra, env={**os.environ, "AUDITOR_TEST_REST_PASSWORD": PASSWORD})


def test_a_redirecting_rest_repository_is_not_followed(repository, decoy, tmp_path, record_case) -> None:
    server = RestServer(repository, IN_SCOPE, redirect=f"http://{DECOY}:{decoy.port}")
    try:
        with record_case("restic REST repository redirecting out of scope") as outcome:
            result = scan_result = _scan(tmp_path, server.port, "--restore-test")
            attempt = next(a for a in scan_result.run.attempts if a.probe == "backups")
            outcome.append(f"{attempt.status.value}: {(attempt.error or '')[:70]}; decoy {decoy.total}")
        assert server.requests  # restic did reach the in-scope server (through the relay)
        assert decoy.total == 0
        assert attempt.status.value == "error" and "redirect" in attempt.error and "not followed" in attempt.error
        assert PASSWORD not in result.stdout + result.stderr + (tmp_path / "inventory.run.json").read_text()
    finally:
        server.close()


def test_a_rest_repository_in_scope_is_read_through_the_relay(repository, tmp_path, record_case) -> None:
    server = RestServer(repository, IN_SCOPE)
    try:
        with record_case("restic REST repository in scope (via relay)") as outcome:
            result = _scan(tmp_path, server.port, "--restore-test")
            attempt = next(a for a in result.run.attempts if a.probe == "backups")
            outcome.append(f"{attempt.status.value}; {len(attempt.evidence.get('snapshots', []) if attempt.evidence else [])} snapshot(s)")
        assert attempt.status.value == "completed", attempt.error
        assert [s["paths"] for s in attempt.evidence["snapshots"]]
        assert attempt.evidence["integrity"]["ok"] is True
        assert attempt.evidence["restore_tests"] and not attempt.evidence["restore_tests"][0]["problems"]
        assert any(r.startswith("GET /gmina/data/") for r in server.requests)
    finally:
        server.close()
