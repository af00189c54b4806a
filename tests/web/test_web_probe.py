"""The web probe against real HTTP(S) servers on loopback, judged by the web checks."""

from __future__ import annotations

import json
import ssl
from datetime import timedelta
from typing import Any

import pytest
import trustme

from auditor.checks.web.probe import WebProbe
from auditor.demo.services import free_port, http_service
from auditor.model import PortSpec, Status, Target, TlsMode
from auditor.plugin import ProbeContext
from auditor.scope import ScopeGuard
from web_support import BAD, ENV_SECRET, GOOD, MIRROR, NOW, SOFT, host_target, judged, statuses

pytestmark = pytest.mark.probe

CTX = ProbeContext(scope=ScopeGuard.from_lists(["127.0.0.0/8"], ["testowa.test"]), timeout=30)


@pytest.fixture(scope="module")
def collected(sites: dict[str, dict[str, int]]) -> dict[str, dict[str, Any]]:
    """Evidence of every test site, collected once."""
    return {name: WebProbe().collect(host_target(name, sites[name], https=name == GOOD), CTX)
            for name in (GOOD, BAD, SOFT, MIRROR)}


def test_good_site_passes(collected: dict[str, dict[str, Any]], sites: dict[str, dict[str, int]]) -> None:
    result = statuses(judged(collected[GOOD], host_target(GOOD, sites[GOOD])))
    failing = {check: values for check, values in result.items() if set(values) - {"pass"}}
    assert failing == {}, failing
    findings = judged(collected[GOOD], host_target(GOOD, sites[GOOD]))
    assert findings["web.hsts"][0].facts["preload_eligible"] is True
    assert [f.facts["cookie"] for f in findings["web.cookie.httponly"]] == ["PHPSESSID"]  # "lang" is no session cookie
    # the http site and the https site it redirects to are one page: judged once
    assert len(findings["web.header.csp"]) == 1 and findings["web.header.csp"][0].subject.startswith("https://")


def test_bad_site_real_exposures_found_by_content(collected: dict[str, dict[str, Any]], sites) -> None:
    findings = judged(collected[BAD], host_target(BAD, sites[BAD], https=False))
    result = statuses(findings)
    for kind in ("git", "env", "directory_listing", "phpinfo"):
        assert result[f"web.exposed.{kind}"] == ["fail"], kind
    for kind in ("svn", "backup", "server_status", "admin_panel"):
        assert result[f"web.exposed.{kind}"] == ["pass"], kind  # soft 404 answers these with the home page
    assert findings["web.exposed.git"][0].facts["detail"] == "ref: refs/heads/master"
    assert findings["web.exposed.env"][0].facts["detail"] == "variables: APP_ENV, DB_PASSWORD"
    assert findings["web.exposed.git"][0].subject.endswith("/.git/HEAD")


def test_bad_site_other_gaps(collected: dict[str, dict[str, Any]], sites) -> None:
    findings = judged(collected[BAD], host_target(BAD, sites[BAD], https=False))
    result = statuses(findings)
    assert result["web.https_redirect"] == ["fail"]
    assert result["web.hsts"] == ["not_applicable"]
    assert result["web.header.csp"] == ["fail"] and result["web.header.x_frame_options"] == ["fail"]
    assert result["web.cookie.secure"] == ["fail"] and findings["web.cookie.secure"][0].message["en"].endswith(
        "is set over unencrypted HTTP.")
    assert result["web.cookie.httponly"] == ["fail"] and result["web.cookie.samesite"] == ["warn"]
    assert findings["web.server_disclosure"][0].facts["disclosed"] == [
        "Server: Apache/2.4.41 (Ubuntu)", "X-Powered-By: PHP/7.4.3"]
    assert result["web.security_txt"] == ["fail"]  # the soft-404 home page is no security.txt


def test_no_secret_reaches_evidence(collected: dict[str, dict[str, Any]]) -> None:
    text = json.dumps(collected)
    assert ENV_SECRET not in text and "s3cr3t-session" not in text and "abc123" not in text


@pytest.mark.parametrize("name", [SOFT, MIRROR])
def test_soft_404_sites_raise_no_exposure(collected: dict[str, dict[str, Any]], sites, name: str) -> None:
    findings = judged(collected[name], host_target(name, sites[name], https=False))
    exposed = {check: [f.status for f in items] for check, items in findings.items() if check.startswith("web.exposed.")}
    assert len(exposed) == 8 and all(values == [Status.PASS] for values in exposed.values()), exposed
    assert collected[name]["sites"][0]["not_found"]["status"] == 200
    assert findings["web.exposed.git"][0].facts["soft404"] == [collected[name]["sites"][0]["origin"]]


def test_redirect_out_of_scope_is_not_followed() -> None:
    address, name = "127.0.31.5", "stary.testowa.test"
    away = {"/": (302, {"Location": "https://bip.poza-zakresem.example/"}, b"")}
    service = http_service("away", address, free_port(address), routes=away)
    try:
        target = Target(id=f"host:{name}", kind="host", name=name, addresses=(address,),
                        ports=(PortSpec(service.port, service="http"),))
        evidence = WebProbe().collect(target, CTX)
    finally:
        service.stop()
    [site] = evidence["sites"]
    assert site["root"]["status"] == 302 and "outside the authorised domains" in site["page"]["error"]
    # the redirect itself is judged from its Location; the foreign page is not judged here
    findings = judged(evidence, target)
    assert statuses(findings)["web.https_redirect"] == ["pass"]
    assert statuses(findings)["web.header.csp"] == ["not_applicable"]


def test_expired_security_txt_fails(collected: dict[str, dict[str, Any]], sites) -> None:
    later = judged(collected[GOOD], host_target(GOOD, sites[GOOD]), now=NOW + timedelta(days=400))
    assert later["web.security_txt"][0].status is Status.FAIL
    assert "expired" in later["web.security_txt"][0].message["en"]


def test_pinned_https_sends_the_site_name_in_sni() -> None:
    """Connecting to the declared address must still name the site in TLS SNI (virtual hosts)."""
    ca, seen = trustme.CA(), []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("vhost.testowa.test").configure_cert(context)
    context.sni_callback = lambda sock, name, ctx: seen.append(name)
    address = "127.0.31.7"
    service = http_service("vhost", address, free_port(address), ssl_context=context)
    try:
        target = Target(id="host:vhost.testowa.test", kind="host", name="vhost.testowa.test", addresses=(address,),
                        ports=(PortSpec(service.port, service="https", tls=TlsMode.IMPLICIT),))
        WebProbe().collect(target, CTX)
    finally:
        service.stop()
    assert seen and set(seen) == {"vhost.testowa.test"}


def test_a_legacy_tls_only_site_still_gets_its_http_checks() -> None:
    """A server speaking only TLS 1.0 is judged by the TLS family; its headers must still be read here."""
    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("legacy.testowa.test").configure_cert(context)
    context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("ALL:@SECLEVEL=0")
    address = "127.0.31.8"
    service = http_service("legacy", address, free_port(address), ssl_context=context,
                           headers={"Server": "Microsoft-IIS/7.5"})
    try:
        target = Target(id="host:legacy.testowa.test", kind="host", name="legacy.testowa.test", addresses=(address,),
                        ports=(PortSpec(service.port, service="https", tls=TlsMode.IMPLICIT),))
        evidence = WebProbe().collect(target, CTX)
    finally:
        service.stop()
    (site,) = evidence["sites"]
    assert site.get("error") is None, site
    assert "Microsoft-IIS/7.5" in str(site)
