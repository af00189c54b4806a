"""Remote configuration facts through nmap NSE scripts (via python-nmap).

What the network shows of a host's configuration, for every declared port
speaking the service: SSH key exchange, host-key, cipher and MAC algorithms
and offered authentication methods (``ssh2-enum-algos``,
``ssh-auth-methods``) and SMB dialects and signing (``smb-protocols``,
``smb2-security-mode``); the RDP security layers accepted come from the
server's own negotiation answers (``rdpneg``).  ``-sV --version-light`` lets the
scripts' port rules recognise a service on a non-standard port.  Facts use
the same paths as bundle facts (``ssh.ciphers`` ...), so the rules in
``baselines/config/remote.yaml`` read like the per-host ones.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar, Sequence

import nmap

from auditor.checks.config.family import FAMILY
from auditor.checks.config.rdpneg import OFFERS, layer_facts, negotiate
from auditor.model import Evidence, Target
from auditor.nmap_batch import BATCH_HOSTS, shared_run
from auditor.plugin import Probe, ProbeContext, ProbeUnreachable, ToolMissing

_SSH_KEYS = {"kex_algorithms": "kex_algorithms", "server_host_key_algorithms": "host_key_algorithms",
             "encryption_algorithms": "ciphers", "mac_algorithms": "macs"}


def script_sections(text: str) -> dict[str, list[str]]:
    """nmap's indented script output as ``{heading: [items]}``; a heading's own value is its first item.

    ``"\\n  kex_algorithms: (3)\\n      a\\n      b"`` → ``{"kex_algorithms": ["a", "b"]}``.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return {}
    top = min(len(line) - len(line.lstrip()) for line in lines)
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        stripped = line.strip()
        if len(line) - len(line.lstrip()) == top:
            name, _, value = stripped.partition(":")
            current = sections.setdefault(name.strip(), [])
            value = value.strip()
            if value and not re.fullmatch(r"\(\d+\)", value):
                current.append(value)
        elif current is not None:
            current.append(stripped)
    return sections


class NmapScriptProbe(Probe):
    """Runs ``scripts`` on each declared TCP port whose service is in ``services``.

    A port declared without a service counts when it is one of ``default_ports``.
    Scripts with a *host* rule (nmap's SMB scripts) look for SMB on 445/139
    only and report per host, not per port; such a probe sets
    ``port_argument`` (``smbport``) and is run once per declared port, so a
    server on any port is seen and each result belongs to its port.
    """

    target_kinds = frozenset({"host"})
    batch = BATCH_HOSTS
    services: ClassVar[frozenset[str]]
    default_ports: ClassVar[frozenset[int]]
    scripts: ClassVar[tuple[str, ...]]
    port_argument: ClassVar[str | None] = None

    def ports(self, target: Target) -> list[int]:
        return sorted({p.port for p in target.ports if p.protocol == "tcp" and (
            p.service in self.services if p.service else p.port in self.default_ports)})

    def applies(self, target: Target) -> bool:
        return target.kind == "host" and bool(self.ports(target))

    def facts(self, outputs: dict[str, str]) -> dict[str, Any]:
        """Facts from ``{script id: output text}`` of one port."""
        raise NotImplementedError

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        (result,) = self.collect_many([target], ctx)
        if isinstance(result, Exception):
            raise result
        return result

    def collect_many(self, targets: Sequence[Target], ctx: ProbeContext) -> list[Evidence | Exception]:
        """Every host's subjects; hosts with the same ports (and address family) share each nmap run."""
        if shutil.which("nmap") is None:
            raise ToolMissing("nmap is not installed (apt-get install nmap)")
        scoped: list[Target | Exception] = []
        for target in targets:
            try:
                for address in target.addresses:
                    ctx.scope.require_address(address)
                scoped.append(target)
            except Exception as exc:  # noqa: BLE001 - out of scope: this host's own error
                scoped.append(exc)
        # wave n holds each host's n-th run, so one host's runs stay one after another (as when
        # scanned alone) while the hosts' runs go at once; (ports, arguments) → the hosts asking for it
        waves: list[dict[tuple[str, str], list[tuple[int, Target]]]] = []
        for index, target in enumerate(scoped):
            if isinstance(target, Target):
                for wave, ports in enumerate(self._runs(target)):
                    if wave == len(waves):
                        waves.append({})
                    key = (",".join(map(str, ports)), self._arguments(target, ports, ctx))
                    waves[wave].setdefault(key, []).append((index, target))
        timeout = max(5, int(ctx.timeout))
        scanned: dict[tuple[tuple[str, str], int], nmap.PortScanner | Exception] = {}
        for runs in waves:
            with ThreadPoolExecutor(max_workers=len(runs), thread_name_prefix="nmap-scripts") as pool:
                futures = {run: pool.submit(shared_run, _nmap_scripts, [host.addresses for _, host in sharing], *run,
                                            timeout) for run, sharing in runs.items()}
                for run, future in futures.items():
                    scanned.update({(run, index): result for (index, _), result in zip(runs[run], future.result())})
        return [target if isinstance(target, Exception) else self._evidence(target, index, scanned, ctx)
                for index, target in enumerate(scoped)]

    def _runs(self, target: Target) -> list[list[int]]:
        ports = self.ports(target)
        return [[port] for port in ports] if self.port_argument else [ports]

    def _evidence(self, target: Target, index: int, scanned: dict[tuple[tuple[str, str], int], Any],
                  ctx: ProbeContext) -> Evidence | Exception:
        subjects = []
        for run in self._runs(target):
            scanner = scanned[(",".join(map(str, run)), self._arguments(target, run, ctx)), index]
            if isinstance(scanner, Exception):
                return scanner
            for address in target.addresses:
                host = scanner[address] if address in scanner.all_hosts() else {}
                tcp = host.get("tcp", {})
                for port in run:
                    data = tcp.get(port, {})
                    if data.get("state") != "open":
                        continue
                    outputs = ({s["id"]: s["output"] for s in host.get("hostscript", [])} if self.port_argument
                               else data.get("script", {}))
                    subjects.append({"subject": f"{address}:{port}", "platform": "remote", "address": address,
                                     "port": port,
                                     "product": " ".join(filter(None, (data.get("product"), data.get("version")))),
                                     "facts": self.facts(outputs)})
        if not subjects:
            return ProbeUnreachable(f"no {'/'.join(sorted(self.services))} port open on {', '.join(target.addresses)}")
        return {"scanner": "nmap", "scripts": list(self.scripts), "subjects": subjects}

    def _arguments(self, target: Target, ports: list[int], ctx: ProbeContext) -> str:
        timeout = max(5, int(ctx.timeout))
        arguments = (f"-sT -sV --version-light -Pn --max-retries 1 --host-timeout {timeout}s "
                     f"--script {','.join(self.scripts)}")
        if self.port_argument:
            arguments += f" --script-args {self.port_argument}={ports[0]}"
        if any(":" in a for a in target.addresses):
            arguments += " -6"
        return arguments


