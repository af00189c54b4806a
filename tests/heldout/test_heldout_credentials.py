"""Held-out default-credential cases (lead, written 2026-12-02 01:45 from the issue text and the
authorisation's ``credential_tests`` key only; the creds helper's tests and data were not read).

A real FTP server (pyftpdlib) standing in for the scan-to-FTP of a sekretariat's copier: the
classic ``admin``/``admin``.  Through the real CLI: found and reported without the password when the
authorisation allows FTP tests; not one connection when it does not.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

pyftpdlib = pytest.importorskip("pyftpdlib")
from pyftpdlib.authorizers import DummyAuthorizer  # noqa: E402
from pyftpdlib.handlers import FTPHandler  # noqa: E402
from pyftpdlib.servers import ThreadedFTPServer  # noqa: E402

from auditor.cli import main  # noqa: E402

ADDR = "127.0.0.1"
PASSWORD = "admin"


@pytest.fixture()
def copier_ftp(tmp_path: Path):
    home = tmp_path / "skany"
    home.mkdir()
    authorizer = DummyAuthorizer()
    authorizer.add_user("admin", PASSWORD, str(home), perm="elradfmw")
    connections: list[str] = []

    class Handler(FTPHandler):
        def on_connect(self):
            connections.append(self.remote_ip)

    Handler.authorizer = authorizer
    Handler.banner = "KONICA MINOLTA bizhub C258 FTP server ready."
    server = ThreadedFTPServer((ADDR, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.2}, daemon=True)
    thread.start()
    yield server.address[1], connections
    server.close_all()


def _scan(tmp_path: Path, port: int, credential_tests: list[str] | None) -> tuple[int, dict, str]:
    today = dt.date.today()
    authorisation = {
        "by": {"name": "Halina Wiśniewska", "role": "Burmistrz Miasta i Gminy Tłuszcz"},
        "document": "zarządzenie nr 118/2026 Burmistrza z dnia 27.11.2026 r. w sprawie audytu KRI",
        "window": {"start": (today - dt.timedelta(days=1)).isoformat(), "end": (today + dt.timedelta(days=1)).isoformat()},
        "auditor": {"name": "Marek Dąbrowski", "role": "audytor zewnętrzny"},
    }
    if credential_tests is not None:
        authorisation["credential_tests"] = credential_tests
    inventory = {
        "organisation": {"name": "Urząd Miasta i Gminy Tłuszcz", "kind": "gmina", "teryt": "1434074",
                         "entity_class": "important"},
        "scope": {"cidrs": ["127.0.0.1/32"], "domains": ["tluszcz.pl"]},
        "settings": {"timeout": 30},
        "hosts": [{"name": "skaner-sekretariat.tluszcz.pl", "addresses": [ADDR],
                   "ports": [{"port": port, "service": "ftp"}]}],
        "extensions": {"authorisation": authorisation},
    }
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(inventory, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "run.json"
    result = CliRunner().invoke(main, ["scan", str(path), "--only", "credentials", "-o", str(out), "--fail-on", "none"])
    assert out.exists(), result.output
    return result.exit_code, json.loads(out.read_text(encoding="utf-8")), result.output


def test_the_copiers_default_ftp_login_is_found_and_the_password_is_nowhere(copier_ftp, tmp_path: Path):
    port, connections = copier_ftp
    _, run, output = _scan(tmp_path, port, ["ftp"])
    failing = [f for f in run["findings"] if f["check_id"].startswith("credentials") and f["status"] == "fail"]
    assert failing and all(f["severity"] == "critical" for f in failing), json.dumps(run["findings"], ensure_ascii=False)
    assert any("admin" in f["message"]["pl"] for f in failing)
    assert connections, "the FTP server was never asked"
    stored = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    # the password equals the user name here, so no value may sit under a password-like key, and no
    # text may pair the user with a password
    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v, key)
        else:
            yield key, value
    for key, value in walk(stored):
        assert not ("pass" in key.lower() or "hasł" in key.lower()) or value in (None, "", False, True), (key, value)
    for text in (json.dumps(stored, ensure_ascii=False), output):
        assert "admin:admin" not in text and "admin/admin" not in text

def test_without_permission_in_the_document_the_copier_gets_no_connection(copier_ftp, tmp_path: Path):
    port, connections = copier_ftp
    _, run, _ = _scan(tmp_path, port, None)
    assert connections == []
    statuses = {f["status"] for f in run["findings"] if f["check_id"].startswith("credentials")}
    assert "pass" not in statuses and "fail" not in statuses, statuses
