"""Cipher suite enumeration by elimination gives sslyze's own accepted suites, on real servers.

Every endpoint of the lab is scanned twice, live: by sslyze's cipher-suite
scan commands (one handshake per candidate suite, its ``Scanner``) and by
``checks.tls.elimination`` (one handshake per accepted suite, plus one per
nassl client that ends refused).  The accepted suites must be the same for
every protocol, SSL 2.0 … TLS 1.3, and the elimination must not have fallen
back to one-by-one testing (its handshake count says so).

The lab: nginx (modern, legacy TLS 1.0/1.1 with static RSA, a broad weak
configuration with DHE, 3DES and CAMELLIA, and a broad one that follows the
client's order) and ``openssl s_server`` (TLS 1.3 only with two of its five
suites, an ECDSA certificate with client order, and server order with DHE
at TLS 1.0–1.2).  Addresses are in 127.126.0.0/16.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from sslyze import (
    ScanCommand,
    Scanner,
    ServerNetworkConfiguration,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanStatusEnum,
)
from sslyze.server_connectivity import ServerConnectivityInfo, TlsVersionEnum, check_connectivity_to_server

from auditor.checks.tls.elimination import _candidate_groups, enumerate_cipher_suites
from auditor.demo.certs import CertificateAuthority, CertFiles
from auditor.demo.nginx import RunningNginx, TlsSite
from auditor.demo.services import free_port

COMMANDS = {
    TlsVersionEnum.SSL_2_0: ScanCommand.SSL_2_0_CIPHER_SUITES,
    TlsVersionEnum.SSL_3_0: ScanCommand.SSL_3_0_CIPHER_SUITES,
    TlsVersionEnum.TLS_1_0: ScanCommand.TLS_1_0_CIPHER_SUITES,
    TlsVersionEnum.TLS_1_1: ScanCommand.TLS_1_1_CIPHER_SUITES,
    TlsVersionEnum.TLS_1_2: ScanCommand.TLS_1_2_CIPHER_SUITES,
    TlsVersionEnum.TLS_1_3: ScanCommand.TLS_1_3_CIPHER_SUITES,
}
BROAD = "ALL:COMPLEMENTOFALL:-aNULL:-eNULL:@SECLEVEL=0"
OLD_PROTOCOLS = "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3"

NGINX_SITES: dict[str, dict] = {
    "modern": {},
    "legacy": {"protocols": "TLSv1 TLSv1.1", "ciphers": "AES256-SHA:AES128-SHA:@SECLEVEL=0"},
    "weak": {"protocols": OLD_PROTOCOLS, "ciphers": "DHE-RSA-AES128-SHA:DES-CBC3-SHA:CAMELLIA256-SHA:"
                                                      "ECDHE-RSA-AES256-SHA384:AES128-SHA256:@SECLEVEL=0"},
    "clientorder": {"protocols": OLD_PROTOCOLS, "ciphers": BROAD, "prefer_server_ciphers": False},
}


@dataclass(frozen=True)
class Endpoint:
    label: str
    address: str
    port: int
    name: str


class SServer:
    """``openssl s_server`` on one address; ``stop()`` ends exactly that process."""

    def __init__(self, address: str, port: int, cert: CertFiles, options: list[str]) -> None:
        self.address, self.port = address, port
        self._process = subprocess.Popen(
            ["openssl", "s_server", "-accept", f"{address}:{port}", "-cert", str(cert.cert), "-key", str(cert.key),
             "-www", "-quiet", *options],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection((address, port), timeout=0.5):
                    return
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"openssl s_server {options} did not listen on {address}:{port}")
                time.sleep(0.05)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)


S_SERVERS: dict[str, tuple[str, list[str]]] = {
    "tls13only": ("rsa2048", ["-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"]),
    "ecdsa-clientorder": ("ec256", ["-cipher", f"{BROAD}"]),
    "dhe-serverorder": ("rsa2048", ["-serverpref", "-no_tls1_3", "-cipher",
                                    "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0"]),
}


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Endpoint]]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not installed")
    folder = tmp_path_factory.mktemp("elimination")
    ca = CertificateAuthority(folder / "pki")
    found, sites, servers = [], [], []
    for index, (label, spec) in enumerate(NGINX_SITES.items(), start=1):
        address = f"127.126.1.{index}"
        name = f"{label}.elim.test"
        port = free_port(address)
        sites.append(TlsSite(address, port, ca.issue(label, [name]), **spec))
        found.append(Endpoint(f"nginx-{label}", address, port, name))
    nginx = RunningNginx(folder / "nginx", sites)
    try:
        for index, (label, (key, options)) in enumerate(S_SERVERS.items(), start=1):
            address = f"127.126.2.{index}"
            name = f"{label}.elim.test"
            port = free_port(address)
            servers.append(SServer(address, port, ca.issue(label, [name], key=key), options))
            found.append(Endpoint(f"s_server-{label}", address, port, name))
        yield found
    finally:
        nginx.stop()
        for server in servers:
            server.stop()


def _location(endpoint: Endpoint) -> tuple[ServerNetworkLocation, ServerNetworkConfiguration]:
    return (ServerNetworkLocation(hostname=endpoint.name, port=endpoint.port, ip_address=endpoint.address),
            ServerNetworkConfiguration(tls_server_name_indication=endpoint.name, network_timeout=5))


def _sslyze_accepted(endpoint: Endpoint) -> dict[TlsVersionEnum, set[str]]:
    location, network = _location(endpoint)
    scanner = Scanner()
    scanner.queue_scans([ServerScanRequest(server_location=location, network_configuration=network,
                                           scan_commands=set(COMMANDS.values()))])
    (result,) = list(scanner.get_results())
    assert result.scan_status is ServerScanStatusEnum.COMPLETED, result.connectivity_error_trace
    accepted = {}
    for version, command in COMMANDS.items():
        attempt = getattr(result.scan_result, command.value)
        assert attempt.result is not None, attempt.error_trace
        accepted[version] = {s.cipher_suite.name for s in attempt.result.accepted_cipher_suites}
    return accepted


ENDPOINT_LABELS = [f"nginx-{label}" for label in NGINX_SITES] + [f"s_server-{label}" for label in S_SERVERS]


@pytest.mark.parametrize("label", ENDPOINT_LABELS)
def test_elimination_accepts_what_sslyze_accepts(endpoints: list[Endpoint], label: str) -> None:
    endpoint = next(e for e in endpoints if e.label == label)
    expected = _sslyze_accepted(endpoint)
    location, network = _location(endpoint)
    info = ServerConnectivityInfo(server_location=location, network_configuration=network,
                                  tls_probing_result=check_connectivity_to_server(location, network))
    assert any(expected.values()), "the lab endpoint accepts nothing: the comparison would prove nothing"
    for version in COMMANDS:
        found = enumerate_cipher_suites(info, version)
        accepted = {s.cipher_suite.name for s in found.result.accepted_cipher_suites}
        assert accepted == expected[version], f"{label} {version.name}"
        assert set(found.preference) == accepted and len(found.preference) == len(accepted)
        # elimination, not one-by-one: one handshake per pick plus at most one refusal per nassl client
        assert found.handshakes <= len(accepted) + len(_candidate_groups(version)), f"{label} {version.name}"


def test_preference_order_is_the_servers_own(endpoints: list[Endpoint]) -> None:
    """nginx with ``ssl_prefer_server_ciphers on`` and ``AES256-SHA:AES128-SHA``: picked in that order."""
    endpoint = next(e for e in endpoints if e.label == "nginx-legacy")
    location, network = _location(endpoint)
    info = ServerConnectivityInfo(server_location=location, network_configuration=network,
                                  tls_probing_result=check_connectivity_to_server(location, network))
    found = enumerate_cipher_suites(info, TlsVersionEnum.TLS_1_0)
    assert found.preference == ("TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA")
    assert found.handshakes == 3
