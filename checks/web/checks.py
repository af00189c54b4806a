"""Judging a host's web sites: HTTPS redirect, HSTS, security headers, cookies, disclosure, security.txt, exposed files.

Header and cookie checks judge each distinct page the host's sites end on
(an http site redirecting to the https one is judged once, on the https
page); a page on another host is left to that host's own findings.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

from auditor.checks.web.exposed import kinds
from auditor.checks.web.family import FAMILY
from auditor.checks.web.parsing import csp_directives, csp_weaknesses, parse_hsts
from auditor.model import Evidence, Target
from auditor.plugin import JudgeContext, Verdict, failed, manual, not_applicable, passed, warned

HSTS_MIN_AGE = 180 * 24 * 3600  # six months: below it a returning visitor is soon unprotected again
HSTS_PRELOAD_AGE = 365 * 24 * 3600
SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin",
                          "origin", "origin-when-cross-origin"}
_VERSION = re.compile(r"\d+(\.\d+)+|/\d")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _pages(evidence: Evidence) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each distinct page (by origin) the host's sites end on, on this host."""
    seen: set[str] = set()
    for site in evidence["sites"]:
        page = site.get("page") or {}
        if site.get("error") or page.get("error") or not page.get("url"):
            continue
        origin = _origin(page["url"])
        if origin in seen or (urlsplit(origin).hostname or "") != evidence["host"].lower().strip("[]"):
            continue
        seen.add(origin)
        yield origin, page


CheckFunction = Callable[[Evidence, Target, JudgeContext], Iterable[Verdict]]
Items = Callable[[Evidence], Iterable[tuple[str, dict[str, Any], Any]]]


def _no_page(evidence: Evidence) -> Verdict:
    """``not_applicable`` saying why no page could be judged (a redirect loop, a cut-off body ...)."""
    errors = [s.get("error") or (s.get("page") or {}).get("error") for s in evidence["sites"]]
    return not_applicable(message="no_page", reason="; ".join(e for e in errors if e)[:300] or "—")


