"""The ``network`` probe: an nmap TCP-connect + version scan per host.

``-sT`` needs no root; ``-sV`` names the service and product behind each
open port (used by the patching family too).  ``-Pn`` because office
firewalls usually drop ping and an authorised scan should not conclude
"down" from that.  The port list is the host's declared ports plus the
risky-service ports, so an undeclared telnet is found without a full sweep.

nmap's first probe on every open port (the NULL probe) waits 6 s for a
greeting, and again inside TLS: ~13 s of idle time per HTTPS port.  Ports
whose protocol is known to wait for the client (declared, or inferred from
the port, as HTTP or HTTPS) are version-scanned in a second nmap run, at the
same time, whose probe file (``fast_probes``: nmap's own, with the NULL
probe's wait cut to 1 s) skips that wait; the probes that name the service
(GetRequest, SSL) and their matches are nmap's own, so the same services and
versions come back.  Every other port keeps nmap's stock probes.

Each nmap ``-sV`` start costs ~0.45 s of CPU (it parses the whole probe
file), so the engine gives this probe up to ``BATCH_HOSTS`` hosts per job and
the hosts with the same ports and arguments share one run
(``auditor.nmap_batch``).
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence
from xml.etree import ElementTree

import nmap

from auditor.nmap_batch import BATCH_HOSTS, shared_run
from auditor.checks.network.family import FAMILY
from auditor.checks.network.risky import risky_ports
from auditor.model import Evidence, Target
from auditor.plugin import Probe, ProbeContext, ProbeUnreachable, ToolMissing

_PORT_FIELDS = ("name", "product", "version", "extrainfo", "cpe", "conf", "reason")

CLIENT_FIRST_SERVICES = frozenset({"http", "https"})
"""Protocols whose server never speaks first: nmap's NULL probe can only wait on them."""

NULL_PROBE_WAIT_MS = 1000
"""The NULL probe's wait on client-first ports (nmap's is 6000 ms)."""

_STOCK_PROBES = ("/usr/share/nmap/nmap-service-probes", "/usr/local/share/nmap/nmap-service-probes")


_FAST_PROBES_LOCK = threading.Lock()


def fast_probes() -> Path | None:
    """A data directory whose ``nmap-service-probes`` is nmap's own with a short NULL-probe wait.

    nmap reads every other data file from its usual place (``--datadir`` is
    searched first, then the defaults).  ``None`` when nmap's probe file is
    not found: then every port keeps the stock probes.  Made once per
    process (under a lock: jobs starting together must get the same folder,
    or their nmap runs could not be shared).
    """
    with _FAST_PROBES_LOCK:
        return _fast_probes()


