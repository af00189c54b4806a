"""TLS checks on recorded evidence: verdicts, messages and the not-tested / unreachable paths."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from auditor.checks.tls.certfacts import hostname_matches
from auditor.checks.tls.suites import classify
from auditor.model import Status, Target
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

EVIDENCE = Path(__file__).with_name("evidence")
TARGET = Target(id="host:x", kind="host", name="x")


def evidence(name: str) -> dict:
    return copy.deepcopy(json.loads((EVIDENCE / f"{name}.json").read_text()))


def leaf(ev: dict) -> dict:
    return ev["endpoints"][0]["certificate"]["chain"][0]


def run(check_id: str, ev: dict, now: datetime | None = None, **settings):
    spec = default_registry().checks[check_id]
    now = now or datetime.fromisoformat(leaf(ev)["not_before"]) + timedelta(days=2)
    verdicts = list(spec.evaluate(ev, TARGET, JudgeContext(now=now, settings=settings)))
    return [(v, spec.render_message(v)) for v in verdicts]


def test_expires_soon_uses_the_configured_threshold():
    ev = evidence("good")
    not_after = datetime.fromisoformat(leaf(ev)["not_after"])
    [(verdict, message)] = run("tls.cert.expires_soon", ev, now=not_after - timedelta(days=20))
    assert (verdict.status, verdict.facts["days"], verdict.facts["threshold"]) == (Status.WARN, 20, 30)
    assert "pozostało dni: 20" in message["pl"]
    [(verdict, _)] = run("tls.cert.expires_soon", ev, now=not_after - timedelta(days=20), tls_expiry_warning_days=14)
    assert verdict.status is Status.PASS


def test_expired_certificate_fails_and_expires_soon_steps_aside():
    ev = evidence("expired")
    now = datetime.fromisoformat(leaf(ev)["not_after"]) + timedelta(days=10)
    [(verdict, message)] = run("tls.cert.expired", ev, now=now)
    assert (verdict.status, verdict.facts["days"]) == (Status.FAIL, 10)
    assert "wygasł" in message["pl"]
    [(verdict, _)] = run("tls.cert.expires_soon", ev, now=now)
    assert verdict.status is Status.NOT_APPLICABLE


def test_not_yet_valid_certificate_fails():
    ev = evidence("good")
    [(verdict, message)] = run("tls.cert.expired", ev, now=datetime.fromisoformat(leaf(ev)["not_before"]) - timedelta(days=1))
    assert (verdict.status, verdict.message) == (Status.FAIL, "not_yet_valid")
    assert "dopiero od" in message["pl"]


@pytest.mark.parametrize("days, status", [(90, Status.PASS), (366, Status.PASS), (367, Status.WARN), (399, Status.FAIL)])
def test_lifetime_limits(days, status):
    ev = evidence("good")
    not_before = datetime.fromisoformat(leaf(ev)["not_before"])
    leaf(ev)["not_after"] = (not_before + timedelta(days=days)).isoformat()
    [(verdict, _)] = run("tls.cert.lifetime", ev)
    assert verdict.status is status


ENDPOINT_CHECKS = [c for c in default_registry().checks if c.startswith("tls.") and c != "tls.starttls.missing"]
"""Every TLS check judging each endpoint (``tls.starttls.missing`` judges STARTTLS ports only)."""


def test_unreachable_endpoint_is_an_error_for_every_check():
    ev = evidence("good")
    ev["endpoints"].append({"subject": "127.0.0.9:443", "reachable": False, "error": "connection refused"})
    for check_id in ENDPOINT_CHECKS:
        verdicts = run(check_id, ev)
        assert len(verdicts) == 2
        verdict, message = verdicts[1]
        assert (verdict.status, verdict.subject) == (Status.ERROR, "127.0.0.9:443")
        assert "connection refused" in message["en"]
    assert run("tls.starttls.missing", ev) == []  # no STARTTLS port here


def test_no_starttls_is_one_failure_and_not_applicable_elsewhere():
    """The facts the probe records for Postfix with ``smtpd_tls_security_level = none`` (sslyze's own words)."""
    ev = evidence("good")
    refused = "Server does not support STARTTLS with SMTP"
    ev["endpoints"] = [{"subject": "127.0.0.25:25", "starttls": "smtp", "reachable": True, "starttls_offered": False,
                        "error": refused},
                       {"subject": "127.0.0.26:25", "starttls": "smtp", "reachable": False, "error": "timed out"}]
    now = datetime(2026, 12, 2)
    [(missing, message), (unknown, _)] = run("tls.starttls.missing", ev, now=now)
    assert (missing.status, missing.subject, unknown.status) == (Status.FAIL, "127.0.0.25:25", Status.ERROR)
    assert "nie oferuje STARTTLS" in message["pl"] and refused in message["en"]
    for check_id in ENDPOINT_CHECKS:
        [(verdict, message), (error, _)] = run(check_id, ev, now=now)
        assert (verdict.status, verdict.message, error.status) == (Status.NOT_APPLICABLE, "no_starttls", Status.ERROR)
        assert refused in message["en"], check_id


def test_a_failed_scan_command_is_not_tested_never_a_pass():
    ev = evidence("good")
    endpoint = ev["endpoints"][0]
    endpoint["vulnerabilities"]["heartbleed"] = None
    endpoint["scan_errors"]["heartbleed"] = "CONNECTIVITY_ISSUE: timed out"
    [(verdict, message)] = run("tls.vuln.heartbleed", ev)
    assert (verdict.status, verdict.message) == (Status.NOT_APPLICABLE, "not_tested")
    assert "timed out" in message["en"]


def test_protocol_checks_on_the_legacy_server():
    ev = evidence("legacy")
    statuses = {c: run(c, ev)[0][0].status for c in ("tls.protocol.sslv2", "tls.protocol.sslv3",
                                                     "tls.protocol.tls10", "tls.protocol.tls11",
                                                     "tls.protocol.tls12_missing")}
    assert statuses == {"tls.protocol.sslv2": Status.PASS, "tls.protocol.sslv3": Status.PASS,
                        "tls.protocol.tls10": Status.FAIL, "tls.protocol.tls11": Status.PASS,
                        "tls.protocol.tls12_missing": Status.FAIL}


def test_tls13_only_is_a_warning():
    ev = evidence("good")
    ev["endpoints"][0]["protocols"]["TLSv1.2"] = False
    [(verdict, _)] = run("tls.protocol.tls12_missing", ev)
    assert (verdict.status, verdict.message) == (Status.WARN, "tls13_only")


def test_hsts_does_not_apply_to_smtp():
    [(verdict, message)] = run("tls.hsts.missing", evidence("mail"))
    assert verdict.status is Status.NOT_APPLICABLE
    assert "smtp" in message["en"]


def test_profile_names_deviations_other_checks_judge_without_failing_them_again():
    [(verdict, message)] = run("tls.profile.mozilla_intermediate", evidence("legacy"))
    assert (verdict.status, verdict.message) == (Status.NOT_APPLICABLE, "judged_elsewhere")
    assert verdict.facts["see"] == ["protocol TLSv1.0 (→ tls.protocol.tls10)", "no HSTS header (→ tls.hsts.missing)"]
    assert "tls.protocol.tls10" in message["pl"]
    [(verdict, _)] = run("tls.profile.mozilla_intermediate", evidence("good"))
    assert verdict.status is Status.PASS


def test_profile_fails_on_what_only_the_profile_notices():
    ev = evidence("good")
    ev["endpoints"][0]["hsts"]["max_age"] = 365 * 86400  # enough for tls.hsts.short, short of the profile's 2 years
    [(verdict, _)] = run("tls.profile.mozilla_intermediate", ev)
    assert verdict.status is Status.FAIL
    assert verdict.facts["deviations"] == ["HSTS max-age 31536000 < 63072000"]
    [(short, _)] = run("tls.hsts.short", ev)
    assert short.status is Status.PASS


def test_grade_message_names_the_reasons():
    [(verdict, message)] = run("tls.grade", evidence("legacy"))
    assert verdict.status is Status.FAIL
    assert "F: cipher_under_112_bits" in message["pl"] and "ocena F" in message["pl"]


@pytest.mark.parametrize("name, weak, aead, fs", [
    ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", ["des_3des"], False, False),
    ("TLS_ECDHE_RSA_WITH_RC4_128_SHA", ["rc4"], False, True),
    ("TLS_DH_anon_WITH_AES_128_CBC_SHA", ["anonymous"], False, False),
    ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", ["export", "rc4", "under_112_bits"], False, False),
    ("TLS_RSA_WITH_IDEA_CBC_SHA", ["64bit_block"], False, False),
    ("TLS_AES_128_GCM_SHA256", [], True, True),
    ("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", [], True, True),
])
def test_suite_classification(name, weak, aead, fs):
    bits = 40 if "EXPORT" in name else 128
    facts = classify(name, bits, anonymous=False)
    assert (facts["weak"], facts["aead"], facts["forward_secrecy"]) == (weak, aead, fs)


@pytest.mark.parametrize("names, host, match", [
    (["www.gmina.pl"], "www.gmina.pl", True),
    (["*.gmina.pl"], "bip.gmina.pl", True),
    (["*.gmina.pl"], "gmina.pl", False),
    (["*.gmina.pl"], "a.b.gmina.pl", False),
    (["WWW.Gmina.PL"], "www.gmina.pl", True),
])
def test_hostname_matching(names, host, match):
    assert hostname_matches({"san_dns": names, "san_ip": []}, host) is match


def test_ip_address_host_matches_ip_san():
    assert hostname_matches({"san_dns": [], "san_ip": ["127.0.0.1"]}, "127.0.0.1")


def test_expiry_day_boundaries_are_exact():
    """Issue 26 item 10: ``<`` vs ``<=`` at the boundaries must not survive a mutation."""
    ev = evidence("good")
    not_after = datetime.fromisoformat(leaf(ev)["not_after"])
    second = timedelta(seconds=1)
    # still valid at the very second it expires; expired one second later
    assert run("tls.cert.expired", ev, now=not_after)[0][0].status is Status.PASS
    assert run("tls.cert.expired", ev, now=not_after + second)[0][0].status is Status.FAIL
    # exactly the threshold (30 days) left is fine; a second less is a warning with 29 full days
    assert run("tls.cert.expires_soon", ev, now=not_after - timedelta(days=30))[0][0].status is Status.PASS
    [(verdict, _)] = run("tls.cert.expires_soon", ev, now=not_after - timedelta(days=30) + second)
    assert (verdict.status, verdict.facts["days"]) == (Status.WARN, 29)