def _nmap_scripts(addresses: list[str], port_arg: str, arguments: str, timeout: int) -> nmap.PortScanner:
    scanner = nmap.PortScanner()
    try:
        scanner.scan(hosts=" ".join(addresses), ports=port_arg, arguments=arguments, timeout=timeout + 10)
    except nmap.PortScannerTimeout as exc:
        raise TimeoutError(f"nmap did not finish within {timeout + 10} s") from exc
    except nmap.PortScannerError as exc:
        raise ProbeUnreachable(f"nmap failed: {str(exc).strip()[:300]}") from exc
    return scanner


@FAMILY.probe
class SshAlgorithmsProbe(NmapScriptProbe):
    name = "ssh_algos"
    services = frozenset({"ssh"})
    default_ports = frozenset({22})
    scripts = ("ssh2-enum-algos", "ssh-auth-methods")

    def facts(self, outputs: dict[str, str]) -> dict[str, Any]:
        ssh: dict[str, Any] = {}
        algorithms = script_sections(outputs.get("ssh2-enum-algos", ""))
        for key, name in _SSH_KEYS.items():
            if key in algorithms:
                ssh[name] = algorithms[key]
        methods = script_sections(outputs.get("ssh-auth-methods", "")).get("Supported authentication methods")
        if methods is not None:
            ssh["auth_methods"] = methods
            ssh["password_offered"] = bool({"password", "keyboard-interactive"} & set(methods))
        return {"ssh": ssh} if ssh else {}


@FAMILY.probe
class SmbProtocolsProbe(NmapScriptProbe):
    name = "smb_protocols"
    services = frozenset({"smb", "microsoft-ds", "netbios-ssn"})
    default_ports = frozenset({139, 445})
    scripts = ("smb-protocols", "smb2-security-mode")
    port_argument = "smbport"

    def facts(self, outputs: dict[str, str]) -> dict[str, Any]:
        smb: dict[str, Any] = {}
        dialects = script_sections(outputs.get("smb-protocols", "")).get("dialects")
        if dialects is not None:
            smb["dialects"] = dialects
            smb["smb1"] = any("SMBv1" in d or "NT LM 0.12" in d for d in dialects)
        # smb2-security-mode: "<dialect>: Message signing enabled and required" (or "... but not required")
        modes = [item for items in script_sections(outputs.get("smb2-security-mode", "")).values() for item in items]
        if modes:
            smb["signing"] = modes[0]
            smb["signing_required"] = all("and required" in mode for mode in modes)
        return {"smb": smb} if smb else {}


@FAMILY.probe
class RdpSecurityProbe(Probe):
    """The RDP layers a server accepts, from its own negotiation answers (``checks.config.rdpneg``)."""

    name = "rdp_security"
    target_kinds = frozenset({"host"})
    services = frozenset({"rdp", "ms-wbt-server"})
    default_ports = frozenset({3389})
    ports = NmapScriptProbe.ports
    applies = NmapScriptProbe.applies

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        for address in target.addresses:
            ctx.scope.require_address(address)
        per_try = max(2.0, min(10.0, ctx.timeout / 10))
        subjects = []
        for address in target.addresses:
            for port in self.ports(target):
                try:
                    answers = {offer: negotiate(address, port, flags, per_try) for offer, flags in OFFERS.items()}
                except OSError:
                    continue
                subjects.append({"subject": f"{address}:{port}", "platform": "remote", "address": address, "port": port,
                                 "product": "", "facts": {"rdp": layer_facts(answers)}})
        if not subjects:
            raise ProbeUnreachable(f"no rdp port open on {', '.join(target.addresses)}")
        return {"scanner": "rdp-negotiation", "scripts": [], "subjects": subjects}
