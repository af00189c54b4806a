"""Through the whole scan: inventory → engine → probe → judge, against the real test DNS server."""

from __future__ import annotations

import pytest

from auditor.demo.services import free_port
from auditor.inventory import load_inventory
from auditor.model import Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
from maildns_support import BAD, GOOD, MX_ADDRESS, STAND_IN_LIMITS

pytestmark = pytest.mark.e2e


def test_spf_pass_all_and_missing_dmarc_through_a_scan(write_inventory, dns_server, policy_site, policy_ca) -> None:
    path = write_inventory(
        settings={"timeout": 20, "dns_resolver": dns_server.resolver_setting, "mta_sts_port": policy_site.port,
                  "smtp_port": free_port(MX_ADDRESS), "tls_ca_file": policy_ca[1]},
        domains=[{"name": BAD}, {"name": GOOD, "dkim_selectors": ["mail2026"]}],
    )
    run = run_scan(load_inventory(path), default_registry(), ScanOptions(families={"mail_dns"}))
    assert all(a.completed for a in run.attempts)
    by_key = {(f.check_id, f.target_id): f for f in run.findings}
    spf = by_key[("mail.spf.permissive", f"domain:{BAD}")]
    dmarc = by_key[("mail.dmarc.missing", f"domain:{BAD}")]
    assert spf.status is Status.FAIL and dmarc.status is Status.FAIL
    assert f'Opublikuj zamiast niego: {BAD}. TXT "v=spf1 -all"' in spf.message["pl"]
    assert f'Publish: _dmarc.{BAD}. TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@{BAD}"' in dmarc.message["en"]
    good = [f for f in run.findings if f.target_id == f"domain:{GOOD}"]
    assert good and {f.check_id: [f.status.value] for f in good if f.status is not Status.PASS} == STAND_IN_LIMITS
