"""Pure logic of the web family: header parsing, content signatures, site selection."""

from __future__ import annotations

from auditor.checks.web.exposed import body_digest, inspect, path_rules
from auditor.checks.web.parsing import csp_weaknesses, parse_cookie, parse_hsts, parse_security_txt
from auditor.checks.web.probe import Site, web_sites
from auditor.model import PortSpec, Target, TlsMode


def rule(path: str):
    return next(r for r in path_rules() if r.path == path)


def test_hsts_and_csp_parsing() -> None:
    assert parse_hsts('max-age="63072000"; includeSubDomains; preload') == {
        "max_age": 63072000, "include_subdomains": True, "preload": True}
    assert parse_hsts("includeSubDomains")["max_age"] is None
    assert csp_weaknesses("default-src 'self'; script-src 'self' 'unsafe-inline' https:") == [
        "'unsafe-inline' scripts", "scripts from https:"]
    assert csp_weaknesses("script-src 'self' 'unsafe-inline' 'nonce-abc'") == []
    assert csp_weaknesses("frame-ancestors 'none'") == ["no script-src or default-src"]


def test_cookie_flags_without_values() -> None:
    cookie = parse_cookie("JSESSIONID=VALUE123; Path=/; secure; HTTPOnly; SameSite=strict")
    assert cookie == {"name": "JSESSIONID", "secure": True, "httponly": True, "samesite": "Strict",
                      "persistent": False, "session": True}
    assert parse_cookie("XSRF-TOKEN=x; Path=/")["session"] is False
    assert parse_cookie("_ga=GA1.2; Max-Age=100")["session"] is False


def test_security_txt_fields() -> None:
    fields = parse_security_txt("# comment\ncontact: mailto:a@b.test\nContact: https://b.test/zglos\nExpires: 2027-01-01T00:00:00Z\n")
    assert fields["contact"] == ["mailto:a@b.test", "https://b.test/zglos"] and fields["expires"] == ["2027-01-01T00:00:00Z"]


def test_signatures_need_content_and_differ_from_baseline() -> None:
    head = rule("/.git/HEAD")
    assert inspect(head, 200, {}, b"ref: refs/heads/main\n", None)["detail"] == "ref: refs/heads/main"
    assert inspect(head, 200, {}, b"<html><body>ref: refs/heads/main</body></html>", None) is None
    assert inspect(head, 404, {}, b"ref: refs/heads/main\n", None) is None
    same = b"ref: refs/heads/main\n"
    assert inspect(head, 200, {}, same, body_digest(same, "/auditor-x.html")) is None
    # a soft-404 page echoing the requested path still matches its baseline
    echo = b"<html>Nie znaleziono: %s</html>"
    assert body_digest(echo % b"/.env", "/.env") == body_digest(echo % b"/auditor-x.html", "/auditor-x.html")
    tomcat = rule("/manager/html")
    assert inspect(tomcat, 401, {"WWW-Authenticate": 'Basic realm="Tomcat Manager Application"'}, b"", None)
    assert inspect(rule("/backup.zip"), 200, {}, b"PK\x03\x04rest", None)["detail"] == "8 bytes read"


def test_web_sites_selection() -> None:
    target = Target(id="host:x", kind="host", name="x", roles=("bip",), ports=(
        PortSpec(80, service="http", tls=TlsMode.NONE), PortSpec(8443, service="https", tls=TlsMode.IMPLICIT),
        PortSpec(8080, service=None, tls=TlsMode.NONE), PortSpec(22, service="ssh", tls=TlsMode.NONE)))
    assert web_sites(target) == [Site("http", 80), Site("https", 8443), Site("http", 8080)]
    plain = Target(id="host:y", kind="host", name="y", ports=(PortSpec(8080, service=None, tls=TlsMode.NONE),))
    assert web_sites(plain) == []
    assert Site("https", 443).origin("www.gmina.test") == "https://www.gmina.test"
    assert Site("http", 8080).origin("::1") == "http://[::1]:8080"
