"""The ``network`` probe: one nmap TCP-connect + version scan per host.

``-sT`` needs no root; ``-sV`` names the service and product behind each
open port (used by the patching family too).  ``-Pn`` because office
firewalls usually drop ping and an authorised scan should not conclude
"down" from that.  The port list is the host's declared ports plus the
risky-service ports, so an undeclared telnet is found without a full sweep.
"""

from __future__ import annotations

import shutil
from typing import Any

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
        timeout = max(5, int(ctx.timeout))
        arguments = f"-sT -sV -Pn --version-intensity 5 --max-retries 1 --host-timeout {timeout}s"
        if any(":" in a for a in target.addresses):
            arguments += " -6"
        scanner = nmap.PortScanner()
        try:
            scanner.scan(hosts=" ".join(target.addresses), ports=port_arg, arguments=arguments, timeout=timeout + 10)
        except nmap.PortScannerTimeout as exc:
            raise TimeoutError(f"nmap did not finish within {timeout + 10} s") from exc
        except nmap.PortScannerError as exc:
            raise ProbeUnreachable(f"nmap failed: {str(exc).strip()[:300]}") from exc
        hosts: dict[str, Any] = {}
        for address in target.addresses:
            if address not in scanner.all_hosts():
                hosts[address] = {"state": "down", "ports": []}
                continue
            tcp = scanner[address].get("tcp", {})
            hosts[address] = {
                "state": scanner[address].state(),
                "ports": [_port_facts(port, tcp[port]) for port in sorted(tcp)],
            }
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
