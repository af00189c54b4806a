"""The mail_dns probe against a real DNS server and a real HTTPS policy site on loopback."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.checks.mail_dns.probe import MailDnsProbe
from auditor.model import Status
from auditor.plugin import ProbeContext, ProbeUnreachable
from auditor.scope import ScopeGuard
from auditor.settings import resolver_address
from maildns_support import BAD, GOOD, LOOP, SIGNED, STAND_IN_LIMITS, domain_target, judged

pytestmark = pytest.mark.probe


@pytest.fixture(scope="module")
def good(probe_context: ProbeContext) -> dict[str, Any]:
    return MailDnsProbe().collect(domain_target(GOOD, ["mail2026"]), probe_context)


@pytest.fixture(scope="module")
def bad(probe_context: ProbeContext) -> dict[str, Any]:
    return MailDnsProbe().collect(domain_target(BAD), probe_context)


def statuses(findings: dict) -> dict[str, list[str]]:
    return {check: [f.status.value for f in items] for check, items in findings.items()}


def test_good_domain_evidence(good: dict[str, Any]) -> None:
    assert good["spf"]["records"] == ["v=spf1 mx include:_spf.dobra.testowa.test -all"]
    assert good["spf"]["lookups"] == 2 and [c["domain"] for c in good["spf"]["chain"]] == [GOOD, f"_spf.{GOOD}"]
    [key] = good["dkim"]["keys"]
    assert (key["selector"], key["key_type"], key["key_bits"], key["configured"]) == ("mail2026", "rsa", 2048, True)
    assert good["mx"]["hosts"] == [{"host": f"poczta.{GOOD}", "preference": 10, "addresses": ["127.0.41.3"], "in_scope": True}]
    assert good["mta_sts"]["policy"]["mode"] == "enforce" and good["mta_sts"]["policy"]["mx"] == [f"poczta.{GOOD}"]
    assert (good["dnssec"]["dnskey"], good["dnssec"]["ds"], good["dnssec"]["ad"]) == (0, 0, False)
    assert good["caa"]["records"] == [{"flags": 0, "tag": "issue", "value": "letsencrypt.org"}]
    assert good["query_failures"] == {}


def test_good_domain_passes_everything(good: dict[str, Any]) -> None:
    result = statuses(judged(good, domain_target(GOOD, ["mail2026"])))
    assert {check: values for check, values in result.items() if values != ["pass"]} == STAND_IN_LIMITS, result


def test_spf_pass_all_and_no_dmarc_fail_with_exact_records(bad: dict[str, Any]) -> None:
    findings = judged(bad, domain_target(BAD))
    [spf] = findings["mail.spf.permissive"]
    assert spf.status is Status.FAIL and spf.severity.value == "critical"
    assert spf.facts["publish"] == f'{BAD}. TXT "v=spf1 -all"'
    assert f'{BAD}. TXT "v=spf1 -all"' in spf.message["pl"] and "+all" in spf.message["en"]
    [dmarc] = findings["mail.dmarc.missing"]
    assert dmarc.status is Status.FAIL
    expected = f'_dmarc.{BAD}. TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@{BAD}"'
    assert dmarc.facts["publish"] == expected and expected in dmarc.message["pl"]


def test_bad_domain_other_gaps(bad: dict[str, Any]) -> None:
    findings = judged(bad, domain_target(BAD))
    result = statuses(findings)
    assert result["mail.dkim.weak_key"] == ["warn"]  # 1024-bit RSA
    assert findings["mail.dkim.weak_key"][0].facts["key_bits"] == 1024
    assert result["mail.dkim.missing"] == ["pass"]  # found under the common selector "default"
    assert result["mail.mx"] == ["manual"]  # provider MX outside the scope: not connected to
    assert findings["mail.mx"][0].facts["addresses"] == ["192.0.2.25"]
    assert result["mail.mta_sts"] == ["warn"] and result["mail.tls_rpt"] == ["warn"]
    assert result["dns.dnssec"] == ["fail"] and result["dns.caa"] == ["warn"]
    assert f"_mta-sts.{BAD}. TXT" in findings["mail.mta_sts"][0].facts["publish"]
    assert result["mail.dmarc.policy_none"] == ["not_applicable"]


def test_too_many_lookups_through_nested_includes(probe_context: ProbeContext) -> None:
    evidence = MailDnsProbe().collect(domain_target(LOOP), probe_context)
    assert evidence["spf"]["lookups"] == 11
    findings = judged(evidence, domain_target(LOOP))
    assert findings["mail.spf.too_many_lookups"][0].status is Status.FAIL
    assert findings["mail.dmarc.policy_none"][0].status is Status.FAIL
    assert "p=quarantine" in findings["mail.dmarc.policy_none"][0].facts["publish"]


def test_signed_zone_without_validation_is_manual_not_pass(probe_context: ProbeContext) -> None:
    evidence = MailDnsProbe().collect(domain_target(SIGNED, mail=False), probe_context)
    assert evidence["dnssec"]["ad"] is False and evidence["dnssec"]["dnskey"] == 1
    findings = judged(evidence, domain_target(SIGNED, mail=False))
    assert findings["dns.dnssec"][0].status is Status.MANUAL
    # a domain that sends no mail should still say so: v=spf1 -all and p=reject
    assert findings["mail.spf.missing"][0].facts["publish"] == f'{SIGNED}. TXT "v=spf1 -all"'
    assert "p=reject" in findings["mail.dmarc.missing"][0].facts["publish"]
    assert findings["mail.dkim.missing"][0].status is Status.NOT_APPLICABLE


def test_configured_selector_missing_fails(probe_context: ProbeContext) -> None:
    target = domain_target(BAD, ["s2026"])
    findings = judged(MailDnsProbe().collect(target, probe_context), target)
    [missing] = findings["mail.dkim.missing"]
    assert missing.status is Status.FAIL and missing.subject == "s2026"


def test_policy_host_outside_scope_is_not_fetched(dns_server, policy_site) -> None:
    resolver = resolver_address(dns_server.resolver_setting)[0]  # the resolver itself is authorised (a target too)
    ctx = ProbeContext(scope=ScopeGuard.from_lists(["127.0.40.0/24", f"{resolver}/32"], ["testowa.test"]), timeout=10,
                       settings={"dns_resolver": dns_server.resolver_setting, "mta_sts_port": policy_site.port})
    evidence = MailDnsProbe().collect(domain_target(GOOD), ctx)
    assert "outside the authorised scope" in evidence["mta_sts"]["policy"]["error"]
    assert evidence["mx"]["hosts"][0]["in_scope"] is False
    assert judged(evidence, domain_target(GOOD))["mail.mta_sts"][0].status is Status.FAIL


def test_dead_resolver_is_unreachable_not_missing(probe_context: ProbeContext) -> None:
    ctx = ProbeContext(scope=probe_context.scope, timeout=2, settings={"dns_resolver": "127.0.41.250:9"})
    with pytest.raises(ProbeUnreachable):
        MailDnsProbe().collect(domain_target(GOOD), ctx)
