"""Hosts with the same version scan share one nmap run; a failed shared run is redone per host.

``shared_run`` is what the ``network`` and ``config`` nmap probes call from
``collect_many`` (the engine gives them up to ``BATCH_HOSTS`` hosts per job):
real SSH greeters on loopback, real nmap.
"""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import nmap
import pytest

from auditor.checks.network import probe as network_probe
from auditor.checks.network.probe import NetworkProbe, _host_facts, _nmap
from auditor.demo.services import banner_service
from auditor.model import PortSpec, Target
from auditor.nmap_batch import shared_run
from auditor.plugin import ProbeContext
from auditor.scope import ScopeGuard

pytestmark = pytest.mark.probe
ADDRESSES = [f"127.126.21.{i}" for i in range(1, 5)]
PORT = 2222


@pytest.fixture(scope="module")
def greeters(server_missing):
    server_missing(None if shutil.which("nmap") else "nmap not installed")
    services = [banner_service(f"ssh{i}", address, PORT, f"SSH-2.0-OpenSSH_8.{i}p1\r\n".encode())
                for i, address in enumerate(ADDRESSES)]
    yield
    for service in services:
        service.stop()


def test_four_hosts_are_one_nmap_run_and_each_gets_its_own_ports(greeters) -> None:
    runs: list[list[str]] = []

    def counted(addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
        runs.append(list(addresses))
        return _nmap(addresses, port_arg, arguments, budget)

    scanners = shared_run(counted, [[a] for a in ADDRESSES], str(PORT), "-sT -sV -Pn --max-retries 1", 30)
    assert runs == [ADDRESSES]
    for i, (address, scanner) in enumerate(zip(ADDRESSES, scanners)):
        assert isinstance(scanner, nmap.PortScanner)
        (port,) = _host_facts(scanner, address)["ports"]
        assert (port["state"], port["service"], port["version"]) == ("open", "ssh", f"8.{i}p1")


def test_a_shared_run_that_fails_is_redone_for_each_host_alone_at_once() -> None:
    calls: list[list[str]] = []
    alone_at_once = threading.Barrier(2, timeout=5)  # both lone runs must be running together

    def hostile_when_shared(addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
        calls.append(list(addresses))
        if len(addresses) > 1:
            raise TimeoutError("a tarpit kept nmap busy")
        alone_at_once.wait()
        return nmap.PortScanner()

    results = shared_run(hostile_when_shared, [[a] for a in ADDRESSES[:2]], "22", "-sT", 5)
    assert all(isinstance(r, nmap.PortScanner) for r in results)
    shared, *alone = calls
    assert shared == ADDRESSES[:2]
    assert sorted(alone) == [[ADDRESSES[0]], [ADDRESSES[1]]]


def test_a_lone_host_gets_the_error_of_its_own_run() -> None:
    def failing(addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
        raise TimeoutError("nmap did not finish")

    (result,) = shared_run(failing, [[ADDRESSES[0]]], "22", "-sT", 5)
    assert isinstance(result, TimeoutError)


def _host(i: int) -> Target:
    return Target(id=f"host:b{i}", kind="host", name=f"b{i}", addresses=(ADDRESSES[i],),
                  ports=(PortSpec(port=PORT, service="ssh"),))


def test_the_network_probe_scans_many_hosts_in_one_run_with_each_hosts_own_evidence(greeters, monkeypatch) -> None:
    ctx = ProbeContext(scope=ScopeGuard.from_lists(["127.126.21.0/24"]), timeout=30,
                       settings={"network_scan_risky_ports": False})
    alone = [NetworkProbe().collect(_host(i), ctx) for i in range(len(ADDRESSES))]
    runs: list[list[str]] = []

    def counted(addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
        runs.append(list(addresses))
        return _nmap(addresses, port_arg, arguments, budget)

    monkeypatch.setattr(network_probe, "_nmap", counted)
    together = NetworkProbe().collect_many([_host(i) for i in range(len(ADDRESSES))], ctx)
    assert runs == [ADDRESSES]
    assert together == alone


def test_an_out_of_scope_host_in_a_group_gets_its_own_refusal_and_no_packet(greeters, monkeypatch) -> None:
    ctx = ProbeContext(scope=ScopeGuard.from_lists([f"{ADDRESSES[0]}/32"]), timeout=30,
                       settings={"network_scan_risky_ports": False})
    runs: list[list[str]] = []

    def counted(addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
        runs.append(list(addresses))
        return _nmap(addresses, port_arg, arguments, budget)

    monkeypatch.setattr(network_probe, "_nmap", counted)
    inside, outside = NetworkProbe().collect_many([_host(0), _host(1)], ctx)
    assert runs == [[ADDRESSES[0]]]
    assert isinstance(inside, dict) and isinstance(outside, Exception) and "scope" in str(outside).lower()


def test_jobs_starting_together_get_one_fast_probe_folder() -> None:
    network_probe._fast_probes.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        folders = set(pool.map(lambda _: network_probe.fast_probes(), range(8)))
    assert len(folders) == 1
