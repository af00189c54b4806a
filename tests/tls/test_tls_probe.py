"""The tls family against real servers on loopback: nginx sites with known flaws and a STARTTLS SMTP server."""

from __future__ import annotations

import pytest

from auditor.checks.tls.probe import TlsProbe
from auditor.model import ErrorReason, PortSpec, Status, Target, TlsMode
from auditor.plugin import ProbeContext, ProbeInputError, ProbeUnreachable
from auditor.scope import ScopeGuard

pytestmark = pytest.mark.probe

ALL_CHECKS = 28
HTTPS_CHECKS = ALL_CHECKS - 1
"""An implicit-TLS endpoint gets every check but ``tls.starttls.missing`` (STARTTLS ports only)."""


def failing(findings: dict) -> dict[str, str]:
    return {check: f.status.value for check, f in findings.items() if f.status in (Status.FAIL, Status.WARN)}


def test_good_server_gets_a_plus_and_no_failures(tls_lab):
    findings = tls_lab.findings("good")
    assert len(findings) == HTTPS_CHECKS
    assert failing(findings) == {}
    assert findings["tls.grade"].facts["grade"] == "A+"
    assert findings["tls.grade"].facts["scores"] == {"protocol": 100, "key_exchange": 90, "cipher": 90}
    assert findings["tls.cert.untrusted"].facts["stores"] == ["Supplied CA file"]
    assert findings["tls.profile.mozilla_intermediate"].status is Status.PASS
    assert findings["tls.grade"].subject == findings["tls.grade"].facts["endpoint"]
    assert "A+" in findings["tls.grade"].message["pl"]


