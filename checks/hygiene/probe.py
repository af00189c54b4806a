"""Probes of the hygiene family: a domain's registration (RDAP) and a host's SSH host keys.

The RDAP probe sends nothing to the office: it asks the registry of the
domain's TLD (a declared external data source, see ``auditor.rdap``) about
the registrable domain name, and nothing else.  With ``--offline`` it asks
nobody and says so.  The SSH probe runs ``ssh-keyscan`` against each
declared address (scope-checked first) and declared SSH port: one key
exchange per host-key type, no login attempt.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from typing import Any

from auditor.checks.config.remote import SshAlgorithmsProbe
from auditor.checks.hygiene.family import FAMILY
from auditor.checks.hygiene.sshkeys import KEYSCAN_TYPES, parse_keyscan
from auditor.model import Evidence, Target
from auditor.plugin import Probe, ProbeContext, ProbeInputError, ProbeUnreachable, ToolMissing
from auditor.rdap import load_bootstrap, lookup, psl_version, registrable_domain


def rdap_sources(ctx: ProbeContext) -> dict[str, str]:
    """Which bootstrap and suffix list a lookup used, for the evidence."""
    bootstrap = load_bootstrap(ctx.settings.get("rdap_bootstrap"))
    return {"bootstrap_source": bootstrap.source, "psl": psl_version()}


@FAMILY.probe
class RdapDomainProbe(Probe):
    """The registration of the domain a ``domains:`` entry belongs to ("bip.gmina.pl" → "gmina.pl")."""

    name = "rdap"
    target_kinds = frozenset({"domain"})

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        domain = registrable_domain(target.name)
        if domain is None:
            raise ProbeInputError(f"{target.name} is a public suffix or an address, not a registrable domain")
        evidence: Evidence = {"name": target.name, "domain": domain, **rdap_sources(ctx)}
        if ctx.offline:
            return {**evidence, "outcome": "offline"}
        bootstrap = load_bootstrap(ctx.settings.get("rdap_bootstrap"))
        return {**evidence, **lookup(domain, bootstrap, timeout=min(ctx.timeout, 30.0))}


#: The ports the config family's SSH probe reads (declared ``ssh`` services, or 22 undeclared).
_SSH_PORTS = SshAlgorithmsProbe()


@FAMILY.probe
class SshHostKeyProbe(Probe):
    """The host keys each declared SSH port presents (public keys only; nothing is logged in to)."""

    name = "ssh_hostkeys"
    target_kinds = frozenset({"host"})

    def applies(self, target: Target) -> bool:
        return super().applies(target) and bool(target.addresses) and bool(_SSH_PORTS.ports(target))

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        if shutil.which("ssh-keyscan") is None:
            raise ToolMissing("ssh-keyscan is not installed (apt-get install openssh-client)")
        deadline = time.monotonic() + max(5.0, ctx.timeout * 0.85)
        subjects, errors = [], []
        for address in target.addresses:
            ctx.scope.require_address(address)
            for port in _SSH_PORTS.ports(target):
                left = deadline - time.monotonic()
                if left < 1:
                    errors.append(f"{address}:{port}: time budget used up")
                    continue
                keys, error = _keyscan(address, port, left)
                if keys:
                    subjects.append({"subject": f"{address}:{port}", "address": address, "port": port, "keys": keys})
                else:
                    errors.append(f"{address}:{port}: {error or 'no host key offered'}")
        if not subjects:
            raise ProbeUnreachable("; ".join(errors)[:400])
        return {"tool": "ssh-keyscan", "subjects": subjects, "errors": errors}


def _keyscan(address: str, port: int, timeout: float) -> tuple[list[dict[str, Any]], str | None]:
    per_connection = max(1, min(10, int(timeout / 4)))
    try:
        done = subprocess.run(["ssh-keyscan", "-T", str(per_connection), "-p", str(port), "-t", KEYSCAN_TYPES, address],
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return [], f"no answer within {timeout:.0f} s"
    detail = " ".join(line for line in done.stderr.splitlines() if not line.startswith("#"))[:200]
    return parse_keyscan(done.stdout), detail or None
