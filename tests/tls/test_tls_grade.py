"""The SSL Labs-style grade on evidence recorded from the test servers (pure, no network)."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from auditor.checks.tls.grade import grade, letter_for_score, rsa_equivalent

EVIDENCE = Path(__file__).with_name("evidence")


def endpoint(name: str) -> dict:
    return copy.deepcopy(json.loads((EVIDENCE / f"{name}.json").read_text())["endpoints"][0])


def scan_time(ep: dict) -> datetime:
    return datetime.fromisoformat(ep["certificate"]["chain"][0]["not_before"]) + timedelta(days=2)


def test_good_is_a_plus_with_the_score_breakdown():
    ep = endpoint("good")
    result = grade(ep, scan_time(ep))
    assert result == {"grade": "A+", "grade_if_trusted": "A+", "score": 93,
                      "scores": {"protocol": 100, "key_exchange": 90, "cipher": 90},
                      "caps": [], "warnings": [], "trust_issues": []}


def test_without_hsts_it_is_a():
    ep = endpoint("nohsts")
    assert grade(ep, scan_time(ep))["grade"] == "A"


def test_legacy_tls10_null_cipher_is_f_with_every_cap():
    ep = endpoint("legacy")
    result = grade(ep, scan_time(ep))
    assert result["grade"] == "F"
    assert result["scores"] == {"protocol": 90, "key_exchange": 90, "cipher": 40}
    assert result["score"] == 70  # B by score alone; the caps bring it down
    assert [(c["grade"], c["reason"]) for c in result["caps"]] == [
        ("F", "cipher_under_112_bits"), ("C", "no_tls12"), ("B", "tls10_or_tls11"), ("B", "no_aead"),
        ("B", "no_forward_secrecy")]


def test_expired_certificate_is_t_and_keeps_the_grade_it_would_have():
    ep = endpoint("expired")
    result = grade(ep, datetime.fromisoformat(ep["certificate"]["chain"][0]["not_after"]) + timedelta(days=40))
    assert (result["grade"], result["grade_if_trusted"]) == ("T", "A+")
    assert result["trust_issues"] == ["untrusted", "expired"]


@pytest.mark.parametrize("mutate, letter, reason", [
    (lambda ep: ep["vulnerabilities"].update(heartbleed=True), "F", "heartbleed"),
    (lambda ep: ep["vulnerabilities"].update(robot_vulnerable=True), "F", "robot"),
    (lambda ep: ep["vulnerabilities"].update(ccs_injection=True), "F", "ccs_injection"),
    (lambda ep: ep["vulnerabilities"].update(secure_renegotiation=False, client_renegotiation=True), "F",
     "insecure_client_renegotiation"),
    (lambda ep: ep["protocols"].update(SSLv2=True), "F", "sslv2"),
    (lambda ep: ep["vulnerabilities"].update(compression=True), "C", "compression_crime"),
    (lambda ep: ep["protocols"].update(SSLv3=True), "C", "sslv3_poodle"),
    (lambda ep: ep["protocols"].update({"TLSv1.1": True}), "B", "tls10_or_tls11"),
    (lambda ep: ep["certificate"]["chain"][0].update(signature_hash="md5"), "F", "md5_signature"),
])
def test_caps(mutate, letter, reason):
    ep = endpoint("good")
    mutate(ep)
    result = grade(ep, scan_time(ep))
    assert {"grade": letter, "reason": reason} in result["caps"]
    assert result["grade_if_trusted"] == letter


def test_sslv3_as_best_protocol_is_f():
    ep = endpoint("legacy")
    ep["protocols"] = {"SSLv2": False, "SSLv3": True, "TLSv1.0": False, "TLSv1.1": False,
                       "TLSv1.2": False, "TLSv1.3": False}
    ep["cipher_suites"] = {"SSLv3": ep["cipher_suites"]["TLSv1.0"]}
    result = grade(ep, scan_time(ep))
    assert {"grade": "F", "reason": "sslv3_best_protocol"} in result["caps"]
    assert result["scores"]["protocol"] == 80


def test_warning_turns_a_into_a_minus():
    ep = endpoint("good")
    ep["vulnerabilities"]["secure_renegotiation"] = False
    result = grade(ep, scan_time(ep))
    assert (result["grade"], result["warnings"]) == ("A-", ["no_secure_renegotiation"])


def test_anonymous_key_exchange_zeroes_the_score():
    ep = endpoint("good")
    ep["cipher_suites"]["TLSv1.2"][0].update(anonymous=True)
    result = grade(ep, scan_time(ep))
    assert (result["score"], result["scores"]["key_exchange"], result["grade"]) == (0, 0, "F")


def test_hostname_mismatch_is_m():
    ep = endpoint("good")
    ep["certificate"]["hostname_match"] = False
    assert grade(ep, scan_time(ep))["grade"] == "M"


def test_no_protocol_facts_means_no_grade():
    ep = endpoint("good")
    ep["protocols"] = dict.fromkeys(ep["protocols"])
    assert grade(ep, scan_time(ep)) is None


@pytest.mark.parametrize("score, letter", [(80, "A"), (79, "B"), (65, "B"), (64, "C"), (50, "C"), (35, "D"),
                                           (20, "E"), (19, "F")])
def test_letter_thresholds(score, letter):
    assert letter_for_score(score) == letter


def test_elliptic_curve_strength_in_rsa_bits():
    assert rsa_equivalent("EC", 256) == 3072
    assert rsa_equivalent("ECDH", 253) == 3072  # X25519
    assert rsa_equivalent("EC", 384) == 7680
    assert rsa_equivalent("RSA", 1024) == 1024