def test_good_server_evidence_is_complete(tls_lab):
    endpoint = tls_lab.evidence("good")["endpoints"][0]
    assert endpoint["protocols"] == {"SSLv2": False, "SSLv3": False, "TLSv1.0": False, "TLSv1.1": False,
                                     "TLSv1.2": True, "TLSv1.3": True}
    assert {s["name"] for s in endpoint["cipher_suites"]["TLSv1.2"]} == {
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"}
    leaf = endpoint["certificate"]["chain"][0]
    assert (leaf["key_type"], leaf["key_bits"], leaf["signature_hash"]) == ("RSA", 2048, "sha256")
    assert leaf["san_dns"] == ["good.tls.test"]
    assert endpoint["certificate"]["ocsp_stapled"] is False
    assert endpoint["hsts"]["max_age"] == 63072000
    assert endpoint["scan_errors"] == {}


def test_tls10_only_with_null_cipher_gets_f(tls_lab):
    findings = tls_lab.findings("legacy")
    assert failing(findings) == {
        "tls.protocol.tls10": "fail",
        "tls.protocol.tls12_missing": "fail",
        "tls.cipher.weak": "fail",
        "tls.cipher.no_forward_secrecy": "fail",
        "tls.cipher.no_aead": "fail",
        "tls.hsts.missing": "fail",
        "tls.grade": "fail",
    }
    # every deviation from the Mozilla profile here is some other check's failure: named, not failed again
    assert findings["tls.profile.mozilla_intermediate"].status is Status.NOT_APPLICABLE
    grade = findings["tls.grade"].facts
    assert grade["grade"] == "F"
    assert grade["reasons"] == ["F: cipher_under_112_bits", "C: no_tls12", "B: tls10_or_tls11", "B: no_aead",
                                "B: no_forward_secrecy"]
    assert findings["tls.cipher.weak"].facts["suites"] == ["TLSv1.0 TLS_RSA_WITH_NULL_SHA (null)"]


@pytest.mark.parametrize("host, failures, grade, if_trusted", [
    # expired and SHA-1 are judged by their own checks once; the chain still leads to the CA
    ("expired", {"tls.cert.expired", "tls.grade"}, "T", "A+"),
    ("selfsigned", {"tls.cert.untrusted", "tls.grade"}, "T", "A+"),
    ("sha1", {"tls.cert.weak_signature", "tls.grade"}, "T", "A+"),
    ("mismatch", {"tls.cert.hostname_mismatch", "tls.grade"}, "M", "A+"),
    # a 1024-bit RSA key chained to a trusted CA still validates; SSL Labs caps it at B (a warning here)
    ("weakkey", {"tls.cert.weak_key"}, "B", "B"),
])
def test_certificate_flaws(tls_lab, host, failures, grade, if_trusted):
    findings = tls_lab.findings(host)
    expected = {check: "fail" for check in failures} | ({"tls.grade": "warn"} if grade == "B" else {})
    assert failing(findings) == expected
    assert (findings["tls.grade"].facts["grade"], findings["tls.grade"].facts["grade_if_trusted"]) == (grade, if_trusted)


def test_self_signed_is_named_so(tls_lab):
    finding = tls_lab.findings("selfsigned")["tls.cert.untrusted"]
    assert "samopodpisany" in finding.message["pl"]
    assert tls_lab.evidence("selfsigned")["endpoints"][0]["certificate"]["chain"][0]["self_signed"] is True


def test_missing_hsts_costs_a_plus_and_dead_endpoint_is_an_error(tls_lab):
    findings = tls_lab.findings("nohsts")
    subjects = sorted({subject for _, subject in findings})
    live, dead = (s for s in subjects if findings[("tls.grade", s)].status is not Status.ERROR), \
        (s for s in subjects if findings[("tls.grade", s)].status is Status.ERROR)
    live, dead = next(live), next(dead)
    assert findings[("tls.hsts.missing", live)].status is Status.FAIL
    assert findings[("tls.grade", live)].facts["grade"] == "A"
    assert findings[("tls.grade", live)].status is Status.PASS
    assert {findings[(check, dead)].status for check, s in findings if s == dead} == {Status.ERROR}
    assert "rejected the connection" in findings[("tls.grade", dead)].facts["error"]


def test_short_hsts(tls_lab):
    findings = tls_lab.findings("shorthsts")
    assert failing(findings) == {"tls.hsts.short": "fail"}  # once: not also as a Mozilla-profile deviation
    assert findings["tls.hsts.short"].facts["days"] == 1
    assert findings["tls.grade"].facts["grade"] == "A"


def test_starttls_smtp_endpoint(tls_lab):
    findings = tls_lab.findings("mail")
    assert failing(findings) == {}
    assert findings["tls.hsts.missing"].status is Status.NOT_APPLICABLE
    assert findings["tls.grade"].facts["grade"] == "A"
    endpoint = tls_lab.evidence("mail")["endpoints"][0]
    assert endpoint["starttls"] == "smtp"
    assert endpoint["certificate"]["chain"][0]["key_type"] == "EC"


def test_host_with_no_answering_endpoint_is_unreachable(tls_lab):
    attempt = next(a for a in tls_lab.run.attempts if a.target_id == "host:down.tls.test")
    assert attempt.error_reason is ErrorReason.UNREACHABLE
    findings = tls_lab.findings("down")
    assert len(findings) == ALL_CHECKS
    assert {f.status for f in findings.values()} == {Status.ERROR}


def test_missing_ca_file_is_bad_input(tmp_path):
    target = Target(id="host:x.tls.test", kind="host", name="x.tls.test", addresses=("127.99.4.99",),
                    ports=(PortSpec(8443, service="https", tls=TlsMode.IMPLICIT),))
    ctx = ProbeContext(scope=ScopeGuard.from_lists(["127.0.0.0/8"], []), timeout=10,
                       settings={"tls_ca_file": str(tmp_path / "missing.pem")})
    with pytest.raises(ProbeInputError, match="tls_ca_file"):
        TlsProbe().collect(target, ctx)


def test_starttls_port_with_unknown_dialect_is_reported_not_guessed():
    target = Target(id="host:x.tls.test", kind="host", name="x.tls.test", addresses=("127.99.4.99",),
                    ports=(PortSpec(4444, service="gopher", tls=TlsMode.STARTTLS),))
    ctx = ProbeContext(scope=ScopeGuard.from_lists(["127.0.0.0/8"], []), timeout=10)
    with pytest.raises(ProbeUnreachable, match="no STARTTLS dialect known for service 'gopher'"):
        TlsProbe().collect(target, ctx)
