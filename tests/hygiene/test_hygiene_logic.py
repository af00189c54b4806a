"""The hygiene family's pure logic on recorded evidence: thresholds, RDAP answers, script domains, key lists."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from auditor.checks.hygiene.checks import debian_weak_key, domain_expiry
from auditor.checks.hygiene.sshkeys import parse_keyscan
from auditor.model import Target
from auditor.plugin import JudgeContext
from auditor.rdap import foreign_script_domains, parse_answer, registrable_domain

from rdap_lab import fixture

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
DOMAIN = Target(id="domain:gmina-wolka.pl", kind="domain", name="gmina-wolka.pl")


def judged(days: float, **settings) -> tuple[str, str | None]:
    evidence = {"domain": "gmina-wolka.pl", "outcome": "registered", "statuses": ["active"],
                "expires": (NOW + timedelta(days=days)).isoformat()}
    [verdict] = domain_expiry(evidence, DOMAIN, JudgeContext(now=NOW, settings=settings))
    return verdict.status.value, verdict.severity.value if verdict.severity else None


@pytest.mark.parametrize(("days", "expected"), [
    (61, ("pass", None)), (60, ("warn", "medium")), (15, ("warn", "medium")), (14, ("fail", None)),
    (0.5, ("fail", None)), (0, ("fail", "critical")), (-3, ("fail", "critical")),
])
def test_default_thresholds_are_60_and_14_days(days, expected) -> None:
    assert judged(days) == expected


def test_thresholds_are_settings() -> None:
    assert judged(80, domain_expiry_warn_days=90) == ("warn", "medium")
    assert judged(80, domain_expiry_warn_days=120, domain_expiry_fail_days=90) == ("fail", None)


def test_a_nask_style_answer_gives_dates_and_statuses() -> None:
    body = json.dumps(fixture("gmina-wolka.pl")).encode()
    parsed = parse_answer("gmina-wolka.pl", 200, body, False)
    assert parsed == {"outcome": "registered", "http_status": 200, "statuses": ["active", "client transfer prohibited"],
                      "expires": "2027-05-13T10:21:37Z", "registered_on": "2001-05-14T10:21:37Z"}


@pytest.mark.parametrize(("status", "body", "truncated", "error"), [
    (200, b"<html>maintenance</html>", False, "not JSON"),
    (200, b'{"objectClassName": "entity"}', False, "not an RDAP domain object"),
    (200, b'{"objectClassName": "domain", "ldhName": "other.pl"}', False, "not gmina-wolka.pl"),
    (200, b'{"objectClassName": "domain"', True, "larger than"),
    (429, b"", False, "rate limited"),
    (503, b"", False, "HTTP 503"),
])
def test_anything_but_a_domain_object_or_404_is_an_error(status, body, truncated, error) -> None:
    parsed = parse_answer("gmina-wolka.pl", status, body, truncated)
    assert parsed["outcome"] == "error" and error in parsed["error"]


def test_an_unanswered_lookup_is_never_a_pass() -> None:
    for outcome in ("offline", "no_service", "error"):
        [verdict] = domain_expiry({"domain": "gmina-wolka.pl", "outcome": outcome}, DOMAIN, JudgeContext(now=NOW))
        assert verdict.status.value == "manual"
    [verdict] = domain_expiry({"domain": "gmina-wolka.pl", "outcome": "registered", "statuses": []}, DOMAIN,
                              JudgeContext(now=NOW))
    assert (verdict.status.value, verdict.message) == ("manual", "no_expiry")


def test_registrable_domains_follow_the_public_suffix_list() -> None:
    assert registrable_domain("WWW.Gmina-Wolka.PL.") == "gmina-wolka.pl"
    assert registrable_domain("bip.um.warszawa.pl") == "um.warszawa.pl"  # warszawa.pl is a public suffix
    assert registrable_domain("cdn.jsdelivr.net") == "jsdelivr.net"
    assert registrable_domain("user.github.io") == "github.io"  # ICANN section only: github.io is registered
    assert registrable_domain("pl") is None and registrable_domain("192.0.2.1") is None


def test_only_scripts_from_other_registrable_domains_are_foreign() -> None:
    scripts = ["/js/a.js", "js/b.js?u=https://x.evil.com/", "https://static.gmina-wolka.pl/c.js",
               "//cdn.example-cdn.com/d.js", "https://bip.powiat.pl/e.js", "https://cdn.example-cdn.com/f.js",
               "http://192.0.2.7/g.js"]
    assert foreign_script_domains("https://www.gmina-wolka.pl", scripts, ["powiat.pl"]) == ["example-cdn.com"]


def test_keyscan_output_gives_public_key_facts_only() -> None:
    line = ("[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
            "# 127.0.0.1:2222 SSH-2.0-OpenSSH_9.2p1\n")
    [key] = parse_keyscan(line)
    assert key["type"] == "ssh-ed25519" and key["bits"] is None and len(key["md5"]) == 32
    assert set(key) == {"type", "bits", "md5", "sha256"}


def test_a_weak_key_fails_even_when_another_key_of_the_host_is_fine() -> None:
    evidence = {"subjects": [{"subject": "10.0.0.5:22", "keys": [
        {"type": "ssh-ed25519", "bits": None, "md5": "0" * 32, "sha256": "SHA256:x"},
        {"type": "ssh-rsa", "bits": 2048, "md5": "d5eb4531cb52c48d15b0951baf87eb16", "sha256": "SHA256:y"}]}]}
    verdicts = list(debian_weak_key(evidence, DOMAIN, JudgeContext(now=NOW)))
    assert [(v.status.value, v.subject) for v in verdicts] == [("fail", "10.0.0.5:22 ssh-rsa")]


def test_a_declared_ssh_port_that_gave_no_key_is_manual_not_silently_skipped() -> None:
    evidence = {"subjects": [{"subject": "10.0.0.5:22", "keys": [
        {"type": "ssh-ed25519", "bits": None, "md5": "0" * 32, "sha256": "SHA256:x"}]}],
        "errors": ["10.0.0.5:2222: no host key offered"]}
    verdicts = list(debian_weak_key(evidence, DOMAIN, JudgeContext(now=NOW)))
    assert [(v.status.value, v.subject) for v in verdicts] == [("pass", "10.0.0.5:22"), ("manual", "10.0.0.5:2222")]
