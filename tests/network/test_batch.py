"""Concurrent hosts with the same version scan share one nmap run; a failed shared run is redone per host."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import nmap
import pytest

from auditor.nmap_batch import Batcher
from auditor.checks.network.probe import _host_facts, _nmap
from auditor.demo.services import banner_service

pytestmark = pytest.mark.probe
ADDRESSES = [f"127.126.21.{i}" for i in range(1, 5)]
PORT = 2222


@pytest.fixture(scope="module")
def greeters():
    if shutil.which("nmap") is None:
        pytest.skip("nmap not installed")
    services = [banner_service(f"ssh{i}", address, PORT, f"SSH-2.0-OpenSSH_8.{i}p1\r\n".encode())
                for i, address in enumerate(ADDRESSES)]
    yield
    for service in services:
        service.stop()


def test_four_hosts_at_once_are_one_nmap_run_and_each_gets_its_own_ports(greeters) -> None:
    runs: list[list[str]] = []
    lock = threading.Lock()

    def counted(addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
        with lock:
            runs.append(list(addresses))
        return _nmap(addresses, port_arg, arguments, budget)

    batcher = Batcher(counted, window_s=1.0)
    with ThreadPoolExecutor(max_workers=len(ADDRESSES)) as pool:
        scanners = list(pool.map(lambda a: (a, batcher.scan([a], str(PORT), "-sT -sV -Pn --max-retries 1", 30)),
                                 ADDRESSES))
    assert len(runs) == 1 and sorted(runs[0]) == ADDRESSES
    for i, (address, scanner) in enumerate(scanners):
        (port,) = _host_facts(scanner, address)["ports"]
        assert (port["state"], port["service"], port["version"]) == ("open", "ssh", f"8.{i}p1")


def test_a_shared_run_that_fails_is_redone_for_each_host_alone() -> None:
    calls: list[list[str]] = []

    def hostile_when_shared(addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
        calls.append(list(addresses))
        if len(addresses) > 1:
            raise TimeoutError("a tarpit kept nmap busy")
        return nmap.PortScanner()

    batcher = Batcher(hostile_when_shared, window_s=1.0)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda a: batcher.scan([a], "22", "-sT", 5), ADDRESSES[:2]))
    assert all(isinstance(r, nmap.PortScanner) for r in results)
    shared, *alone = calls
    assert sorted(shared) == ADDRESSES[:2]
    assert sorted(alone) == [[ADDRESSES[0]], [ADDRESSES[1]]]


def test_a_lone_host_gets_the_error_of_its_own_run() -> None:
    def failing(addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
        raise TimeoutError("nmap did not finish")

    with pytest.raises(TimeoutError):
        Batcher(failing, window_s=0.01).scan([ADDRESSES[0]], "22", "-sT", 5)
