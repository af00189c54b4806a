"""A real validating resolver (Unbound) on a loopback address and a high port.

It forwards the zones it is given to an authoritative server (``named`` on
loopback) and validates DNSSEC against the trust anchors it is given, so an
answer's AD bit, a SERVFAIL for a bogus zone and the Extended DNS Error that
says why come from a real validator, as from an office's resolver.
No root hints are needed: nothing outside the forwarded zones is asked.
"""

from __future__ import annotations

from pathlib import Path

from auditor.demo.daemon import Daemon, binary


def unbound_config(folder: Path, address: str, port: int, forward: dict[str, str], trust_anchors: list[str],
                   validating: bool = True) -> str:
    """``forward`` maps a zone to ``addr@port``; ``trust_anchors`` are DNSKEY or DS records."""
    anchors = "".join(f'  trust-anchor: "{anchor}"\n' for anchor in trust_anchors)
    # "test." is one of Unbound's built-in local zones (RFC 6761 names it answers NXDOMAIN for itself).
    local = "".join(f'  local-zone: "{zone.rstrip(".").rsplit(".", 1)[-1]}." nodefault\n' for zone in forward)
    zones = "".join(f'forward-zone:\n  name: "{zone}"\n  forward-addr: {target}\n' for zone, target in forward.items())
    return (
        "server:\n"
        f"  interface: {address}\n  port: {port}\n  do-ip6: no\n  do-daemonize: no\n"
        f'  username: ""\n  chroot: ""\n  directory: "{folder}"\n  pidfile: "{folder}/unbound.pid"\n'
        f'  logfile: "{folder}/unbound.log"\n  use-syslog: no\n  verbosity: 1\n  val-log-level: 2\n'
        "  num-threads: 1\n  so-reuseport: no\n  access-control: 127.0.0.0/8 allow\n"
        "  do-not-query-localhost: no\n  ede: yes\n"
        f'  module-config: "{"validator iterator" if validating else "iterator"}"\n'
        + local + anchors
        + "remote-control:\n  control-enable: no\n"
        + zones
    )


class Unbound(Daemon):
    """``unbound -d`` with its own configuration, log and pid file in ``folder``."""

    def __init__(self, folder: Path, address: str, port: int, forward: dict[str, str], trust_anchors: list[str],
                 validating: bool = True) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.address, self.port = address, port
        conf = folder / "unbound.conf"
        conf.write_text(unbound_config(folder, address, port, forward, trust_anchors, validating), encoding="utf-8")
        super().__init__("unbound", [binary("unbound", "unbound"), "-d", "-c", str(conf)], [(address, port)],
                         log=folder / "unbound.log", timeout=20)

    @property
    def resolver_setting(self) -> str:
        """The inventory setting ``dns_resolver`` pointing at this resolver."""
        return f"{self.address}:{self.port}"
