"""The sites served to the web tests, targets for them, and judging recorded evidence.

- ``GOOD`` — http redirects to https; the https site sends every security header,
  a hardened session cookie and a valid security.txt, and answers 404 properly.
- ``BAD`` — http only, answers 200 with its home page for unknown paths (soft 404),
  discloses versions, sets a bare PHPSESSID, and really exposes .git/HEAD, .env,
  a directory listing and phpinfo().
- ``SOFT`` — answers 200 with the same home page for every path: nothing is exposed.
- ``MIRROR`` — answers every path with the same text that *looks* like a git HEAD
  and an .env; only the soft-404 baseline tells it apart from a real exposure.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from auditor.demo.services import Route
from auditor.judge import judge
from auditor.model import AttemptStatus, Finding, PortSpec, ProbeAttempt, Target, TlsMode
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

GOOD, BAD, SOFT, MIRROR = (f"www.{label}.testowa.test" for label in ("dobra", "zla", "miekka", "lustro"))
ADDRESSES = {GOOD: "127.0.31.1", BAD: "127.0.31.2", SOFT: "127.0.31.3", MIRROR: "127.0.31.4"}
NOW = datetime.now(timezone.utc)
ENV_SECRET = "Tajne-Haslo-123"

GOOD_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=()",
}


def good_site_routes() -> dict[str, Route]:
    expires = (NOW + timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    security_txt = f"Contact: mailto:csirt@dobra.testowa.test\nExpires: {expires}\nPreferred-Languages: pl\n".encode()
    home = (200, {**GOOD_HEADERS, "Set-Cookie": ["PHPSESSID=abc123; Path=/; Secure; HttpOnly; SameSite=Lax",
                                                   "lang=pl; Path=/"]},
            b"<html><head><title>Gmina Dobra</title></head><body>BIP</body></html>")
    return {"/": home, "/.well-known/security.txt": (200, {"Content-Type": "text/plain"}, security_txt)}


def bad_site_routes() -> dict[str, Route]:
    listing = b"<html><head><title>Index of /uploads/</title></head><body><h1>Index of /uploads/</h1>" \
              b'<a href="uchwala.pdf">uchwala.pdf</a></body></html>'
    phpinfo = b'<html><head><title>PHP 7.4.3 - phpinfo()</title></head><body><h1 class="p">PHP Version 7.4.3</h1></body></html>'
    return {
        "/": (200, {"Set-Cookie": "PHPSESSID=s3cr3t-session; path=/"}, b"<html><head><title>Gmina Zla</title></head></html>"),
        "/.git/HEAD": (200, {"Content-Type": "text/plain"}, b"ref: refs/heads/master\n"),
        "/.env": (200, {"Content-Type": "text/plain"}, f"APP_ENV=production\nDB_PASSWORD={ENV_SECRET}\n".encode()),
        "/uploads/": (200, {}, listing),
        "/phpinfo.php": (200, {}, phpinfo),
    }


def mirror_body() -> bytes:
    return b"ref: refs/heads/main\nDB_HOST=localhost\n"


def host_target(name: str, ports: dict[str, int], https: bool = True) -> Target:
    specs = [PortSpec(ports["http"], service="http", tls=TlsMode.NONE)]
    if https:
        specs.append(PortSpec(ports["https"], service="https", tls=TlsMode.IMPLICIT))
    return Target(id=f"host:{name}", kind="host", name=name, addresses=(ADDRESSES[name],),
                  ports=tuple(specs), roles=("www",))


def judged(evidence: dict[str, Any], target: Target, now: datetime = NOW) -> dict[str, list[Finding]]:
    attempt = ProbeAttempt("web", target.id, AttemptStatus.COMPLETED, evidence=evidence)
    by_id: dict[str, list[Finding]] = {}
    for finding in judge(default_registry().checks_of({"web"}), [target], [attempt], JudgeContext(now=now)):
        by_id.setdefault(finding.check_id, []).append(finding)
    return by_id


def statuses(findings: dict[str, list[Finding]]) -> dict[str, list[str]]:
    return {check: [f.status.value for f in items] for check, items in findings.items()}
