"""The network family against real listeners on loopback, scanned by real nmap."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from auditor.demo.services import banner_service, free_port, ftp_reply, http_service
from auditor.inventory import load_inventory
from auditor.model import Severity, Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

pytestmark = pytest.mark.probe


@pytest.fixture(scope="module")
def office():
    """One host with a declared web server and an undeclared FTP service."""
    address = "127.0.21.10"
    www = http_service("www", address, 0, headers={"Server": "nginx"})
    ftp = banner_service("ftp", address, 0, b"220 (vsFTPd 3.0.3)\r\n", ftp_reply)
    closed = free_port(address)
    yield address, www, ftp, closed
    www.stop()
    ftp.stop()


@pytest.fixture(scope="module")
def scanned(office, tmp_path_factory):
    import yaml

    address, www, ftp, closed = office
    path = tmp_path_factory.mktemp("net") / "inventory.yaml"
    path.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Testowa", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.21.0/24"]},
        "settings": {"timeout": 60, "network_scan_risky_ports": False, "network_extra_ports": [ftp.port]},
        "hosts": [{"name": "srv", "addresses": [address], "ports": [www.port, closed]}],
    }))
    return run_scan(load_inventory(path), default_registry(), ScanOptions(families={"network"}))


def test_evidence_records_open_and_closed_ports_with_service_versions(scanned, office) -> None:
    address, www, ftp, closed = office
    (attempt,) = scanned.attempts
    assert attempt.completed, attempt.error
    ports = {p["port"]: p for p in attempt.evidence["hosts"][address]["ports"]}
    assert ports[www.port]["state"] == "open" and ports[www.port]["service"] == "http"
    assert (ports[ftp.port]["service"], ports[ftp.port]["product"], ports[ftp.port]["version"]) == ("ftp", "vsftpd", "3.0.3")
    assert ports[closed]["state"] == "closed"


def test_ftp_is_a_failing_risky_service_and_undeclared(scanned, office) -> None:
    address, www, ftp, closed = office
    by_check = {}
    for finding in scanned.findings:
        by_check.setdefault(finding.check_id, []).append(finding)
    (risky,) = by_check["network.risky_service"]
    assert (risky.status, risky.severity, risky.subject) == (Status.FAIL, Severity.HIGH, f"{address}:{ftp.port}/tcp")
    assert "vsftpd 3.0.3" in risky.message["en"] and "FTP" in risky.message["pl"]
    (undeclared,) = by_check["network.undeclared_port"]
    assert undeclared.status is Status.WARN and undeclared.facts["port"] == ftp.port


def test_nothing_listening_gives_passes_not_errors(tmp_path) -> None:
    import yaml

    address = "127.0.21.20"
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Testowa", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.21.0/24"]},
        "settings": {"timeout": 30, "network_scan_risky_ports": False},
        "hosts": [{"name": "quiet", "addresses": [address], "ports": [free_port(address)]}],
    }))
    run = run_scan(load_inventory(path), default_registry(), ScanOptions(families={"network"}))
    assert {f.check_id: f.status for f in run.findings} == {
        "network.risky_service": Status.PASS, "network.undeclared_port": Status.PASS}
    [undeclared] = [f for f in run.findings if f.check_id == "network.undeclared_port"]
    # it vouches only for what was scanned (here: just the one declared port), never for "every open port"
    assert undeclared.facts["scanned"] == 1 and undeclared.facts["others"] == 0
    assert "TCP ports scanned: 1 " in undeclared.message["en"] and "Other ports were not scanned" in undeclared.message["en"]
    assert "Pozostałych portów nie skanowano" in undeclared.message["pl"]
    assert run.meta.finished >= run.meta.started > datetime(2026, 1, 1, tzinfo=timezone.utc)
