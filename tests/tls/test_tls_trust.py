"""Trust as real clients decide it, against real ``openssl s_server`` endpoints, through the CLI.

The office's CA is made the way small offices make it: ``openssl req
-x509`` (no keyUsage) and leaves signed with ``openssl x509 -req`` without
an Authority Key Identifier.  curl and ``openssl verify`` accept that chain,
so the scanner must call it trusted (grade A) and raise only the
conformance warning.  A CA with the full RFC 5280 profile (trustme) gets no
warning; a certificate for another name is graded M.  The inventory names
the CA bundle by a relative path and is scanned from two folders: the
verdicts must not differ, and stderr (``--quiet``) must hold nothing but
the tool's own lines.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import trustme
import yaml

from auditor.demo.services import free_port

pytestmark = pytest.mark.probe

NETWORK = "127.121.0"
DOMAIN = "testowo.pl"
CA_CONFIG = """\
[req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
CN = Urząd Gminy Testowo - CA wewnętrzne
[v3_ca]
basicConstraints = critical, CA:true
subjectKeyIdentifier = hash
"""
"""What ``openssl req -x509`` writes with Debian's/RHEL's stock openssl.cnf: no keyUsage."""
LEAF_EXTENSIONS = "subjectAltName = DNS:{name}\nauthorityKeyIdentifier = none\nsubjectKeyIdentifier = none\n"
"""A leaf as OpenSSL < 3.2 signs it without an extension file of AKI: no authorityKeyIdentifier."""


def openssl(folder: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True, timeout=60)


def office_pki(folder: Path, names: list[str]) -> dict[str, tuple[Path, Path]]:
    """The office CA (``ca.pem``) and a leaf ``<name>.pem`` (chain) + key for each name."""
    folder.mkdir(parents=True)
    (folder / "ca.cnf").write_text(CA_CONFIG, encoding="utf-8")
    openssl(folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "3650", "-config", "ca.cnf", "-utf8")
    leaves = {}
    for name in names:
        (folder / f"{name}.cnf").write_text(LEAF_EXTENSIONS.format(name=name), encoding="utf-8")
        openssl(folder, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
                "-subj", f"/CN={name}")
        openssl(folder, "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "200", "-sha256", "-extfile", f"{name}.cnf", "-out", f"{name}.leaf.pem")
        chain = folder / f"{name}.pem"
        chain.write_bytes((folder / f"{name}.leaf.pem").read_bytes() + (folder / "ca.pem").read_bytes())
        leaves[name] = (chain, folder / f"{name}.key")
    return leaves


def proper_pki(folder: Path, leaves: dict[str, list[str]]) -> tuple[trustme.CA, dict[str, tuple[Path, Path]]]:
    """A CA with keyUsage, SKI and AKI on every certificate (trustme); label → (chain, key)."""
    ca = trustme.CA(organization_name="Starostwo Powiatowe Testowo")
    files = {}
    for label, names in leaves.items():
        cert = ca.issue_cert(*names)
        chain, key = folder / f"{label}.pem", folder / f"{label}.key"
        cert.private_key_and_cert_chain_pem.write_to_path(str(key))
        chain.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
        files[label] = (chain, key)
    return ca, files


@dataclass
class SServer:
    process: subprocess.Popen[bytes]
    address: str
    port: int


def s_server(address: str, chain: Path, key: Path) -> SServer:
    port = free_port(address)
    process = subprocess.Popen(
        ["openssl", "s_server", "-accept", f"{address}:{port}", "-cert", str(chain), "-key", str(key),
         "-cert_chain", str(chain), "-no_tls1", "-no_tls1_1", "-cipher", "ECDHE+AESGCM:ECDHE+CHACHA20",
         "-www", "-quiet"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection((address, port), timeout=1).close()
            return SServer(process, address, port)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"openssl s_server on {address}:{port} did not start")


@dataclass
class Office:
    inventory: Path
    elsewhere: Path


SITES = {  # host → (PKI, certificate label)
    f"bip.{DOMAIN}": ("office", f"bip.{DOMAIN}"),
    f"poczta.{DOMAIN}": ("office", f"poczta.{DOMAIN}"),
    f"www.{DOMAIN}": ("proper", "www"),
    f"ezd.{DOMAIN}": ("proper", "other-name"),
}


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    folder = tmp_path_factory.mktemp("gmina-testowo")
    office_leaves = office_pki(folder / "pki" / "office", [f"bip.{DOMAIN}", f"poczta.{DOMAIN}"])
    (folder / "pki" / "proper").mkdir()
    proper_ca, proper_leaves = proper_pki(folder / "pki" / "proper",
                                          {"www": [f"www.{DOMAIN}"], "other-name": [f"intranet.{DOMAIN}"]})
    bundle = folder / "pki" / "zaufane-ca.pem"
    bundle.write_bytes((folder / "pki" / "office" / "ca.pem").read_bytes() + proper_ca.cert_pem.bytes())
    servers, hosts = [], []
    for index, (host, (pki, label)) in enumerate(SITES.items(), start=1):
        chain, key = (office_leaves if pki == "office" else proper_leaves)[label]
        server = s_server(f"{NETWORK}.{index}", chain, key)
        servers.append(server)
        hosts.append({"name": host, "addresses": [server.address],
                      "ports": [{"port": server.port, "service": "https", "tls": "implicit"}]})
    inventory = folder / "inventory.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Testowo", "kind": "gmina"},
        "scope": {"cidrs": [f"{NETWORK}.0/24"], "domains": [DOMAIN]},
        "settings": {"timeout": 60, "tls_ca_file": "pki/zaufane-ca.pem"},
        "hosts": hosts,
    }, allow_unicode=True), encoding="utf-8")
    elsewhere = tmp_path_factory.mktemp("cron-home")
    try:
        yield Office(inventory, elsewhere)
    finally:
        for server in servers:
            server.process.kill()
            server.process.wait(timeout=10)


@dataclass
class CliScan:
    returncode: int
    stderr: str
    run: dict

    def finding(self, host: str, check_id: str) -> dict:
        [found] = [f for f in self.run["findings"] if f["target_id"] == f"host:{host}" and f["check_id"] == check_id]
        return found


def cli_scan(inventory: Path, cwd: Path, out: Path, *extra: str) -> CliScan:
    """``auditor scan`` in a child process, as cron runs it, from ``cwd``."""
    relative = os.path.relpath(inventory, cwd)
    done = subprocess.run([sys.executable, "-c", "from auditor.cli import main; main()", "scan", relative, "--only", "tls", "--quiet",
                           "--out", str(out), *extra],
                          cwd=cwd, capture_output=True, text=True, timeout=600)
    return CliScan(done.returncode, done.stderr, json.loads(out.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def scans(office: Office) -> tuple[CliScan, CliScan]:
    beside = cli_scan(office.inventory, office.inventory.parent, office.elsewhere / "beside.json")
    away = cli_scan(office.inventory, office.elsewhere, office.elsewhere / "away.json")
    return beside, away


def test_internal_ca_without_key_usage_is_trusted_and_graded_a(scans):
    scan = scans[1]
    for host in (f"bip.{DOMAIN}", f"poczta.{DOMAIN}"):
        assert scan.finding(host, "tls.cert.untrusted")["status"] == "pass"
        grade = scan.finding(host, "tls.grade")
        assert grade["status"] == "pass" and grade["facts"]["grade"] == "A", grade["message"]["en"]


def test_internal_ca_gets_the_conformance_warning_naming_the_defects(scans):
    found = scans[1].finding(f"bip.{DOMAIN}", "tls.cert.chain_conformance")
    assert found["status"] == "warn"
    assert set(found["facts"]["defects"]) == {"no_authority_key_id", "ca_no_key_usage"}
    message = found["message"]["pl"]
    assert "authorityKeyIdentifier" in message and "keyUsage" in message
    assert "2.5.29." not in message and "2.5.29." not in found["message"]["en"]  # never a bare OID


def test_proper_ca_gets_no_conformance_warning(scans):
    found = scans[1].finding(f"www.{DOMAIN}", "tls.cert.chain_conformance")
    assert found["status"] == "pass", found["message"]["en"]
    assert scans[1].finding(f"www.{DOMAIN}", "tls.grade")["facts"]["grade"] == "A"


def test_hostname_mismatch_is_graded_m_not_t(scans):
    scan = scans[1]
    assert scan.finding(f"ezd.{DOMAIN}", "tls.cert.hostname_mismatch")["status"] == "fail"
    assert scan.finding(f"ezd.{DOMAIN}", "tls.cert.untrusted")["status"] == "pass"
    grade = scan.finding(f"ezd.{DOMAIN}", "tls.grade")
    assert grade["status"] == "fail" and grade["facts"]["grade"] == "M"
    assert grade["facts"]["trust_issues"] == ["hostname_mismatch"]


def test_relative_ca_path_scans_identically_from_another_folder(scans):
    beside, away = scans

    def verdicts(scan: CliScan) -> set[tuple[str, str, str, str]]:
        return {(f["target_id"], f["check_id"], f["subject"], f["status"]) for f in scan.run["findings"]}

    assert verdicts(beside) == verdicts(away)
    assert not any(f["status"] == "error" for f in away.run["findings"])
    assert beside.returncode == away.returncode == 1  # the mismatch (high) fails --fail-on high; nothing else


def test_quiet_scan_writes_nothing_but_its_own_lines_to_stderr(scans):
    for scan in scans:
        assert "Warning" not in scan.stderr and "Traceback" not in scan.stderr, scan.stderr
        # its own lines: at most the threshold line saying why it exits 1 (a cron log needs that one)
        own = [line for line in scan.stderr.splitlines() if line.strip()]
        assert all(line.startswith(("próg: ", "threshold: ")) for line in own), scan.stderr
        assert (scan.returncode == 1) == bool(own), (scan.returncode, scan.stderr)


def test_all_error_scan_exits_3_and_says_nothing_was_checked(office: Office, tmp_path: Path):
    dead = tmp_path / "inventory.yaml"
    data = yaml.safe_load(office.inventory.read_text(encoding="utf-8"))
    data["settings"]["tls_ca_file"] = str(office.inventory.parent / "pki" / "zaufane-ca.pem")
    for host in data["hosts"]:
        host["ports"] = [{"port": free_port(host["addresses"][0]), "service": "https", "tls": "implicit"}]
    dead.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    scan = cli_scan(dead, tmp_path, tmp_path / "dead.json", "--fail-on", "none", "--lang", "en")
    assert scan.returncode == 3
    assert "NOTHING COULD BE CHECKED" in scan.stderr
    assert "family tls: nothing checked" in scan.stderr
    assert {f["status"] for f in scan.run["findings"]} == {"error"}


def test_missing_hsts_is_one_finding_when_tls_and_web_both_look(office: Office):
    from auditor.inventory import load_inventory
    from auditor.registry import default_registry
    from auditor.scan import ScanOptions, run_scan

    run = run_scan(load_inventory(office.inventory), default_registry(), ScanOptions(families={"tls", "web"}))
    host = f"host:www.{DOMAIN}"  # s_server -www sends no Strict-Transport-Security header
    mine = {f.check_id: f for f in run.findings if f.target_id == host}
    about_hsts = [f for f in mine.values() if f.failing and "HSTS" in f.message["en"] + f.check_id.upper()]
    assert [f.check_id for f in about_hsts] == ["web.hsts"]
    assert mine["tls.hsts.missing"].status.value == "not_applicable"
    assert "web.hsts" in mine["tls.hsts.missing"].message["pl"]
    assert mine["tls.profile.mozilla_intermediate"].status.value in ("pass", "not_applicable")
