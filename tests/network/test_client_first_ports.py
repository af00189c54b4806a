"""HTTP and HTTPS ports skip nmap's NULL-probe wait, and nmap still names the same services and versions.

One host on loopback (127.126.20.1): a declared HTTP server with a Server
header, HTTPS from a real nginx (port 8443, HTTPS by inference), an SSH
greeting and an undeclared FTP banner.  The probe's evidence is compared,
port by port, with a stock ``nmap -sV`` run on the same ports (nmap's own
probe file, 6 s NULL-probe wait), and the HTTP(S) ports must be the ones
that went through the short-wait probe file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree

import pytest

from auditor.checks.network.probe import NULL_PROBE_WAIT_MS, NetworkProbe, fast_probes
from auditor.demo.certs import CertificateAuthority
from auditor.demo.nginx import RunningNginx, TlsSite
from auditor.demo.services import banner_service, ftp_reply, http_service
from auditor.inventory import load_inventory
from auditor.plugin import ProbeContext

pytestmark = pytest.mark.probe
ADDRESS = "127.126.20.1"
FIELDS = ("service", "product", "version")


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    if shutil.which("nmap") is None:
        pytest.skip("nmap not installed")
    folder = tmp_path_factory.mktemp("client-first")
    www = http_service("www", ADDRESS, 0, headers={"Server": "Apache/2.4.41 (Ubuntu)"})
    ssh = banner_service("ssh", ADDRESS, 0, b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n")
    ftp = banner_service("ftp", ADDRESS, 0, b"220 (vsFTPd 3.0.3)\r\n", ftp_reply)
    ca = CertificateAuthority(folder / "pki")
    https_port = 8443  # HTTPS by inference from the port
    nginx = RunningNginx(folder / "nginx", [TlsSite(ADDRESS, https_port, ca.issue("www", ["www.client-first.test"]))])
    try:
        yield {"http": www.port, "https": https_port, "ssh": ssh.port, "ftp": ftp.port, "folder": folder}
    finally:
        nginx.stop()
        for service in (www, ssh, ftp):
            service.stop()


def _stock(ports: list[int]) -> dict[int, tuple[str, ...]]:
    """What nmap with its own probe file says of each port."""
    done = subprocess.run(["nmap", "-sT", "-sV", "-Pn", "--version-intensity", "5", "--max-retries", "1", "-oX", "-",
                           "-p", ",".join(map(str, ports)), ADDRESS], capture_output=True, text=True, timeout=120)
    found = {}
    for port in ElementTree.fromstring(done.stdout).iter("port"):
        service = port.find("service")
        attributes = service.attrib if service is not None else {}
        found[int(port.get("portid", 0))] = (attributes.get("name", ""), attributes.get("product", ""),
                                             attributes.get("version", ""))
    return found


def test_fast_probe_file_changes_only_the_null_probe_wait() -> None:
    folder = fast_probes()
    assert folder is not None
    fast = (folder / "nmap-service-probes").read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    stock = Path("/usr/share/nmap/nmap-service-probes").read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    changed = [(a, b) for a, b in zip(stock, fast) if a != b]
    assert len(fast) == len(stock)
    assert changed == [("totalwaitms 6000", f"totalwaitms {NULL_PROBE_WAIT_MS}"),
                       ("tcpwrappedms 3000", f"tcpwrappedms {NULL_PROBE_WAIT_MS // 2}")]


def test_same_services_and_versions_as_stock_nmap(host: dict) -> None:
    inventory = host["folder"] / "inventory.yaml"
    inventory.write_text(
        "organisation: {name: Gmina Testowa, kind: gmina}\n"
        "scope: {cidrs: [127.126.20.0/24]}\n"
        "settings: {network_scan_risky_ports: false}\n"
        f"hosts:\n  - name: srv\n    addresses: [{ADDRESS}]\n"
        f"    ports: [{{port: {host['http']}, service: http}}, {host['https']}, "
        f"{{port: {host['ssh']}, service: ssh}}, {host['ftp']}]\n", encoding="utf-8")
    loaded = load_inventory(inventory)
    (target,) = [t for t in loaded.targets if t.kind == "host"]
    evidence = NetworkProbe().collect(target, ProbeContext(scope=loaded.scope, timeout=60, settings=loaded.settings))
    assert evidence["client_first_ports"] == sorted([host["http"], host["https"]])
    found = {p["port"]: tuple(p.get(field, "") for field in FIELDS) for p in evidence["hosts"][ADDRESS]["ports"]}
    expected = _stock([host[name] for name in ("http", "https", "ssh", "ftp")])
    assert found == expected
    assert found[host["http"]] == ("http", "Apache httpd", "2.4.41")
    assert found[host["https"]][0] == "http" and found[host["https"]][1] == "nginx"
