"""DNSSEC, DANE and MTA-STS judged on real servers: named + a validating Unbound, Postfix MX hosts, nginx.

One lab per module (``dnssec_lab``): the verdicts come from Unbound's own
validation (AD bit, SERVFAIL, Extended DNS Error), from the certificates
Postfix presents through STARTTLS and from the policies nginx serves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from auditor.checks.mail_dns.probe import MailDnsProbe
from auditor.demo.services import free_port
from auditor.demo.unbound import Unbound
from auditor.inventory import load_inventory
from auditor.model import Finding, Status
from auditor.plugin import ProbeContext
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
from auditor.scope import ScopeGuard
from dnssec_lab import (BOGUS, DECOY_ADDRESS, DECOY_MX, PARENT, RESOLVER, SCOPE, SIGNED, UNSIGNED, DnssecLab,
                        lab_unavailable, spki_sha256, start_lab)
from hostile.scope_lab import Decoy
from maildns_support import domain_target, judged

pytestmark = pytest.mark.probe


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, server_missing: Callable[[str | None], None]) -> Iterator[DnssecLab]:
    server_missing(lab_unavailable())
    running = start_lab(tmp_path_factory.mktemp("dnssec"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def decoy(lab: DnssecLab) -> Iterator[Decoy]:
    """Listens where the out-of-scope MX ``obcy`` points, on the lab's SMTP port."""
    listener = Decoy(DECOY_ADDRESS, lab.smtp_port)
    yield listener
    listener.close()


def context(lab: DnssecLab, resolver: str | None = None) -> ProbeContext:
    return ProbeContext(scope=ScopeGuard.from_lists([SCOPE], [PARENT]), timeout=30, settings=lab.settings(resolver))


@pytest.fixture(scope="module")
def evidence(lab: DnssecLab, decoy: Decoy) -> dict[str, dict[str, Any]]:
    return {domain: MailDnsProbe().collect(domain_target(domain), context(lab)) for domain in (SIGNED, UNSIGNED, BOGUS)}


def verdicts(evidence: dict[str, Any], domain: str, check_id: str) -> dict[str, Finding]:
    return {f.subject: f for f in judged(evidence, domain_target(domain))[check_id]}


# --------------------------------------------------------------------------- DNSSEC


def test_signed_zone_passes_on_the_validators_ad_bit(evidence: dict[str, dict[str, Any]]) -> None:
    facts = evidence[SIGNED]["dnssec"]
    assert (facts["rcode"], facts["ad"], facts["bogus"], facts["dnskey"], facts["ds"]) == ("NOERROR", True, False, 1, 1)
    [finding] = verdicts(evidence[SIGNED], SIGNED, "dns.dnssec").values()
    assert finding.status is Status.PASS and "algorithms 13" in finding.message["en"]


def test_unsigned_zone_fails_as_unsigned(evidence: dict[str, dict[str, Any]]) -> None:
    facts = evidence[UNSIGNED]["dnssec"]
    assert (facts["rcode"], facts["ad"], facts["dnskey"], facts["ds"]) == ("NOERROR", False, 0, 0)
    [finding] = verdicts(evidence[UNSIGNED], UNSIGNED, "dns.dnssec").values()
    assert finding.status is Status.FAIL and "is not signed" in finding.message["en"]


def test_expired_signatures_fail_as_bogus_not_as_unsigned(evidence: dict[str, dict[str, Any]]) -> None:
    """Unbound answers SERVFAIL with EDE 7; asked again with CD the zone answers: bogus, its own message."""
    facts = evidence[BOGUS]["dnssec"]
    assert facts["rcode"] == "SERVFAIL" and facts["bogus"] is True and facts["dnskey"] == 1
    assert any(e.startswith("7 SIGNATURE_EXPIRED") for e in facts["ede"]), facts["ede"]
    [finding] = verdicts(evidence[BOGUS], BOGUS, "dns.dnssec").values()
    assert finding.status is Status.FAIL and finding.severity.value == "high"
    assert "rejects" in finding.message["en"] and "not signed" not in finding.message["en"]
    assert "SIGNATURE_EXPIRED" in finding.message["pl"]
    # the zone's other records are still read as published (with CD), not reported as query failures
    assert evidence[BOGUS]["spf"]["records"] == ["v=spf1 -all"] and evidence[BOGUS]["query_failures"] == {}


def test_a_resolver_that_does_not_validate_gives_manual_not_pass(lab: DnssecLab, tmp_path: Path) -> None:
    """The flip of the resolver: ``module-config: "iterator"`` instead of ``"validator iterator"``."""
    plain = Unbound(tmp_path / "plain", RESOLVER, free_port(RESOLVER), lab.forward(), [lab.trust_anchor],
                    validating=False)
    try:
        found = {domain: MailDnsProbe().collect(domain_target(domain), context(lab, plain.resolver_setting))
                 for domain in (SIGNED, BOGUS)}
    finally:
        plain.stop()
    for domain in (SIGNED, BOGUS):  # even the bogus zone: a non-validating resolver cannot tell
        assert found[domain]["dnssec"]["ad"] is False and found[domain]["dnssec"]["bogus"] is False
        [finding] = verdicts(found[domain], domain, "dns.dnssec").values()
        assert finding.status is Status.MANUAL, (domain, finding.message["en"])
    assert verdicts(found[SIGNED], SIGNED, "mail.dane.tlsa")[f"poczta.{SIGNED}"].status is Status.FAIL


