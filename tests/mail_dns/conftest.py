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
def policy_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, str]:
    """The CA of the policy site and its certificate file (the ``tls_ca_file`` a sender would trust)."""
    ca = trustme.CA()
    path = tmp_path_factory.mktemp("policy-ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, str(path)


@pytest.fixture(scope="module")
def policy_site(policy_ca: tuple[trustme.CA, str]) -> Iterator[RunningService]:
    ca = policy_ca[0]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(f"mta-sts.{GOOD}").configure_cert(context)
    policy = f"version: STSv1\nmode: enforce\nmx: poczta.{GOOD}\nmax_age: 604800\n".encode()
    site = http_service("mta-sts", POLICY_ADDRESS, free_port(POLICY_ADDRESS),
                        routes={"/.well-known/mta-sts.txt": (200, {"Content-Type": "text/plain"}, policy)},
                        not_found=(404, {}, b"not found"), ssl_context=context)
    yield site
    site.stop()


@pytest.fixture(scope="module")
def probe_context(dns_server: RunningDns, policy_site: RunningService, policy_ca: tuple[trustme.CA, str]) -> ProbeContext:
    return ProbeContext(
        scope=ScopeGuard.from_lists(["127.0.0.0/8"], ["testowa.test"]),
        timeout=20,
        settings={"dns_resolver": dns_server.resolver_setting, "mta_sts_port": policy_site.port,
                  # no MX server here (STARTTLS is tested in test_dnssec_real); the policy site's CA is trusted
                  "smtp_port": free_port(MX_ADDRESS), "tls_ca_file": policy_ca[1]},
    )
