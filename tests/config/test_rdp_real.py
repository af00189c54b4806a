"""A real xrdp on loopback: the RDP NLA verdict for what it really negotiates.

xrdp implements Standard RDP Security and TLS but no CredSSP, so it can
never require NLA: ``config.remote.rdp_nla`` must fail for both
``security_layer = negotiate`` and ``security_layer = tls`` (nmap's
rdp-enum-encryption claimed "CredSSP (NLA): SUCCESS" for the first and
crashed on the second).  The flip is ``security_layer``: with ``tls`` the
"Native RDP" layer is refused.  A server that accepts only CredSSP (Windows
with NLA) cannot run here; its answers are unit-tested in test_remote_parsing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from auditor.demo.certs import CertificateAuthority
from auditor.demo.daemon import Daemon
from auditor.demo.services import free_port
from auditor.demo.xrdp import start_xrdp
from auditor.checks.config.remote import RdpSecurityProbe
from auditor.model import PortSpec, Status, Target
from auditor.plugin import ProbeContext
from auditor.scope import ScopeGuard

pytestmark = pytest.mark.probe


@pytest.fixture(scope="module")
def xrdp(tmp_path_factory: pytest.TempPathFactory, server_missing: Callable[[str | None], None]
         ) -> Iterator[dict[str, str]]:
    server_missing(None if shutil.which("nmap") else "nmap is not installed")
    server_missing(None if shutil.which("xrdp") or Path("/usr/sbin/xrdp").exists() else "xrdp is not installed")
    folder = tmp_path_factory.mktemp("xrdp")
    ca = CertificateAuthority(folder / "pki")
    running: list[Daemon] = []
    subjects: dict[str, str] = {}
    try:
        for index, layer in enumerate(("negotiate", "tls")):
            address = f"127.125.3.{index + 1}"
            cert = ca.issue(f"rdp-{layer}", [f"rdp-{layer}.testowa.test"])
            running.append(start_xrdp(folder / layer, address, free_port(address), cert, layer))
            subjects[layer] = f"{address}:{running[-1].listens[0][1]}"
        yield subjects
    finally:
        for daemon in running:
            daemon.stop()


@pytest.fixture(scope="module")
def findings(xrdp: dict[str, str], tmp_path_factory: pytest.TempPathFactory,
             scan_servers: Callable[..., Any]) -> dict[tuple[str, str], Any]:
    return scan_servers(tmp_path_factory.mktemp("rdp-scan"), "rdp", xrdp)


def test_xrdp_never_passes_nla(findings: dict, xrdp: dict[str, str]) -> None:
    for layer, subject in xrdp.items():
        finding = findings[("config.remote.rdp_nla", subject)]
        assert finding.status is Status.FAIL, (layer, finding.message)
        assert finding.facts["values"] == {"rdp.nla_required": False}


def test_security_layer_setting_shows_in_the_layers(xrdp: dict[str, str]) -> None:
    """``negotiate`` also takes Standard RDP Security; ``tls`` refuses it (the flip)."""
    layers = {}
    for layer, subject in xrdp.items():
        address, port = subject.split(":")
        target = Target(id=f"host:rdp-{layer}", kind="host", name=f"rdp-{layer}.testowa.test", addresses=(address,),
                        ports=(PortSpec(port=int(port), service="rdp"),))
        evidence = RdpSecurityProbe().collect(target, ProbeContext(scope=ScopeGuard.from_lists(["127.0.0.0/8"], []),
                                                                   timeout=60))
        layers[layer] = set(evidence["subjects"][0]["facts"]["rdp"]["security_layers"])
    assert layers == {"negotiate": {"Native RDP", "SSL"}, "tls": {"SSL"}}