def test_an_unreachable_resolver_is_error_never_pass(lab: DnssecLab, write_inventory: Callable[..., Path]) -> None:
    dead = f"{RESOLVER.rsplit('.', 1)[0]}.250:{free_port('127.0.22.250')}"
    path = write_inventory(scope={"cidrs": [SCOPE], "domains": [PARENT]},
                           settings={**lab.settings(dead), "timeout": 4}, domains=[{"name": SIGNED}])
    run = run_scan(load_inventory(path), default_registry(), ScanOptions(families={"mail_dns"}))
    statuses = {f.status for f in run.findings if f.target_id == f"domain:{SIGNED}"}
    assert statuses == {Status.ERROR}, statuses


def test_bogus_zone_through_a_scan_is_one_failure_not_an_unreachable_domain(
        lab: DnssecLab, write_inventory: Callable[..., Path]) -> None:
    path = write_inventory(scope={"cidrs": [SCOPE], "domains": [PARENT]}, settings=lab.settings(),
                           domains=[{"name": BOGUS}])
    run = run_scan(load_inventory(path), default_registry(), ScanOptions(families={"mail_dns"}))
    assert all(a.completed for a in run.attempts)
    by_check = {f.check_id: f for f in run.findings}
    assert by_check["dns.dnssec"].status is Status.FAIL and by_check["mail.spf.missing"].status is Status.PASS
    assert not [f for f in run.findings if f.status is Status.ERROR]


# --------------------------------------------------------------------------- DANE


def test_tlsa_matching_the_presented_key_passes(evidence: dict[str, dict[str, Any]]) -> None:
    found = verdicts(evidence[SIGNED], SIGNED, "mail.dane.tlsa")
    assert found[f"poczta.{SIGNED}"].status is Status.PASS


def test_tlsa_not_matching_the_presented_key_fails_with_the_right_record(
        lab: DnssecLab, evidence: dict[str, dict[str, Any]]) -> None:
    """The flip of Postfix: the same TLSA, the other listener's certificate file."""
    finding = verdicts(evidence[SIGNED], SIGNED, "mail.dane.tlsa")[f"zapas.{SIGNED}"]
    presented = spki_sha256(lab.certificates[f"zapas.{SIGNED}"])
    assert finding.status is Status.FAIL and finding.facts["presented"] == presented
    assert finding.facts["publish"] == f"_25._tcp.zapas.{SIGNED}. TLSA 3 1 1 {presented}"


def test_tlsa_in_an_unsigned_zone_is_unusable(evidence: dict[str, dict[str, Any]]) -> None:
    finding = verdicts(evidence[UNSIGNED], UNSIGNED, "mail.dane.tlsa")[f"poczta.{UNSIGNED}"]
    assert evidence[UNSIGNED]["mx_tls"]["hosts"][0]["pkix_valid"] is True  # the key itself matches
    assert finding.status is Status.FAIL and finding.message["en"].startswith("TLSA record")
    assert "did not confirm it with DNSSEC" in finding.message["en"]


def test_an_mx_outside_the_scope_gets_no_connection(evidence: dict[str, dict[str, Any]], decoy: Decoy) -> None:
    tls = {h["host"]: h for h in evidence[UNSIGNED]["mx_tls"]["hosts"]}
    assert tls[DECOY_MX] == {"host": DECOY_MX, "skipped": "out_of_scope"} and decoy.total == 0
    assert verdicts(evidence[UNSIGNED], UNSIGNED, "mail.mta_sts.mx_certificate")[DECOY_MX].status is Status.MANUAL


# --------------------------------------------------------------------------- MTA-STS


def test_wildcard_policy_covers_the_real_mx_names(evidence: dict[str, dict[str, Any]]) -> None:
    """``mx: *.podpisana.jst.test`` served by nginx covers both MX; ``*.jst.test`` covers neither (one label)."""
    assert evidence[SIGNED]["mta_sts"]["policy"]["mx"] == [f"*.{SIGNED}"]
    assert evidence[SIGNED]["mta_sts"]["policy"]["certificate"] == {"valid": True, "error": None}
    [covered] = verdicts(evidence[SIGNED], SIGNED, "mail.mta_sts").values()
    assert covered.status is Status.PASS
    [uncovered] = verdicts(evidence[UNSIGNED], UNSIGNED, "mail.mta_sts").values()
    assert uncovered.status is Status.FAIL and uncovered.facts["uncovered"] == [f"poczta.{UNSIGNED}", DECOY_MX]


def test_mx_certificate_must_be_valid_for_the_mx_name(evidence: dict[str, dict[str, Any]]) -> None:
    found = verdicts(evidence[SIGNED], SIGNED, "mail.mta_sts.mx_certificate")
    assert found[f"poczta.{SIGNED}"].status is Status.PASS
    wrong = found[f"zapas.{SIGNED}"]
    assert wrong.status is Status.FAIL and "Hostname mismatch" in wrong.facts["error"]
    assert wrong.facts["names"] == [f"inna.{PARENT}"]


def test_a_policy_whose_certificate_a_sender_does_not_trust_is_not_in_force(lab: DnssecLab) -> None:
    """The same nginx, judged with the system trust store instead of the lab CA (``tls_ca_file``)."""
    ctx = context(lab)
    untrusting = ProbeContext(scope=ctx.scope, timeout=ctx.timeout,
                              settings={k: v for k, v in ctx.settings.items() if k != "tls_ca_file"})
    evidence = MailDnsProbe().collect(domain_target(SIGNED), untrusting)
    assert evidence["mta_sts"]["policy"]["certificate"]["valid"] is False
    [policy] = verdicts(evidence, SIGNED, "mail.mta_sts").values()
    assert policy.status is Status.FAIL and policy.message["en"].startswith(f"The MTA-STS policy of {SIGNED} is served")
    assert "self-signed certificate in certificate chain" in policy.facts["error"]  # nginx sends leaf + lab CA
