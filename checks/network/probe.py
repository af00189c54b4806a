"""The ``network`` probe: one nmap TCP-connect + version scan per host.

``-sT`` needs no root; ``-sV`` names the service and product behind each
open port (used by the patching family too).  ``-Pn`` because office
firewalls usually drop ping and an authorised scan should not conclude
"down" from that.  The port list is the host's declared ports plus the
risky-service ports, so an undeclared telnet is found without a full sweep.
"""

from __future__ import annotations

import shutil
import time
from typing import Any, Iterable
from xml.etree import ElementTree

import nmap

from auditor.checks.network.family import FAMILY
from auditor.checks.network.risky import risky_ports
from auditor.model import Evidence, Target
from auditor.plugin import Probe, ProbeContext, ProbeUnreachable, ToolMissing

_PORT_FIELDS = ("name", "product", "version", "extrainfo", "cpe", "conf", "reason")


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


def _nmap(addresses: Iterable[str], port_arg: str, arguments: str, budget: int) -> nmap.PortScanner:
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


@FAMILY.probe
class NetworkProbe(Probe):
    name = "network"
    target_kinds = frozenset({"host"})

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        if shutil.which("nmap") is None:
            raise ToolMissing("nmap is not installed (apt-get install nmap)")
        for address in target.addresses:
            ctx.scope.require_address(address)
        ports = ports_to_scan(target, ctx)
        port_arg = ",".join(str(p) for p in ports)
        budget = max(5, int(ctx.timeout))
        started = time.monotonic()
        version_budget = max(3, int(budget * 0.6))
        family = " -6" if any(":" in a for a in target.addresses) else ""
        arguments = f"-sT -sV -Pn --version-intensity 5 --max-retries 1 --host-timeout {version_budget}s{family}"
        try:
            scanner = _nmap(target.addresses, port_arg, arguments, version_budget)
            hosts = {address: _host_facts(scanner, address) for address in target.addresses}
            timed_out = [address for address in target.addresses if address in _timed_out_hosts(scanner)]
        except TimeoutError:
            # nmap checks --host-timeout only between probes, so a service that keeps it
            # probing (garbage answers) can outlast it; then nothing at all comes back
            scanner, hosts, timed_out = None, {}, list(target.addresses)
        if timed_out:
            # nmap drops every port of a host whose -sV outlasted --host-timeout (a silent
            # service, a tarpit): ask again for port states alone with the time left.
            rest = max(2, budget - int(time.monotonic() - started))
            states = _nmap(timed_out, port_arg, f"-sT -Pn --max-retries 1 --host-timeout {rest}s{family}", rest)
            scanner = scanner or states
            for address in timed_out:
                hosts[address] = _host_facts(states, address) | {"version_detection": "timed_out"}
        if all(not any(p["state"] in ("open", "closed") for p in h["ports"]) for h in hosts.values()):
            raise ProbeUnreachable(f"no scanned port answered on {', '.join(target.addresses)} (filtered or down)")
        return {
            "scanner": "nmap",
            "nmap_version": ".".join(str(v) for v in scanner.nmap_version()),
            "arguments": arguments,
            "ports_scanned": ports,
            "declared_ports": [p.port for p in target.ports if p.protocol == "tcp"],
            "hosts": hosts,
        }
