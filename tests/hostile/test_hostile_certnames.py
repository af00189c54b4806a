"""A certificate whose SAN names no verifier accepts is a fact, not a crash (issue 26, item 5).

A real TLS server presents a certificate naming ``srv_app.x`` (underscore),
``trailing.dot.``, a 64-character label and a name with a space beside the
host's real name.  Before the fix the TLS probe raised ``ValueError:
invalid domain name`` and every ``tls.*`` check of the host became ``error``.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from auditor.demo.certs import CertificateAuthority
from hostile_cli import scan, write_inventory
from scope_lab import IN_SCOPE, SCOPE, PointingServer

ODD = ["srv_app.x", "trailing.dot.", "a" * 64 + ".gmina.test", "spa ce.gmina.test"]


LAYOUTS = {  # SAN order -> whether the host's own name is among them
    "odd-only": ([*ODD, "inny.gmina.test"], False),
    "odd-first": ([*ODD, "www.gmina.test"], True),
    "real-first": (["www.gmina.test", *ODD], True),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_odd_certificate_names_are_reported_and_every_tls_check_still_runs(
        tmp_path: Path, record_case, layout: str) -> None:
    ca = CertificateAuthority(tmp_path / "ca")
    names, carries_host = LAYOUTS[layout]
    files = ca.issue("odd", names)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(files.cert, files.key)
    server = PointingServer(lambda path: (200, {}, b"ok"), address=IN_SCOPE, tls=context)
    try:
        inventory = write_inventory(tmp_path / "inventory.yaml", [SCOPE], timeout=30, hosts=[{
            "name": "www.gmina.test", "addresses": [IN_SCOPE],
            "ports": [{"port": server.port, "service": "https", "tls": "implicit"}]}])
        with record_case(f"TLS certificate with odd SAN names ({layout})") as outcome:
            result = scan(inventory, "tls")
            tls = result.findings("tls.")
            outcome.append(f"{len(tls)} tls findings, {sum(f.status.value == 'error' for f in tls)} error")
        attempt = next(a for a in result.run.attempts if a.probe == "tls")
        assert attempt.status.value == "completed", (attempt.error_reason, attempt.error)
        assert tls and not [f.check_id for f in tls if f.status.value == "error"]
        leaf = attempt.evidence["endpoints"][0]["certificate"]["chain"][0]
        assert leaf["san_dns_malformed"] == ODD
        by_id = {f.check_id: f for f in tls}
        assert by_id["tls.cert.hostname_mismatch"].status.value == ("pass" if carries_host else "fail")
        assert by_id["tls.cert.untrusted"].status.value == "fail"  # our own CA is in no trust store
    finally:
        server.close()
