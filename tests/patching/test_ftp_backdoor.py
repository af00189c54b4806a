"""Real nmap ``-sV`` (run by the network probe) against a listener greeting as vsftpd 2.3.4.

The 2011 backdoored release: the finding must be the known-exploited one,
critical, with the backdoor message — not only "FTP is cleartext".  A clean
vsftpd on the next port is the control: same product, no backdoor.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from auditor.demo.services import RunningService, banner_service, free_port, ftp_reply
from auditor.inventory import load_inventory
from auditor.model import ScanRun, Severity, Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

pytestmark = [pytest.mark.probe, pytest.mark.skipif(shutil.which("nmap") is None, reason="nmap not installed")]
ADDRESS = "127.122.0.21"


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScanRun]:
    backdoored = banner_service("vsftpd-2.3.4", ADDRESS, free_port(ADDRESS), b"220 (vsFTPd 2.3.4)\r\n", ftp_reply)
    clean = banner_service("vsftpd-3.0.3", ADDRESS, free_port(ADDRESS), b"220 (vsFTPd 3.0.3)\r\n", ftp_reply)
    services: list[RunningService] = [backdoored, clean]
    folder: Path = tmp_path_factory.mktemp("ftp")
    document = {
        "organisation": {"name": "Starostwo Powiatowe w Testowie", "kind": "powiat"},
        "scope": {"cidrs": [f"{ADDRESS}/32"], "domains": ["testowo.test"]},
        "settings": {"timeout": 60, "network_scan_risky_ports": False},
        "hosts": [{"name": "ftp.testowo.test", "addresses": [ADDRESS], "ports": [
            {"port": backdoored.port, "service": "ftp"}, {"port": clean.port, "service": "ftp"}]}],
    }
    path = folder / "inventory.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    try:
        yield run_scan(load_inventory(path), default_registry(),
                       ScanOptions(families={"network", "patching"}, offline=True))
    finally:
        for service in services:
            service.stop()


def test_nmap_names_the_product_and_version(scan: ScanRun) -> None:
    attempt = next(a for a in scan.attempts if a.probe == "network")
    assert attempt.completed, attempt.error
    ports = attempt.evidence["hosts"][ADDRESS]["ports"]
    assert {(p.get("product"), p.get("version")) for p in ports} == {("vsftpd", "2.3.4"), ("vsftpd", "3.0.3")}


def test_backdoored_release_is_a_critical_known_exploited_finding(scan: ScanRun) -> None:
    found = [f for f in scan.findings if f.check_id == "patch.known_exploited" and f.status is Status.FAIL]
    [backdoor] = found  # the clean 3.0.3 on the other port raises nothing
    assert backdoor.severity is Severity.CRITICAL and backdoor.facts["cve"] == "CVE-2011-2523"
    assert backdoor.facts["installed"] == "2.3.4" and backdoor.facts["exploited"] == "backdoor"
    assert "backdoor" in backdoor.message["en"] and "tylną furtkę" in backdoor.message["pl"]