def _each(items: Items, judge: Callable[[Any], Verdict], empty: str) -> CheckFunction:
    """A check applying ``judge`` to every ``(subject, facts, item)`` of ``items``; ``empty`` when there are none."""

    def check(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
        found = list(items(evidence))
        if not found:
            yield _no_page(evidence) if empty == "no_page" else not_applicable(message=empty)
        for subject, facts, item in found:
            verdict = judge(item)
            yield Verdict(verdict.status, {**facts, **verdict.facts}, subject, verdict.message, verdict.severity)

    return check


def _page_headers(evidence: Evidence) -> Iterator[tuple[str, dict[str, Any], dict[str, str]]]:
    for origin, page in _pages(evidence):
        yield origin, {"origin": origin}, page["headers"]


# --------------------------------------------------------------------------- transport


@FAMILY.check("web.https_redirect")
def https_redirect(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    http_sites = [s for s in evidence["sites"] if s["scheme"] == "http" and not s.get("error")]
    if not http_sites:
        yield not_applicable(message="no_http")
    for site in http_sites:
        root, page = site["root"], site.get("page") or {}
        location = root.get("location") or ""
        redirected = 300 <= root["status"] < 400 and (
            location.lower().startswith("https://") or str(page.get("url", "")).startswith("https://"))
        if redirected:
            yield passed(subject=site["origin"], origin=site["origin"], status=root["status"], location=location)
        else:
            yield failed(subject=site["origin"], origin=site["origin"], status=root["status"], location=location or "—")


@FAMILY.check("web.hsts")
def hsts(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    pages = [(origin, page) for origin, page in _pages(evidence) if origin.startswith("https://")]
    if not pages:
        yield not_applicable(message="no_https")
    for origin, page in pages:
        value = page["headers"].get("strict-transport-security")
        if value is None:
            yield failed(subject=origin, message="missing", origin=origin)
            continue
        facts = parse_hsts(value)
        facts["preload_eligible"] = bool(
            (facts["max_age"] or 0) >= HSTS_PRELOAD_AGE and facts["include_subdomains"] and facts["preload"])
        if not facts["max_age"]:
            yield failed(subject=origin, message="no_max_age", origin=origin, value=value, **facts)
        elif facts["max_age"] < HSTS_MIN_AGE:
            yield warned(subject=origin, message="short", origin=origin, value=value,
                         days=facts["max_age"] // 86400, **facts)
        else:
            yield passed(subject=origin, origin=origin, value=value, days=facts["max_age"] // 86400, **facts)


# --------------------------------------------------------------------------- headers


def _csp(headers: dict[str, str]) -> Verdict:
    value = headers.get("content-security-policy")
    if value is None:
        if "content-security-policy-report-only" in headers:
            return warned(message="report_only")
        return failed()
    weaknesses = csp_weaknesses(value)
    if weaknesses:
        return warned(message="weak", value=value[:300], weaknesses=weaknesses)
    return passed(value=value[:300])


def _nosniff(headers: dict[str, str]) -> Verdict:
    value = headers.get("x-content-type-options", "")
    return passed(value=value) if value.strip().lower() == "nosniff" else failed(value=value or "—")


def _framing(headers: dict[str, str]) -> Verdict:
    ancestors = csp_directives(headers.get("content-security-policy", "")).get("frame-ancestors")
    xfo = headers.get("x-frame-options", "").strip().upper()
    if ancestors is not None and "*" not in ancestors:
        return passed(value="frame-ancestors " + " ".join(ancestors))
    if xfo in ("DENY", "SAMEORIGIN"):
        return passed(value=f"X-Frame-Options: {xfo}")
    return failed(value=xfo or "—")


def _referrer(headers: dict[str, str]) -> Verdict:
    value = headers.get("referrer-policy")
    if value is None:
        return warned(message="missing")
    # the last policy the browser understands wins
    policy = [p.strip().lower() for p in value.split(",") if p.strip()][-1:] or [""]
    if policy[0] in SAFE_REFERRER_POLICIES:
        return passed(value=value)
    return warned(message="unsafe", value=value)


def _permissions(headers: dict[str, str]) -> Verdict:
    value = headers.get("permissions-policy")
    return passed(value=value[:300]) if value else warned()


FAMILY.check("web.header.csp")(_each(_page_headers, _csp, "no_page"))
FAMILY.check("web.header.x_content_type_options")(_each(_page_headers, _nosniff, "no_page"))
FAMILY.check("web.header.x_frame_options")(_each(_page_headers, _framing, "no_page"))
FAMILY.check("web.header.referrer_policy")(_each(_page_headers, _referrer, "no_page"))
FAMILY.check("web.header.permissions_policy")(_each(_page_headers, _permissions, "no_page"))


@FAMILY.check("web.server_disclosure")
def server_disclosure(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    pages = list(_pages(evidence))
    if not pages:
        yield _no_page(evidence)
    for origin, page in pages:
        headers = page["headers"]
        disclosed = [f"Server: {headers['server']}"] if _VERSION.search(headers.get("server", "")) else []
        disclosed += [f"{name.title()}: {headers[name]}" for name in
                      ("x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-generator") if name in headers]
        if disclosed:
            yield warned(subject=origin, origin=origin, disclosed=disclosed)
        else:
            yield passed(subject=origin, origin=origin, server=headers.get("server", "—"))


# --------------------------------------------------------------------------- cookies


def _session_cookies(evidence: Evidence) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    seen: set[tuple[str, str]] = set()
    for origin, page in _pages(evidence):
        for cookie in page.get("cookies", []):
            if cookie.get("session") and (origin, cookie["name"]) not in seen:
                seen.add((origin, cookie["name"]))
                yield f"{origin} {cookie['name']}", {"origin": origin, "cookie": cookie["name"]}, cookie


def _secure(cookie: dict[str, Any]) -> Verdict:
    if not cookie.get("over_https"):
        return failed(message="plain_http")
    return passed() if cookie["secure"] else failed()


def _httponly(cookie: dict[str, Any]) -> Verdict:
    return passed() if cookie["httponly"] else failed()


def _samesite(cookie: dict[str, Any]) -> Verdict:
    value = cookie.get("samesite")
    if value in ("Lax", "Strict"):
        return passed(samesite=value)
    if value == "None":
        return failed(message="none_insecure") if not cookie["secure"] else warned(message="none", samesite=value)
    return warned(message="missing")


FAMILY.check("web.cookie.secure")(_each(_session_cookies, _secure, "no_cookies"))
FAMILY.check("web.cookie.httponly")(_each(_session_cookies, _httponly, "no_cookies"))
FAMILY.check("web.cookie.samesite")(_each(_session_cookies, _samesite, "no_cookies"))


# --------------------------------------------------------------------------- security.txt


@FAMILY.check("web.security_txt")
def security_txt(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    reachable = [s for s in evidence["sites"] if not s.get("error")]
    if not reachable:
        yield _no_page(evidence)
        return
    found = [s["security_txt"] for s in reachable if s.get("security_txt", {}).get("found")]
    if not found:
        yield failed(message="missing", host=evidence["host"])
        return
    best = next((f for f in found if f["url"].startswith("https://")), found[0])
    facts = {"url": best["url"], "contact": best["contact"], "expires": (best["expires"] or ["—"])[0]}
    if not best["url"].startswith("https://"):
        yield warned(message="plain_http", **facts)
        return
    if len(best["expires"]) != 1:
        yield failed(message="no_expires", **facts)
        return
    try:
        expires = datetime.fromisoformat(best["expires"][0])
        if expires.tzinfo is None:
            raise ValueError("no time zone")
    except ValueError:
        yield failed(message="bad_expires", **facts)
        return
    if expires <= ctx.now:
        yield failed(message="expired", **facts)
    elif expires - ctx.now > timedelta(days=366):
        yield warned(message="far_expires", **facts)
    else:
        yield passed(**facts)


# --------------------------------------------------------------------------- exposed files


def _exposed_check(kind: str) -> CheckFunction:
    def check(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
        sites = [s for s in evidence["sites"] if not s.get("error") and "checked" in s]
        hits = {e["url"]: e for s in sites for e in s.get("exposed", []) if e["kind"] == kind}
        for url, hit in hits.items():
            yield failed(subject=url, url=url, status=hit["status"], detail=hit["detail"])
        if hits:
            return
        unchecked = [p for s in sites for p in s.get("unchecked", {}).get(kind, [])]
        checked = [s["origin"] + p for s in sites for p in s.get("checked", {}).get(kind, [])]
        soft404 = [s["origin"] for s in sites if (s.get("not_found") or {}).get("status") == 200]
        if unchecked:
            yield manual(message="unchecked", unchecked=unchecked)
        elif not checked:
            yield _no_page(evidence)
        else:
            yield passed(checked=len(checked), soft404=soft404 or "—")

    return check


for _kind in kinds():
    FAMILY.check(f"web.exposed.{_kind}")(_exposed_check(_kind))
