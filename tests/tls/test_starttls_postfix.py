"""A real Postfix as the office's MX: the TLS family scans it through SMTP STARTTLS.

One Postfix master serves four smtpd listeners on loopback: the MX with a
good certificate on the SMTP port and a submission port that requires TLS
(``encrypt``), an MX whose certificate expired, and an MX that offers no
STARTTLS at all (``smtpd_tls_security_level = none``).  The flip for the
certificate verdict is the certificate file alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tls_inventory import write_tls_inventory

from auditor.demo.certs import CertificateAuthority
from auditor.demo.postfix import SmtpListener, postfix_unavailable, start_postfix
from auditor.demo.services import free_port
from auditor.inventory import load_inventory
from auditor.model import ScanRun, Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

pytestmark = pytest.mark.probe

DOMAIN = "testowa.test"
NETWORK = "127.125.2"


@pytest.fixture(scope="module")
def mx_run(tmp_path_factory: pytest.TempPathFactory, server_missing: Callable[[str | None], None]
           ) -> Iterator[tuple[ScanRun, dict[str, Any]]]:
    server_missing(postfix_unavailable())
    folder = tmp_path_factory.mktemp("postfix")
    ca = CertificateAuthority(folder / "pki")
    good = ca.issue("poczta", [f"poczta.{DOMAIN}"], key="ec256")
    expired = ca.issue("stara", [f"stara.{DOMAIN}"], valid_from_days=-100, valid_days=30)
    addresses = {"poczta": f"{NETWORK}.1", "stara": f"{NETWORK}.2", "jawna": f"{NETWORK}.3"}
    ports = {label: free_port(address) for label, address in addresses.items()}
    submission = free_port(addresses["poczta"])
    listeners = [SmtpListener(addresses["poczta"], ports["poczta"], good),
                 SmtpListener(addresses["poczta"], submission, good, require_tls=True),
                 SmtpListener(addresses["stara"], ports["stara"], expired),
                 SmtpListener(addresses["jawna"], ports["jawna"], None)]
    postfix = start_postfix(f"poczta.{DOMAIN}", listeners)
    hosts = [{"name": f"{label}.{DOMAIN}", "addresses": [address], "roles": ["mail"],
              "ports": [{"port": ports[label], "service": "smtp", "tls": "starttls"}]}
             for label, address in addresses.items()]
    hosts[0]["ports"].append({"port": submission, "service": "submission", "tls": "starttls"})
    inventory = write_tls_inventory(folder, DOMAIN, hosts, ca.cert_path)
    try:
        yield run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"tls"})), \
            {"ports": ports, "submission": submission, "addresses": addresses}
    finally:
        postfix.stop()


def _findings(run: ScanRun, label: str) -> dict[tuple[str, str], Any]:
    return {(f.check_id, f.subject): f for f in run.findings if f.target_id == f"host:{label}.{DOMAIN}"}


def _evidence(run: ScanRun, label: str) -> dict[str, Any]:
    return next(a for a in run.attempts if a.target_id == f"host:{label}.{DOMAIN}" and a.probe == "tls").evidence


def test_good_mx_is_scanned_through_starttls_on_smtp_and_submission(mx_run: tuple[ScanRun, dict]) -> None:
    run, lab = mx_run
    endpoints = {e["port"]: e for e in _evidence(run, "poczta")["endpoints"]}
    assert set(endpoints) == {lab["ports"]["poczta"], lab["submission"]}
    for endpoint in endpoints.values():
        assert endpoint["reachable"] is True and endpoint["starttls"] == "smtp"
    found = _findings(run, "poczta")
    for port in endpoints:
        subject = f"{lab['addresses']['poczta']}:{port}"
        for check_id in ("tls.cert.expired", "tls.cert.untrusted", "tls.cert.hostname_mismatch", "tls.protocol.tls10"):
            assert found[(check_id, subject)].status is Status.PASS, (check_id, subject, found[(check_id, subject)].message)


def test_expired_mx_certificate_fails(mx_run: tuple[ScanRun, dict]) -> None:
    run, lab = mx_run
    subject = f"{lab['addresses']['stara']}:{lab['ports']['stara']}"
    assert _findings(run, "stara")[("tls.cert.expired", subject)].status is Status.FAIL


def test_mx_without_starttls_is_one_failure_and_nothing_else_is_judged(mx_run: tuple[ScanRun, dict]) -> None:
    """``smtpd_tls_security_level = none``: one FAIL "offers no STARTTLS", every other check not applicable.

    (Before issue 22's second part this was 27 ``error`` findings "target did not answer".)  The
    flip is the listener's TLS setting alone: ``poczta`` (``may``) gets the same check as PASS.
    """
    run, lab = mx_run
    subject = f"{lab['addresses']['jawna']}:{lab['ports']['jawna']}"
    found = _findings(run, "jawna")
    missing = found.pop(("tls.starttls.missing", subject))
    assert missing.status is Status.FAIL and "offers no STARTTLS" in missing.message["en"]
    assert "does not support STARTTLS" in missing.facts["reason"]  # Postfix's real EHLO, as sslyze read it
    assert found and all(f.status is Status.NOT_APPLICABLE for f in found.values())
    assert all("offers no STARTTLS" in f.message["en"] for f in found.values())
    good = f"{lab['addresses']['poczta']}:{lab['ports']['poczta']}"
    assert _findings(run, "poczta")[("tls.starttls.missing", good)].status is Status.PASS
