"""The ``web`` probe: what each declared HTTP(S) site of a host answers.

Every request goes through ``auditor.http.fetch``: pinned to the host's
declared address (the name stays in Host and SNI), scope-checked on every
redirect, body-capped and deadline-bound.  One time budget covers the whole
host; when it runs out the remaining paths are recorded as not checked, so
the checks say "manual" instead of "pass".  Cookie values and file contents
never enter the evidence: only cookie flags, matched signatures, variable
names and sizes.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any, Mapping


from auditor.checks.web.exposed import body_digest, inspect, path_rules
from auditor.checks.web.family import FAMILY
from auditor.checks.web.parsing import looks_like_html, page_title, parse_cookie, parse_security_txt
from auditor.http import FetchError, HttpResponse, fetch, new_session
from auditor.model import Evidence, PortSpec, Target, TlsMode
from auditor.plugin import Probe, ProbeContext, ProbeUnreachable
from auditor.scope import OutOfScope

WEB_ROLES = frozenset({"www", "bip"})
ROOT_MAX_BYTES = 256 * 1024
PATH_MAX_BYTES = 16 * 1024
PER_REQUEST_S = 10.0
#: Response headers kept as evidence (security policy and software disclosure).
KEPT_HEADERS = (
    "strict-transport-security", "content-security-policy", "content-security-policy-report-only",
    "x-content-type-options", "x-frame-options", "referrer-policy", "permissions-policy", "server",
    "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-generator", "content-type", "location",
)


@dataclass(frozen=True)
class Site:
    scheme: str
    port: int

    def origin(self, host: str) -> str:
        default = 443 if self.scheme == "https" else 80
        netloc = f"[{host}]" if ":" in host else host  # an IPv6 literal as the host's name
        return f"{self.scheme}://{netloc}" + ("" if self.port == default else f":{self.port}")


def web_sites(target: Target) -> list[Site]:
    """The host's declared HTTP(S) ports; on a www/bip host, unnamed ports count as web too."""
    web_role = bool(WEB_ROLES & set(target.roles))
    sites = []
    for port in target.ports:
        if port.protocol == "tcp" and (port.service in ("http", "https") or (port.service is None and web_role)):
            sites.append(Site(_scheme(port), port.port))
    return sites


def _scheme(port: PortSpec) -> str:
    return "https" if port.service == "https" or port.tls is TlsMode.IMPLICIT else "http"


class _Budget:
    """One deadline for all requests to a host."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def request_timeout(self) -> float:
        return min(PER_REQUEST_S, self.deadline - time.monotonic())

    @property
    def spent(self) -> bool:
        return self.request_timeout() < 0.5


@FAMILY.probe
class WebProbe(Probe):
    name = "web"
    target_kinds = frozenset({"host"})

    def applies(self, target: Target) -> bool:
        return super().applies(target) and bool(web_sites(target))

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        address = target.addresses[0] if target.addresses else None
        budget = _Budget(max(5.0, ctx.timeout * 0.85))
        sites = [_SiteProbe(target.name, address, site, ctx, budget).collect() for site in web_sites(target)]
        if all(site["error"] for site in sites):
            raise ProbeUnreachable("; ".join(site["error"] for site in sites)[:400])
        return {"host": target.name, "address": address, "sites": sites}


class _SiteProbe:
    """The requests made to one site (scheme, host, port), over one keep-alive session."""

    def __init__(self, host: str, address: str | None, site: Site, ctx: ProbeContext, budget: _Budget) -> None:
        self.origin = site.origin(host)
        self.scheme = site.scheme
        self.address = address
        self.ctx = ctx
        self.budget = budget
        self.session = new_session()

    def get(self, path: str, *, follow: bool = True, max_bytes: int = PATH_MAX_BYTES) -> HttpResponse:
        timeout = self.budget.request_timeout()
        if timeout < 0.5:
            raise FetchError("time budget used up")
        return fetch(self.origin + path, self.ctx.scope, timeout=timeout, max_bytes=max_bytes,
                     connect_to=self.address, session=self.session, follow_redirects=follow)

    def collect(self) -> dict[str, Any]:
        facts: dict[str, Any] = {"origin": self.origin, "scheme": self.scheme, "error": None}
        with self.session:
            try:
                first = self.get("/", follow=False, max_bytes=ROOT_MAX_BYTES)
            except FetchError as exc:
                facts["error"] = str(exc)[:300]
                return facts
            facts["root"] = {"status": first.status, "location": first.headers.get("Location")}
            facts["page"] = self._page(first)
            facts["security_txt"] = self._security_txt()
            facts.update(self._exposed())
        return facts

    def _page(self, first: HttpResponse) -> dict[str, Any] | None:
        """The page the site's root finally shows (following redirects, scope permitting)."""
        final = first
        if 300 <= first.status < 400 and first.headers.get("Location"):
            try:
                final = self.get("/", max_bytes=ROOT_MAX_BYTES)
            except (FetchError, OutOfScope) as exc:
                return {"error": str(exc)[:300]}
        cookies = [dict(parse_cookie(c), over_https=self.scheme == "https") for c in first.set_cookies]
        if final is not first:
            cookies += [dict(parse_cookie(c), over_https=final.url.startswith("https:")) for c in final.set_cookies]
        return {
            "url": final.url,
            "status": final.status,
            "error": None,
            "headers": _kept_headers(final.headers),
            "cookies": cookies[:30],
            "title": page_title(final.text(64 * 1024)),
        }

    def _security_txt(self) -> dict[str, Any]:
        for path in ("/.well-known/security.txt", "/security.txt"):
            try:
                response = self.get(path)
            except (FetchError, OutOfScope) as exc:
                return {"found": False, "error": str(exc)[:300]}
            text = response.text()
            fields = parse_security_txt(text)
            if response.status == 200 and not looks_like_html(text) and fields["contact"]:
                return {"found": True, "url": response.url, "path": path,
                        "content_type": response.headers.get("Content-Type", ""), **fields}
        return {"found": False, "error": None}

    def _exposed(self) -> dict[str, Any]:
        facts: dict[str, Any] = {"not_found": None, "exposed": [], "checked": {}, "unchecked": {}}
        random_path = f"/auditor-{secrets.token_hex(8)}.html"
        baseline_digest = None
        try:
            baseline = self.get(random_path, follow=False)
        except FetchError as exc:
            facts["not_found"] = {"path": random_path, "error": str(exc)[:200]}
        else:
            facts["not_found"] = {"path": random_path, "status": baseline.status, "length": len(baseline.body)}
            baseline_digest = body_digest(baseline.body, random_path)
        for rule in path_rules():
            try:
                response = self.get(rule.path, follow=False)
            except FetchError as exc:
                facts["unchecked"].setdefault(rule.kind, []).append(f"{rule.path}: {str(exc)[:100]}")
                continue
            facts["checked"].setdefault(rule.kind, []).append(rule.path)
            hit = inspect(rule, response.status, response.headers, response.body, baseline_digest)
            if hit:
                facts["exposed"].append({**hit, "url": self.origin + rule.path})
        return facts


def _kept_headers(headers: Mapping[str, str]) -> dict[str, str]:
    lowered = {key.lower(): value for key, value in headers.items()}
    return {key: lowered[key].strip()[:1024] for key in KEPT_HEADERS if key in lowered}
