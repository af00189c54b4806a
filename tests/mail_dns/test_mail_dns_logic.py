"""Pure logic of the mail_dns family: SPF parsing and counting, DKIM keys, records, checks on recorded facts."""

from __future__ import annotations

import base64
from copy import deepcopy

from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auditor.checks.mail_dns import records
from auditor.checks.mail_dns.dkim import describe_key
from auditor.settings import resolver_address
from auditor.checks.mail_dns.spf import count_lookups, parse
from auditor.model import Status
from maildns_support import domain_target, judged

D = "gmina.test"


def test_spf_parse_reports_syntax_errors() -> None:
    _, errors = parse("v=spf1 ip4:300.1.1.1 include: foo:bar ip6:10.0.0.1 -all")
    assert any("300.1.1.1" in e for e in errors)
    assert any("include needs a domain" in e for e in errors)
    assert any("unknown mechanism 'foo:bar'" in e for e in errors)
    assert any("not an IPv6" in e for e in errors)
    terms, errors = parse("v=spf1 a/24 mx:mail.gmina.test/28 ~all redirect=_spf.gmina.test")
    assert errors == [] and [str(t) for t in terms] == ["a/24", "mx:mail.gmina.test/28", "~all", "redirect=_spf.gmina.test"]


def test_count_lookups_bounded_and_cycle_safe() -> None:
    zone = {
        "a.test": ["v=spf1 include:b.test -all"],
        "b.test": ["v=spf1 include:a.test include:none.test include:%{i}.macro.test -all"],
        "none.test": ["unrelated text"],
    }
    facts = count_lookups("a.test", zone["a.test"][0], lambda name: zone.get(name, []))
    assert facts["lookups"] == 4
    assert any("loops back to a.test" in e for e in facts["errors"])
    assert any("none.test has no SPF record" in e for e in facts["errors"])
    assert facts["void_lookups"] == 1 and any("macro" in i for i in facts["incomplete"])
    deep = {f"d{i}.test": [f"v=spf1 include:d{i + 1}.test"] for i in range(40)}
    deep_facts = count_lookups("d0.test", deep["d0.test"][0], lambda name: deep.get(name, []))
    assert len(deep_facts["chain"]) <= 11 and deep_facts["incomplete"]


def test_dkim_key_types() -> None:
    raw = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert describe_key(f"v=DKIM1; k=ed25519; p={base64.b64encode(raw).decode()}")["key_bits"] == 256
    assert describe_key("v=DKIM1; p=")["revoked"] is True
    assert "base64" in describe_key("v=DKIM1; k=rsa; p=@@@")["error"]
    assert "DER" in describe_key("v=DKIM1; k=rsa; p=" + base64.b64encode(b"garbage").decode())["error"]


def test_records_keep_existing_tags() -> None:
    assert records.dmarc(D, "quarantine", "v=DMARC1; p=none; sp=none; pct=20; ruf=mailto:f@gmina.test") == (
        '_dmarc.gmina.test. TXT "v=DMARC1; p=quarantine; sp=quarantine; rua=mailto:dmarc@gmina.test; ruf=mailto:f@gmina.test"')
    assert records.spf_with_all(D, "v=spf1 mx include:x.test ?all") == 'gmina.test. TXT "v=spf1 mx include:x.test -all"'
    assert records.spf_with_all(D, "v=spf1 redirect=_spf.gmina.test") == 'gmina.test. TXT "v=spf1 redirect=_spf.gmina.test"'
    assert resolver_address("[::1]:5353") == ("::1", 5353) and resolver_address("10.0.0.53") == ("10.0.0.53", 53)


EVIDENCE = {
    "domain": D, "mail": True, "resolver": "10.0.0.53",
    "spf": {"records": ["v=spf1 mx ~all"], "lookups": 1, "void_lookups": 0, "chain": [], "errors": [], "incomplete": []},
    "dmarc": {"records": ["v=DMARC1; p=quarantine; pct=50; rua=mailto:d@gmina.test"]},
    "dkim": {"configured": [], "tried": ["default"], "failed": [], "keys": []},
    "mx": {"hosts": [{"host": "mx1.gmina.test", "preference": 10, "addresses": ["10.0.0.25"], "in_scope": True},
                     {"host": "mx2.gmina.test", "preference": 20, "addresses": ["10.0.0.26"], "in_scope": True}],
           "null_mx": False},
    "mta_sts": {"records": ["v=STSv1; id=1"], "policy": {"url": "https://mta-sts.gmina.test/.well-known/mta-sts.txt",
                                                         "status": 200, "error": None, "version": "STSv1",
                                                         "mode": "testing", "mx": ["mx1.gmina.test"]}},
    "tls_rpt": {"records": None},
    "dnssec": {"dnskey": 1, "ds": 0, "ad": False, "algorithms": [13]},
    "caa": {"owner": None, "records": None},
    "query_failures": {"_smtp._tls.gmina.test TXT": "timeout", "gmina.test CAA": "timeout"},
}


def test_recorded_evidence_verdicts() -> None:
    findings = judged(EVIDENCE, domain_target(D))
    status = {check: [f.status for f in items] for check, items in findings.items()}
    assert status["mail.spf.permissive"] == [Status.PASS]  # ~all is accepted
    assert status["mail.dmarc.policy_none"] == [Status.WARN]  # pct=50
    assert status["mail.dkim.missing"] == [Status.WARN]  # none configured, none found
    assert status["mail.mta_sts"] == [Status.FAIL]  # mx2 not covered by the policy
    assert findings["mail.mta_sts"][0].facts["uncovered"] == ["mx2.gmina.test"]
    # a failed query is never a "missing record" failure
    assert status["mail.tls_rpt"] == [Status.MANUAL] and status["dns.caa"] == [Status.MANUAL]
    assert status["dns.dnssec"] == [Status.FAIL] and findings["dns.dnssec"][0].message["en"].startswith("Zone gmina.test has DNSKEY")


def test_multiple_spf_records_and_wildcard_policy() -> None:
    evidence = deepcopy(EVIDENCE)
    evidence["spf"] = {"records": ["v=spf1 -all", "v=spf1 mx -all"]}
    evidence["mta_sts"]["policy"].update(mode="enforce", mx=["*.gmina.test"])
    findings = judged(evidence, domain_target(D))
    assert findings["mail.spf.syntax"][0].status is Status.FAIL and findings["mail.spf.syntax"][0].facts["count"] == 2
    assert findings["mail.spf.permissive"][0].status is Status.NOT_APPLICABLE
    assert findings["mail.mta_sts"][0].status is Status.PASS


def test_unknown_mx_is_not_read_as_no_mail() -> None:
    evidence = deepcopy(EVIDENCE)
    evidence["mx"] = {"hosts": None, "null_mx": False}
    findings = judged(evidence, domain_target(D))
    assert [f.status for f in findings["mail.mta_sts"]] == [Status.MANUAL]
    assert [f.status for f in findings["mail.tls_rpt"]] == [Status.MANUAL]
    assert [f.status for f in findings["mail.mx"]] == [Status.MANUAL]
