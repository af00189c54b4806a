"""DANE and MTA-STS certificate verdicts on recorded evidence (the shapes the real lab produced)."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

import pytest

from auditor.model import Status
from maildns_support import domain_target, judged

D = "gmina.test"
MX = f"poczta.{D}"
KEY = "0c8dadecba16cd90a59154b1567ef3c52437d749f626aa50a23b4f9c4ebbf147"
CERT = {"cert_sha256": "aa" * 32, "spki_sha256": KEY, "cert_sha512": "bb" * 64, "spki_sha512": "cc" * 64,
        "names": [MX], "not_after": "2027-03-01T01:03:03+00:00"}
EVIDENCE: dict[str, Any] = {
    "domain": D, "mail": True, "resolver": "10.0.0.53",
    "mx": {"hosts": [{"host": MX, "preference": 10, "addresses": ["10.0.0.25"], "in_scope": True}], "null_mx": False},
    "mta_sts": {"records": ["v=STSv1; id=1"], "policy": {"status": 200, "version": "STSv1", "mode": "enforce",
                                                         "mx": [f"*.{D}"], "error": None, "url": ""}},
    "dane": {"hosts": [{"host": MX, "name": f"_25._tcp.{MX}", "ad": True,
                        "records": [{"usage": 3, "selector": 1, "mtype": 1, "data": KEY}]}]},
    "mx_tls": {"hosts": [{"host": MX, "address": "10.0.0.25", "port": 25, "starttls": True, "error": None,
                          "pkix_valid": True, "pkix_error": None, "certificate": CERT}]},
}


def _verdict(evidence: dict[str, Any], check_id: str) -> Any:
    [finding] = judged(evidence, domain_target(D))[check_id]
    return finding


def _with_tlsa(*records: tuple[int, int, int, str], ad: bool = True) -> dict[str, Any]:
    evidence = deepcopy(EVIDENCE)
    evidence["dane"]["hosts"][0].update(ad=ad, records=[
        {"usage": u, "selector": s, "mtype": m, "data": data} for u, s, m, data in records])
    return evidence


def test_dane_ee_spki_match_passes_and_other_digests_are_compared_too() -> None:
    assert _verdict(EVIDENCE, "mail.dane.tlsa").status is Status.PASS
    assert _verdict(_with_tlsa((3, 0, 2, "bb" * 64)), "mail.dane.tlsa").status is Status.PASS
    mismatch = _verdict(_with_tlsa((3, 1, 1, "dd" * 32)), "mail.dane.tlsa")
    assert mismatch.status is Status.FAIL and mismatch.facts["publish"].endswith(f"TLSA 3 1 1 {KEY}")


@pytest.mark.parametrize("records, ad, expected, message", [
    (((3, 1, 1, KEY),), False, Status.FAIL, "did not confirm it with DNSSEC"),  # AD missing: unusable however it matches
    (((1, 1, 1, KEY),), True, Status.FAIL, "PKIX-TA/PKIX-EE"),  # usages 0/1 are not for SMTP (RFC 7672 §3.1.3)
    (((2, 1, 1, "ee" * 32),), True, Status.MANUAL, "DANE-TA"),  # a CA's key: not compared without the chain
])
def test_dane_records_that_cannot_be_relied_on(records: tuple, ad: bool, expected: Status, message: str) -> None:
    verdict = _verdict(_with_tlsa(*records, ad=ad), "mail.dane.tlsa")
    assert verdict.status is expected and message in verdict.message["en"], verdict.message["en"]


def test_no_starttls_fails_both_checks_and_no_policy_is_not_applicable() -> None:
    evidence = deepcopy(EVIDENCE)
    evidence["mx_tls"]["hosts"][0].update(starttls=False, certificate=None, pkix_valid=None)
    assert _verdict(evidence, "mail.dane.tlsa").status is Status.FAIL
    assert "offers no STARTTLS" in _verdict(evidence, "mail.mta_sts.mx_certificate").message["en"]
    evidence["mta_sts"]["policy"]["mode"] = "none"
    assert _verdict(evidence, "mail.mta_sts.mx_certificate").status is Status.NOT_APPLICABLE


def test_evidence_stored_before_these_checks_existed_is_not_judged_as_passing() -> None:
    evidence = deepcopy(EVIDENCE)
    del evidence["dane"], evidence["mx_tls"]
    assert _verdict(evidence, "mail.dane.tlsa").status is Status.NOT_APPLICABLE
    assert _verdict(evidence, "mail.mta_sts.mx_certificate").status is Status.MANUAL
