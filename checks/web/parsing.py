"""Parsing HTTP security headers, cookies and security.txt into plain facts.

Pure functions, used by the probe (cookies are reduced to their flags so a
session value never reaches the evidence) and by the checks.
"""

from __future__ import annotations

import re
from typing import Any

#: Cookie names that carry a login session or an authentication token.
_SESSION_NAME = re.compile(r"sess|^sid$|_sid$|auth|token|login|jwt|remember|^\.?aspxauth", re.IGNORECASE)
#: Anti-CSRF cookies are read by scripts on purpose (double-submit), so they are not session cookies.
_CSRF_NAME = re.compile(r"csrf|xsrf", re.IGNORECASE)


def parse_cookie(header: str) -> dict[str, Any]:
    """Name and flags of one ``Set-Cookie`` line — never its value."""
    first, *attributes = header.split(";")
    name = first.split("=", 1)[0].strip()
    flags: dict[str, str] = {}
    for attribute in attributes:
        key, _, value = attribute.strip().partition("=")
        flags[key.strip().lower()] = value.strip()
    return {
        "name": name[:100],
        "secure": "secure" in flags,
        "httponly": "httponly" in flags,
        "samesite": flags.get("samesite", "").capitalize() or None,
        "persistent": "expires" in flags or "max-age" in flags,
        "session": bool(_SESSION_NAME.search(name)) and not _CSRF_NAME.search(name),
    }


def parse_hsts(value: str) -> dict[str, Any]:
    """``max-age``, ``includeSubDomains`` and ``preload`` of a Strict-Transport-Security value."""
    directives = [d.strip() for d in value.split(";") if d.strip()]
    max_age = None
    for directive in directives:
        key, _, raw = directive.partition("=")
        if key.strip().lower() == "max-age":
            raw = raw.strip().strip('"')
            max_age = int(raw) if raw.isdigit() else None
    lowered = {d.lower() for d in directives}
    return {"max_age": max_age, "include_subdomains": "includesubdomains" in lowered, "preload": "preload" in lowered}


def csp_directives(value: str) -> dict[str, list[str]]:
    """Directives of a Content-Security-Policy value, names lower-cased."""
    directives: dict[str, list[str]] = {}
    for part in value.split(";"):
        tokens = part.split()
        if tokens:
            directives.setdefault(tokens[0].lower(), [t.lower() for t in tokens[1:]])
    return directives


def csp_weaknesses(value: str) -> list[str]:
    """What makes a CSP ineffective against script injection (empty when it is sound)."""
    directives = csp_directives(value)
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts is None:
        return ["no script-src or default-src"]
    weaknesses = []
    has_nonce_or_hash = any(s.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for s in scripts)
    if "'unsafe-inline'" in scripts and not has_nonce_or_hash:
        weaknesses.append("'unsafe-inline' scripts")
    for source in ("*", "http:", "https:", "data:"):
        if source in scripts:
            weaknesses.append(f"scripts from {source}")
    return weaknesses


def parse_security_txt(text: str) -> dict[str, Any]:
    """Fields of a security.txt (RFC 9116); field names are case-insensitive."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or ":" not in line:
            continue
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if re.fullmatch(r"[a-z-]+", key):
            fields.setdefault(key, []).append(value.strip()[:300])
    return {
        "contact": fields.get("contact", [])[:10],
        "expires": fields.get("expires", []),
        "policy": fields.get("policy", [])[:3],
        "encryption": fields.get("encryption", [])[:3],
        "preferred_languages": fields.get("preferred-languages", [])[:1],
        "signed": text.lstrip().startswith("-----BEGIN PGP SIGNED MESSAGE-----"),
    }


def page_title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return " ".join(match.group(1).split())[:120] if match else ""


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype", "<html", "<head", "<body")) or "<html" in head
