"""A real Samba server (smbd) on loopback: SMBv1 and signing are judged from what it negotiates.

Three smbd processes differ in exactly one setting each from a hardened
one, so each verdict is shown to follow its own smb.conf parameter:

- ``hardened``: ``server min protocol = SMB2_10``, ``server signing = mandatory``
- ``smb1``:     the same with ``server min protocol = NT1`` (as on an old NAS)
- ``unsigned``: the same with ``server signing = auto`` (Samba's default for a file server)
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from auditor.demo.daemon import Daemon
from auditor.demo.samba import SambaSettings, start_samba
from auditor.demo.services import free_port
from auditor.model import Status

pytestmark = pytest.mark.probe

SERVERS = {
    "hardened": SambaSettings(min_protocol="SMB2_10", signing="mandatory"),
    "smb1": SambaSettings(min_protocol="NT1", signing="mandatory"),
    "unsigned": SambaSettings(min_protocol="SMB2_10", signing="auto"),
}


@pytest.fixture(scope="module")
def samba(tmp_path_factory: pytest.TempPathFactory, server_missing: Callable[[str | None], None]
          ) -> Iterator[dict[str, str]]:
    """``{label: "address:port"}`` of three running smbd processes."""
    server_missing(None if shutil.which("nmap") else "nmap is not installed")
    server_missing(None if shutil.which("smbd") or Path("/usr/sbin/smbd").exists() else "samba is not installed")
    running: list[Daemon] = []
    subjects: dict[str, str] = {}
    try:
        for index, (label, settings) in enumerate(SERVERS.items()):
            address = f"127.125.1.{index + 1}"
            running.append(start_samba(tmp_path_factory.mktemp(f"smb-{label}"), address, free_port(address), settings))
            subjects[label] = f"{address}:{running[-1].listens[0][1]}"
        yield subjects
    finally:
        for daemon in running:
            daemon.stop()


@pytest.fixture(scope="module")
def findings(samba: dict[str, str], tmp_path_factory: pytest.TempPathFactory,
             scan_servers: Callable[..., Any]) -> dict[tuple[str, str], Any]:
    return scan_servers(tmp_path_factory.mktemp("smb-scan"), "smb", samba)


def test_smb1_follows_server_min_protocol(findings: dict, samba: dict[str, str]) -> None:
    old = findings[("config.remote.smb1", samba["smb1"])]
    assert old.status is Status.FAIL
    assert old.facts["values"] == {"smb.smb1": True}
    for label in ("hardened", "unsigned"):
        finding = findings[("config.remote.smb1", samba[label])]
        assert finding.status is Status.PASS, (label, finding.message)
        assert finding.facts["values"] == {"smb.smb1": False}


def test_signing_follows_server_signing(findings: dict, samba: dict[str, str]) -> None:
    assert findings[("config.remote.smb_signing", samba["unsigned"])].status is Status.FAIL
    for label in ("hardened", "smb1"):
        finding = findings[("config.remote.smb_signing", samba[label])]
        assert finding.status is Status.PASS, (label, finding.message)
