"""Probes against real loopback services advertising old versions, and real inventory files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from auditor.demo.services import RunningService, banner_service, free_port, http_service
from auditor.inventory import load_inventory
from auditor.model import ScanRun, Severity, Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

pytestmark = pytest.mark.probe
ADDRESS = "127.0.0.1"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "packages"
WORDPRESS = b'<html><head><meta name="generator" content="WordPress 4.9.8" /></head><body>BIP</body></html>'
JOOMLA = b'<html><head><meta name="generator" content="Joomla! - Open Source Content Management" /></head></html>'


@pytest.fixture(scope="module")
def services() -> Iterator[dict[str, RunningService]]:
    started = {
        "old_apache": http_service("old-apache", ADDRESS, free_port(ADDRESS), headers={"Server": "Apache/2.2.15"},
                                   body=WORDPRESS),
        "joomla": http_service("joomla", ADDRESS, free_port(ADDRESS), headers={"Server": "nginx"}, body=JOOMLA,
                               routes={"/administrator/manifests/files/joomla.xml":
                                       (200, {}, b"<extension><version>4.2.7</version></extension>")}),
        "ssh": banner_service("ssh", ADDRESS, free_port(ADDRESS), b"SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1\r\n"),
    }
    yield started
    for service in started.values():
        service.stop()


@pytest.fixture(scope="module")
def scan(services: dict[str, RunningService], tmp_path_factory: pytest.TempPathFactory) -> ScanRun:
    folder = tmp_path_factory.mktemp("inventory")
    for name in ("debian11-dpkg-query.txt", "debian11-upgradable.txt"):
        shutil.copyfile(EXAMPLES / name, folder / name)
    import yaml

    document = {
        "organisation": {"name": "Gmina Testowa", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.0.0/8"], "domains": ["testowa.test"]},
        "settings": {"timeout": 20},
        "hosts": [
            {"name": "bip.testowa.test", "addresses": [ADDRESS], "ports": [
                {"port": services["old_apache"].port, "service": "http"},
                {"port": services["ssh"].port, "service": "ssh"}]},
            {"name": "www.testowa.test", "addresses": [ADDRESS], "ports": [{"port": services["joomla"].port, "service": "http"}]},
        ],
        "sources": [{"type": "packages", "name": "srv", "files": [
            {"path": "debian11-dpkg-query.txt", "format": "dpkg-query"},
            {"path": "debian11-upgradable.txt", "format": "apt-upgradable"}]}],
    }
    path = folder / "inventory.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return run_scan(load_inventory(path), default_registry(), ScanOptions(families={"patching"}, offline=True))


def findings(run: ScanRun, check_id: str, target_id: str) -> list[Any]:
    return [f for f in run.findings if f.check_id == check_id and f.target_id == target_id]


def test_software_probe_records_raw_facts(scan: ScanRun) -> None:
    attempt = next(a for a in scan.attempts if a.probe == "software" and a.target_id == "host:bip.testowa.test")
    assert attempt.completed, attempt.error
    assert attempt.evidence["http"][0]["headers"]["Server"].strip() == "Apache/2.2.15"
    assert attempt.evidence["http"][0]["generators"] == ["WordPress 4.9.8"]
    assert attempt.evidence["banners"][0]["banner"] == "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1"


def test_old_apache_banner_fails_eol_with_date_and_source(scan: ScanRun) -> None:
    [apache] = [f for f in findings(scan, "patch.eol", "host:bip.testowa.test") if "apache" in f.subject]
    assert apache.status is Status.FAIL and apache.severity is Severity.CRITICAL
    assert "2017-07-11" in apache.message["en"] and "endoflife.date" in apache.message["en"]


def test_wordpress_generator_is_outdated(scan: ScanRun) -> None:
    [cms] = findings(scan, "patch.outdated_cms", "host:bip.testowa.test")
    assert cms.status is Status.FAIL and cms.facts["version"] == "4.9.8"


def test_joomla_version_read_from_manifest_and_kev_matched(scan: ScanRun) -> None:
    kev = findings(scan, "patch.known_exploited", "host:www.testowa.test")
    assert any(f.status is Status.FAIL and f.facts["cve"] == "CVE-2023-23752" for f in kev)


def test_fake_ssh_banner_is_judged_by_backport_rules(scan: ScanRun) -> None:
    ssh = {f.facts["cve"]: f for f in findings(scan, "patch.known_vuln", "host:bip.testowa.test")
           if "openssh" in f.subject}
    assert ssh["CVE-2023-38408"].status is Status.FAIL  # Debian 11 fixed it in 1:8.4p1-5+deb11u2
    assert ssh["CVE-2023-48795"].status is Status.MANUAL  # no Debian 11 data shipped: for the auditor
    assert not any(f.status is Status.WARN for f in ssh.values())


def test_debian_inventory_kev_package_is_critical(scan: ScanRun) -> None:
    kev = findings(scan, "patch.known_exploited", "packages:srv")
    assert any(f.status is Status.FAIL and f.severity is Severity.CRITICAL and f.facts["cve"] == "CVE-2021-4034"
               for f in kev)
    [pending] = findings(scan, "patch.pending_updates", "packages:srv")
    assert pending.status is Status.FAIL and pending.facts["security_count"] == 3


def test_run_records_the_data_date(scan: ScanRun) -> None:
    assert scan.meta.data_versions["patching.eol"] == "endoflife.date 2026-08-22 (shipped)"
    assert "CISA KEV 2026.08.07" in scan.meta.data_versions["patching.kev"]


def test_malformed_inventory_is_bad_input(tmp_path: Path, write_inventory: Callable[..., Path]) -> None:
    (tmp_path / "broken.txt").write_text("no tabs here\n", encoding="utf-8")
    path = write_inventory(sources=[{"type": "packages", "name": "x",
                                     "files": [{"path": "broken.txt", "format": "dpkg-query"}]}])
    run = run_scan(load_inventory(path), default_registry(), ScanOptions(families={"patching"}))
    [attempt] = [a for a in run.attempts if a.probe == "packages"]
    assert attempt.error_reason is not None and attempt.error_reason.value == "bad_input"
    assert "line 1" in (attempt.error or "")
    assert all(f.status is Status.ERROR for f in run.findings)


@pytest.mark.skipif(shutil.which("nmap") is None, reason="nmap not installed")
def test_nmap_service_detection_alone_feeds_the_checks(tmp_path: Path, write_inventory: Callable[..., Path]) -> None:
    """An undeclared-service port: only the network probe (nmap -sV) sees the product."""
    smtp = banner_service("exim", ADDRESS, free_port(ADDRESS), b"220 mail.testowa.test ESMTP Exim 4.89 #2\r\n",
                          lambda data: None if data.strip().upper().startswith(b"QUIT") else b"250 OK\r\n")
    try:
        path = write_inventory(hosts=[{"name": "poczta.testowa.test", "addresses": [ADDRESS], "ports": [smtp.port]}])
        run = run_scan(load_inventory(path), default_registry(), ScanOptions(families={"network", "patching"}))
    finally:
        smtp.stop()
    probes = {a.probe: a for a in run.attempts}
    assert "software" not in probes and probes["network"].completed, probes
    kev = findings(run, "patch.known_exploited", "host:poczta.testowa.test")
    assert {f.facts.get("cve") for f in kev if f.status is Status.FAIL} >= {"CVE-2019-10149", "CVE-2018-6789"}
