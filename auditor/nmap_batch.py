"""One nmap run for many hosts asking for the same scan: nmap's start-up is paid once.

Every ``nmap -sV`` process parses nmap's whole probe file (~12 000 match
rules) before it sends a packet: ~0.45 s of CPU per start (more with NSE
scripts), far more than the scan of a lab host itself (~0.01 s).  The
engine hands probes whose ``batch`` is above 1 (the ``network`` probe and
the ``config`` family's nmap-script probes) up to that many hosts in one job
(``Probe.collect_many``); the hosts that ask for the same ports with the
same arguments are scanned by one nmap, and each reads its own addresses
from that run (python-nmap keys its results by address, and nmap's
``--host-timeout`` is per host).  A shared run that fails is redone for each
host on its own, at once, so one hostile host cannot cost the others their
versions.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Sequence

import nmap

BATCH_HOSTS = 32
"""Hosts per nmap run: nmap probes ~20 services at a time, so larger runs only queue inside nmap."""

Runner = Callable[[list[str], str, str, int], nmap.PortScanner]
"""``(addresses, port_arg, arguments, budget) → PortScanner``: how one nmap run is made."""


def shared_run(run: Runner, hosts: Sequence[Sequence[str]], port_arg: str, arguments: str,
               budget: int) -> list[nmap.PortScanner | Exception]:
    """One run over every host's addresses; per host its scanner, or the exception of its own run."""
    addresses = list(dict.fromkeys(address for host in hosts for address in host))
    try:
        return [run(addresses, port_arg, arguments, budget)] * len(hosts)
    except Exception as exc:  # noqa: BLE001 - redone per host below, or handed to the lone host
        if len(hosts) == 1:
            return [exc]
    with ThreadPoolExecutor(max_workers=len(hosts), thread_name_prefix="nmap-alone") as pool:
        return list(pool.map(lambda host: _alone(run, list(host), port_arg, arguments, budget), hosts))


def _alone(run: Runner, addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner | Exception:
    try:
        return run(addresses, port_arg, arguments, budget)
    except Exception as exc:  # noqa: BLE001 - this host's own error
        return exc