@lru_cache(maxsize=1)
def _fast_probes() -> Path | None:
    binary = shutil.which("nmap")
    candidates = [Path(binary).resolve().parent.parent / "share/nmap/nmap-service-probes"] if binary else []
    stock = next((path for path in [*candidates, *map(Path, _STOCK_PROBES)] if path.is_file()), None)
    if stock is None:
        return None
    text = stock.read_text(encoding="utf-8", errors="surrogateescape")
    start = text.find("Probe TCP NULL q||")
    end = text.find("\nProbe ", start + 1)
    if start < 0 or end < 0:
        return None
    null = re.sub(r"\ntotalwaitms \d+", f"\ntotalwaitms {NULL_PROBE_WAIT_MS}", text[start:end], count=1)
    null = re.sub(r"\ntcpwrappedms \d+", f"\ntcpwrappedms {NULL_PROBE_WAIT_MS // 2}", null, count=1)
    folder = Path(tempfile.mkdtemp(prefix="auditor-nmap-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "nmap-service-probes").write_text(text[:start] + null + text[end:], encoding="utf-8",
                                                errors="surrogateescape")
    return folder


def client_first_ports(target: Target, ports: list[int]) -> list[int]:
    """The scanned ports whose declared (or port-inferred) protocol is HTTP or HTTPS."""
    known = {p.port for p in target.ports if p.protocol == "tcp" and p.service in CLIENT_FIRST_SERVICES}
    return [port for port in ports if port in known]


def ports_to_scan(target: Target, ctx: ProbeContext) -> list[int]:
    """Declared ports, the risky-service ports and any extra ports from settings."""
    extra = ctx.settings.get("network_extra_ports", [])
    declared = [p.port for p in target.ports if p.protocol == "tcp"]
    wanted = set(declared) | set(extra)
    if ctx.settings.get("network_scan_risky_ports", True):
        wanted |= set(risky_ports())
    return sorted(wanted)


def _port_facts(port: int, data: dict[str, Any]) -> dict[str, Any]:
    facts: dict[str, Any] = {"port": port, "protocol": "tcp", "state": data.get("state", "")}
    for key in _PORT_FIELDS:
        value = data.get(key)
        if value not in (None, ""):
            facts["service" if key == "name" else key] = value
    return facts


def _nmap(addresses: list[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
    scanner = nmap.PortScanner()
    try:
        scanner.scan(hosts=" ".join(addresses), ports=port_arg, arguments=arguments, timeout=budget + 2)
    except nmap.PortScannerTimeout as exc:
        raise TimeoutError(f"nmap did not finish within {budget + 2} s") from exc
    except nmap.PortScannerError as exc:
        raise ProbeUnreachable(f"nmap failed: {str(exc).strip()[:300]}") from exc
    return scanner


def _timed_out_hosts(scanner: nmap.PortScanner) -> set[str]:
    """Addresses nmap gave up on (``<host timedout="true">``); python-nmap does not expose it."""
    root = ElementTree.fromstring(scanner.get_nmap_last_output())
    return {address.get("addr", "") for host in root.iter("host") if host.get("timedout") == "true"
            for address in host.iter("address") if address.get("addrtype") in ("ipv4", "ipv6")}


def _host_facts(scanner: nmap.PortScanner, address: str) -> dict[str, Any]:
    if address not in scanner.all_hosts():
        return {"state": "down", "ports": []}
    tcp = scanner[address].get("tcp", {})
    return {"state": scanner[address].state(), "ports": [_port_facts(port, tcp[port]) for port in sorted(tcp)]}


_Scanned = tuple[nmap.PortScanner, set[str]] | Exception
"""A run's scanner and the addresses whose version scan timed out in it, or why the run failed."""


def _version_scan(addresses: list[str], port_arg: str, scanned: _Scanned, budget: int,
                  started: float, family: str) -> tuple[dict[str, dict[str, Any]], nmap.PortScanner]:
    """One host's entries from an nmap ``-sV`` run over ``port_arg``; if its version scan timed out, port states alone."""
    scanner: nmap.PortScanner | None
    if isinstance(scanned, TimeoutError):
        # nmap checks --host-timeout only between probes, so a service that keeps it
        # probing (garbage answers) can outlast it; then nothing at all comes back
        scanner, hosts, timed_out = None, {}, list(addresses)
    elif isinstance(scanned, Exception):
        raise scanned
    else:
        scanner, gave_up = scanned
        hosts = {address: _host_facts(scanner, address) for address in addresses}
        timed_out = [address for address in addresses if address in gave_up]
    if timed_out:
        # nmap drops every port of a host whose -sV outlasted --host-timeout (a silent
        # service, a tarpit): ask again for port states alone with the time left.
        rest = max(2, budget - int(time.monotonic() - started))
        states = _nmap(timed_out, port_arg, f"-sT -Pn --max-retries 1 --host-timeout {rest}s{family}", rest)
        scanner = scanner or states
        for address in timed_out:
            hosts[address] = _host_facts(states, address) | {"version_detection": "timed_out"}
    return hosts, scanner


def _merged(runs: list[dict[str, dict[str, Any]]], addresses: list[str]) -> dict[str, dict[str, Any]]:
    """One host entry per address from several runs over disjoint ports: ports in order, up if any run saw it up."""
    merged: dict[str, dict[str, Any]] = {}
    for address in addresses:
        parts = [run[address] for run in runs if address in run]
        host = {key: value for part in parts for key, value in part.items() if key not in ("state", "ports")}
        states = [part["state"] for part in parts]
        host["state"] = "up" if "up" in states else states[0]
        host["ports"] = sorted((port for part in parts for port in part["ports"]), key=lambda p: p["port"])
        merged[address] = host
    return merged


@dataclass(frozen=True)
class _Plan:
    """One host's scan: its ports, and the nmap runs (ports, arguments) that cover them."""

    target: Target
    ports: list[int]
    arguments: str
    quick: list[int]
    runs: list[tuple[str, str]]
    family: str


def _plan(target: Target, ctx: ProbeContext, budget: int) -> _Plan:
    for address in target.addresses:
        ctx.scope.require_address(address)
    ports = ports_to_scan(target, ctx)
    version_budget = max(3, int(budget * 0.6))
    family = " -6" if any(":" in a for a in target.addresses) else ""
    arguments = f"-sT -sV -Pn --version-intensity 5 --max-retries 1 --host-timeout {version_budget}s{family}"
    datadir = fast_probes() if ctx.settings.get("network_fast_client_first", True) else None
    quick = client_first_ports(target, ports) if datadir else []
    runs = [(sorted(set(ports) - set(quick)), arguments), (quick, f"{arguments} --datadir {datadir}")]
    runs = [(run_ports, run_arguments) for run_ports, run_arguments in runs if run_ports] or [(ports, arguments)]
    return _Plan(target, ports, arguments, quick, [(",".join(map(str, p)), a) for p, a in runs], family)


@FAMILY.probe
class NetworkProbe(Probe):
    name = "network"
    target_kinds = frozenset({"host"})
    batch = BATCH_HOSTS

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        (result,) = self.collect_many([target], ctx)
        if isinstance(result, Exception):
            raise result
        return result

    def collect_many(self, targets: Sequence[Target], ctx: ProbeContext) -> list[Evidence | Exception]:
        """Every host's scan; hosts asking for the same run (ports, arguments) share one nmap process."""
        if shutil.which("nmap") is None:
            raise ToolMissing("nmap is not installed (apt-get install nmap)")
        budget = max(5, int(ctx.timeout))
        started = time.monotonic()
        version_budget = max(3, int(budget * 0.6))
        plans: list[_Plan | Exception] = []
        for target in targets:
            try:
                plans.append(_plan(target, ctx, budget))
            except Exception as exc:  # noqa: BLE001 - out of scope: this host's own error
                plans.append(exc)
        wanted: dict[tuple[str, str], list[int]] = {}
        for index, plan in enumerate(plans):
            for run in plan.runs if isinstance(plan, _Plan) else []:
                wanted.setdefault(run, []).append(index)
        with ThreadPoolExecutor(max_workers=max(1, len(wanted))) as pool:
            futures = {run: pool.submit(shared_run, _nmap, [targets[i].addresses for i in sharing], run[0], run[1],
                                        version_budget) for run, sharing in wanted.items()}
            scanned: dict[tuple[tuple[str, str], int], _Scanned] = {}
            for run, future in futures.items():
                gave_up: dict[int, set[str]] = {}  # parsed once per run, not once per host
                for index, result in zip(wanted[run], future.result()):
                    if isinstance(result, Exception):
                        scanned[run, index] = result
                        continue
                    if id(result) not in gave_up:
                        gave_up[id(result)] = _timed_out_hosts(result)
                    scanned[run, index] = (result, gave_up[id(result)])
        return [plan if isinstance(plan, Exception) else self._evidence(plan, index, scanned, budget, started)
                for index, plan in enumerate(plans)]

    @staticmethod
    def _evidence(plan: _Plan, index: int, scanned: dict[tuple[tuple[str, str], int], _Scanned], budget: int,
                  started: float) -> Evidence | Exception:
        addresses = list(plan.target.addresses)
        try:
            done = [_version_scan(addresses, run[0], scanned[run, index], budget, started, plan.family)
                    for run in plan.runs]
        except Exception as exc:  # noqa: BLE001 - nmap failed for this host
            return exc
        hosts = _merged([hosts for hosts, _ in done], addresses)
        if all(not any(p["state"] in ("open", "closed") for p in h["ports"]) for h in hosts.values()):
            return ProbeUnreachable(f"no scanned port answered on {', '.join(addresses)} (filtered or down)")
        return {
            "scanner": "nmap",
            "nmap_version": ".".join(str(v) for v in done[0][1].nmap_version()),
            "arguments": plan.arguments,
            "client_first_ports": plan.quick,
            "ports_scanned": plan.ports,
            "declared_ports": [p.port for p in plan.target.ports if p.protocol == "tcp"],
            "hosts": hosts,
        }
