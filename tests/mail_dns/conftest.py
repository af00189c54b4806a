"""Module-scoped servers for the mail_dns tests: a real DNS server and an MTA-STS policy site."""

from __future__ import annotations

import ssl
from typing import Iterator

import pytest
import trustme

from auditor.demo.dns import RunningDns, dns_service
from auditor.demo.services import RunningService, free_port, http_service
from auditor.plugin import ProbeContext
from auditor.scope import ScopeGuard
from maildns_support import DNS_ADDRESS, GOOD, MX_ADDRESS, POLICY_ADDRESS, zone_text


@pytest.fixture(scope="module")
def dns_server() -> Iterator[RunningDns]:
    server = dns_service(DNS_ADDRESS, free_port(DNS_ADDRESS), zone_text())
    yield server
    server.stop()


@pytest.fixture(scope="module")
def policy_site() -> Iterator[RunningService]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(f"mta-sts.{GOOD}").configure_cert(context)
    policy = f"version: STSv1\nmode: enforce\nmx: poczta.{GOOD}\nmax_age: 604800\n".encode()
    site = http_service("mta-sts", POLICY_ADDRESS, free_port(POLICY_ADDRESS),
                        routes={"/.well-known/mta-sts.txt": (200, {"Content-Type": "text/plain"}, policy)},
                        not_found=(404, {}, b"not found"), ssl_context=context)
    yield site
    site.stop()


@pytest.fixture(scope="module")
def probe_context(dns_server: RunningDns, policy_site: RunningService) -> ProbeContext:
    return ProbeContext(
        scope=ScopeGuard.from_lists(["127.0.0.0/8"], ["testowa.test"]),
        timeout=20,
        settings={"dns_resolver": dns_server.resolver_setting, "mta_sts_port": policy_site.port,
                  "smtp_port": free_port(MX_ADDRESS)},  # no MX server here: STARTTLS is tested in test_dnssec_real
    )
