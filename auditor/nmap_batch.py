"""One nmap run for many hosts asking for the same scan: nmap's start-up is paid once.

Every ``nmap -sV`` process parses nmap's whole probe file (~12 000 match
rules) before it sends a packet: ~0.6 s of CPU per start (more with NSE
scripts), more than the scan of a lab host itself.  Used by the ``network``
probe and the ``config`` family's nmap-script probes.  Host jobs run concurrently in the engine; the ones that
ask for the same ports with the same arguments within ``WINDOW_S`` of each
other are scanned by one nmap, and each gets the ``PortScanner`` of that run
(python-nmap keys its results by address, and nmap's ``--host-timeout`` is
per host).  A host alone, or a run that fails, is scanned as before: when a
shared run hits its process timeout, each of its hosts is scanned again on
its own, so one hostile host cannot cost the others their versions.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

import nmap

WINDOW_S = 0.3
"""How long the first request of a batch waits for others (host jobs start within a few ms of each other)."""

MAX_HOSTS = 32
"""A batch is run at once when it has this many hosts."""

Runner = Callable[[list[str], str, str, int], nmap.PortScanner]
"""``(addresses, port_arg, arguments, budget) → PortScanner``: how one nmap run is made."""


@dataclass
class _Batch:
    addresses: list[str] = field(default_factory=list)
    full: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    scanner: nmap.PortScanner | None = None
    error: BaseException | None = None


class Batcher:
    """Groups concurrent requests by (ports, arguments, budget); thread-safe, one per process."""

    def __init__(self, run: Runner, window_s: float = WINDOW_S, max_hosts: int = MAX_HOSTS) -> None:
        self._run = run
        self._window_s = window_s
        self._max_hosts = max_hosts
        self._lock = threading.Lock()
        self._open: dict[tuple[str, str, int], _Batch] = {}

    def scan(self, addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
        key = (port_arg, arguments, budget)
        with self._lock:
            batch = self._open.get(key)
            leader = batch is None
            if leader:
                batch = self._open[key] = _Batch()
            assert batch is not None
            batch.addresses += [a for a in addresses if a not in batch.addresses]
            if len(batch.addresses) >= self._max_hosts:
                self._open.pop(key, None)
                batch.full.set()
        if leader:
            batch.full.wait(self._window_s)
            with self._lock:
                if self._open.get(key) is batch:
                    del self._open[key]
            self._execute(batch, port_arg, arguments, budget)
        else:
            batch.done.wait()
        if batch.error is not None:
            if len(batch.addresses) > len(addresses):
                return self._run(addresses, port_arg, arguments, budget)  # on its own: others' tarpits are not ours
            raise batch.error
        assert batch.scanner is not None
        return batch.scanner

    def _execute(self, batch: _Batch, port_arg: str, arguments: str, budget: int) -> None:
        try:
            batch.scanner = self._run(list(batch.addresses), port_arg, arguments, budget)
        except BaseException as exc:  # noqa: BLE001 — handed to every host of the batch
            batch.error = exc
        finally:
            batch.done.set()
