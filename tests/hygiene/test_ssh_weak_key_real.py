"""Debian weak SSH host keys against real sshd servers on loopback.

One sshd presents a real key from the public Debian weak-key set (see
fixtures/ssh/README.md), one a freshly generated RSA 2048 key, one only
Ed25519.  The freshly generated key must not pass against the shipped
sample (it cannot prove absence), and must pass against a complete set.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from auditor.checks.hygiene.sshkeys import key_facts, weak_key_set
from auditor.demo.parts.config import sshd_unavailable, start_sshd
from auditor.demo.services import free_port
from auditor.inventory import load_inventory
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

pytestmark = pytest.mark.probe
WEAK, FRESH, MODERN = "127.0.28.20", "127.0.28.21", "127.0.28.22"
WEAK_KEY = Path(__file__).parent / "fixtures" / "ssh" / "debian-weak-rsa2048-le64-pid1000.key"


def _sshd(folder: Path, address: str, key: Path):
    config = folder / f"sshd-{address}.conf"
    config.write_text(f"HostKey {key}\nPidFile none\nPasswordAuthentication no\n", encoding="utf-8")
    port = free_port(address)
    return start_sshd(config, address, port), port


def _keygen(path: Path, kind: str) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", kind, *(["-b", "2048"] if kind == "rsa" else []), "-N", "", "-f",
                    str(path)], check=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def servers(tmp_path_factory, server_missing):
    server_missing(sshd_unavailable() or (None if shutil.which("ssh-keyscan") else "ssh-keyscan is not installed"))
    folder = tmp_path_factory.mktemp("sshkeys")
    weak = folder / "weak_rsa"
    weak.write_bytes(WEAK_KEY.read_bytes())
    weak.chmod(0o600)
    keys = {WEAK: weak, FRESH: _keygen(folder / "fresh_rsa", "rsa"), MODERN: _keygen(folder / "ed", "ed25519")}
    started = {address: _sshd(folder, address, key) for address, key in keys.items()}
    yield folder, {address: port for address, (_, port) in started.items()}, keys
    for process, _ in started.values():
        process.stop()


def _scan(folder: Path, ports: dict[str, int], **settings):
    path = folder / f"inventory-{len(settings)}.yaml"
    path.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Wólka", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.28.16/28"], "domains": ["wolka.test"]},
        "settings": {"timeout": 30, **settings},
        "hosts": [{"name": f"h{i}.wolka.test", "addresses": [address], "ports": [{"port": port, "service": "ssh"}]}
                  for i, (address, port) in enumerate(sorted(ports.items()))],
    }))
    run = run_scan(load_inventory(path), default_registry(), ScanOptions(families={"hygiene"}))
    return {f.subject.split(":")[0]: f for f in run.findings if f.check_id == "hygiene.ssh.debian_weak_key"}


def test_a_real_debian_weak_host_key_is_critical_and_others_are_not_passed_on_a_sample(servers) -> None:
    folder, ports, _ = servers
    found = _scan(folder, ports)
    assert (found[WEAK].status.value, found[WEAK].severity.value) == ("fail", "critical")
    assert found[WEAK].facts["md5"] == "d5eb4531cb52c48d15b0951baf87eb16"  # ssh-keygen -l -E md5 of the public key
    assert found[FRESH].status.value == "manual" and "ssh-rsa 2048" in found[FRESH].facts["unjudged"]
    assert found[MODERN].status.value == "pass"  # Ed25519 did not exist in 2008's ssh-keygen


def test_against_a_complete_set_a_fresh_key_passes_and_the_weak_one_still_fails(servers, tmp_path) -> None:
    folder, ports, _ = servers
    full = tmp_path / "blacklists"
    full.mkdir()
    # Debian's own layout and line format; the weak key's entry among others
    (full / "blacklist.RSA-2048").write_text("00000a7d5ac5a1f2e5e7\nc48d15b0951baf87eb16\nffff0000aaaa1111bbbb\n")
    (full / "blacklist.DSA-1024").write_text("e8c54ad859eec56ee077\n")
    found = _scan(folder, ports, ssh_blacklist_dir=str(full))
    assert {address: f.status.value for address, f in found.items()} == {WEAK: "fail", FRESH: "pass", MODERN: "pass"}, found[FRESH].facts


def test_every_shipped_entry_is_the_fingerprint_of_a_published_weak_key(servers) -> None:
    _, _, keys = servers
    public = subprocess.run(["ssh-keygen", "-y", "-f", str(keys[WEAK])], capture_output=True, text=True, check=True)
    key_type, encoded = public.stdout.split()[:2]
    facts = key_facts(key_type, encoded)
    assert facts["bits"] == 2048 and weak_key_set().is_weak(facts)
    assert not weak_key_set().complete  # the sample must never be mistaken for the full set
