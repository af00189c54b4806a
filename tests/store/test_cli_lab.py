"""End to end through the CLI against a real loopback office: fix a weakness, see it fixed, regress, exit 1.

The office is one file server with SSH and a forgotten FTP service (both
``banner_service``, which nmap recognises from the greeting in well under a
second); nmap (the ``network`` family) finds the FTP.
"""

from __future__ import annotations

import json

import filelock
import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.demo.services import banner_service, ftp_reply
from auditor.store.jobs import lock_path

pytestmark = [pytest.mark.e2e, pytest.mark.probe]


@pytest.fixture
def office(loopback_address, port_on, write_inventory):
    """(inventory path, start_ftp) — SSH runs throughout; FTP is started and stopped by the test."""
    ssh_port, ftp_port = port_on(loopback_address), port_on(loopback_address)
    ssh = banner_service("ssh", loopback_address, ssh_port, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
    ftp = []
    inventory = write_inventory(
        hosts=[{"name": "pliki.testowa.test", "addresses": [loopback_address], "ports": [ssh_port, ftp_port]}],
        settings={"timeout": 30, "network_scan_risky_ports": False},
    )

    def start_ftp():
        ftp.append(banner_service("ftp", loopback_address, ftp_port, b"220 (vsFTPd 3.0.3)\r\n", ftp_reply))
        return ftp[-1]

    yield inventory, start_ftp
    ssh.stop()
    for service in ftp:
        service.stop()


def _cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_fixed_then_regressed(office, tmp_path):
    inventory, start_ftp = office
    store = tmp_path / "store.sqlite"
    scan = ("scan", inventory, "--only", "network", "--store", store, "--fail-on", "none", "-q")

    ftp = start_ftp()
    assert _cli(*scan, "--fail-on-regression").exit_code == 0  # first snapshot: nothing to regress from
    ftp.stop()
    assert _cli(*scan, "--fail-on-regression").exit_code == 0  # the FTP is gone: an improvement

    result = _cli("diff", "--store", store, "--json")
    assert result.exit_code == 0, result.output
    fixed = json.loads(result.output)["fixed"]
    assert [(f["check_id"], f["before"]) for f in fixed] == [("network.risky_service", "fail")]
    assert fixed[0]["subject"].endswith("/tcp")
    text = _cli("diff", "--store", store, "--lang", "en")
    assert "Fixed (1)" in text.output and "network.risky_service" in text.output

    start_ftp()
    regressed = _cli(*scan, "--fail-on-regression")
    assert regressed.exit_code == 1
    assert "próg: nowe: niezgodne (wysoka): network.risky_service" in regressed.output

    history = json.loads(_cli("history", "--store", store, "--json").output)
    assert [h["counts"]["failing"].get("high", 0) for h in history] == [1, 0, 1]
    assert _cli("diff", "1", "2", "--store", store, "--fail-on-regression").exit_code == 0
    assert _cli("diff", "2", "3", "--store", store, "--fail-on-regression").exit_code == 1


def test_second_scan_waits_for_the_store_lock_then_gives_up(tmp_path, write_inventory):
    store = tmp_path / "store.sqlite"
    inventory = write_inventory()
    with filelock.FileLock(str(lock_path(store))):
        held = _cli("scan", inventory, "--store", store, "--lock-timeout", "0.2", "-q")
    assert held.exit_code == 3 and "inny skan trzyma" in held.output
    assert not store.exists()
    assert _cli("scan", inventory, "--store", store, "--lock-timeout", "0", "-q").exit_code == 0
    assert _cli("scan", inventory, "--fail-on-regression", "-q").exit_code == 2  # needs --store
