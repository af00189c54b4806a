"""Domain registration data over RDAP: RFC 9224 bootstrap, RFC 9083 answers.

RDAP registries (NASK for ``.pl``, Verisign for ``.com`` …) are *declared
external data sources*, like the Certificate Transparency log of
``auditor discover``: public services that are not targets of the audit.
Their URLs come from a bootstrap file in IANA's ``dns.json`` format (a
dated snapshot ships in ``baselines/data/rdap_dns.json``; the setting
``rdap_bootstrap`` names another), never from anything a scanned host
said.  A registry receives one thing: the registrable domain name being
looked up — no address, no URL, nothing of the office's traffic.  Every
query is bounded (``auditor.http.fetch_external``: one deadline, a byte
cap, no redirects), and a registry that does not answer gives an
``error`` outcome that the checks turn into "check by hand", never a pass.

The registrable domain of a name ("www.gmina.pl" → "gmina.pl") comes from
the ICANN section of the Public Suffix List as bundled by the
``publicsuffixlist`` package (no network fetch; its date is in
``psl_version()``).
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from auditor.http import FetchError, fetch_external

#: An RDAP domain object is a few KiB; anything past this is not an answer worth reading.
MAX_ANSWER_BYTES = 256 * 1024
PER_QUERY_S = 10.0
#: Statuses (RFC 8056 mapping of EPP) under which the domain is out of the DNS or about to be released.
LAPSING_STATUSES = frozenset({"client hold", "server hold", "redemption period", "pending delete", "pending restore"})
#: Answers are kept this long per (registry, domain), so a fleet scan asks a registry once per name.
CACHE_TTL_S = 6 * 3600.0
CACHE_MAX = 4096


@dataclass(frozen=True)
class Bootstrap:
    """TLD → RDAP base URL, from a file in RFC 9224 format, with its publication date and origin."""

    servers: Mapping[str, str]
    publication: str
    source: str

    @classmethod
    def parse(cls, data: Any, source: str) -> "Bootstrap":
        if not isinstance(data, dict) or not isinstance(data.get("services"), list):
            raise ValueError(f"{source}: not an RDAP bootstrap file (no 'services' list)")
        servers: dict[str, str] = {}
        for entry in data["services"]:
            if not (isinstance(entry, list) and len(entry) >= 2 and isinstance(entry[0], list)
                    and isinstance(entry[1], list)):
                raise ValueError(f"{source}: a service must be [[labels], [urls]]")
            urls = [str(u) for u in entry[1] if urlsplit(str(u)).scheme in ("https", "http")]
            # RFC 9224 §3: a client should prefer HTTPS when a service lists both
            urls.sort(key=lambda u: not u.startswith("https:"))
            for label in entry[0]:
                if urls:
                    servers[str(label).lower().strip(".")] = urls[0] if urls[0].endswith("/") else urls[0] + "/"
        return cls(servers, str(data.get("publication", "?")), source)

    def server_for(self, domain: str) -> str | None:
        """The base URL for ``domain``: the longest matching label suffix (RFC 9224 §4)."""
        labels = domain.lower().strip(".").split(".")
        for start in range(len(labels)):
            url = self.servers.get(".".join(labels[start:]))
            if url:
                return url
        return None


SHIPPED_BOOTSTRAP = "data/rdap_dns.json"


@lru_cache(maxsize=8)
def load_bootstrap(path: str | None = None) -> Bootstrap:
    """The configured bootstrap file, or the shipped snapshot when ``path`` is ``None``."""
    if path is None:
        text = files("auditor.baselines").joinpath(SHIPPED_BOOTSTRAP).read_text(encoding="utf-8")
        return Bootstrap.parse(json.loads(text), f"baselines/{SHIPPED_BOOTSTRAP}")
    return Bootstrap.parse(json.loads(Path(path).read_text(encoding="utf-8")), path)


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList(only_icann=True)


def psl_version() -> str:
    """The bundled Public Suffix List's version line (its date), for evidence."""
    import publicsuffixlist

    source = Path(publicsuffixlist.__file__).with_name("public_suffix_list.dat")
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            if "VERSION:" in line:
                return line.split("VERSION:", 1)[1].strip()
            if not line.startswith("//"):
                break
    return "?"


def registrable_domain(name: str) -> str | None:
    """The name one registers ("bip.gmina.pl" → "gmina.pl"); ``None`` for an address or a bare suffix."""
    text = name.strip().lower().rstrip(".")
    if not text or "." not in text:
        return None
    try:
        ipaddress.ip_address(text.strip("[]"))
        return None
    except ValueError:
        pass
    return _psl().privatesuffix(text)


def foreign_script_domains(page_url: str, script_urls: Iterable[str], own_domains: Iterable[str]) -> list[str]:
    """Registrable domains of the scripts a page loads from elsewhere, in order of first appearance.

    Relative URLs are the page's own; a script on the page's registrable
    domain or on one of ``own_domains`` (the office's authorised domains) is
    not foreign.
    """
    suffixes = tuple(d.lower().strip(".") for d in own_domains)
    own = {d for d in (registrable_domain(x) for x in [urlsplit(page_url).hostname or "", *suffixes]) if d}
    found: dict[str, None] = {}
    for url in script_urls:
        host = urlsplit(url).hostname or ""  # empty for a relative URL: the page's own site
        domain = registrable_domain(host) if host else None
        if domain and domain not in own and not any(host == s or host.endswith("." + s) for s in suffixes):
            found.setdefault(domain, None)
    return list(found)


# --------------------------------------------------------------------------- answers


def _event(events: Any, action: str) -> str | None:
    for event in events if isinstance(events, list) else []:
        if isinstance(event, dict) and str(event.get("eventAction", "")).lower() == action:
            date = event.get("eventDate")
            return str(date) if date else None
    return None


def parse_answer(domain: str, status: int, body: bytes, truncated: bool) -> dict[str, Any]:
    """What one RDAP answer says about ``domain``: registered (with dates and statuses), not registered, or error.

    RFC 7480 §5.3: 404 is "no such object" — for a registry's domain query,
    the name is not registered.  Anything else that is not a domain object
    is an error, so a broken or hostile registry never reads as "fine".
    """
    if status == 404:
        return {"outcome": "not_registered", "http_status": status}
    if status != 200:
        reason = "rate limited" if status == 429 else f"HTTP {status}"
        return {"outcome": "error", "http_status": status, "error": reason}
    if truncated:
        return {"outcome": "error", "http_status": status, "error": f"answer larger than {MAX_ANSWER_BYTES} bytes"}
    try:
        data = json.loads(body)
    except ValueError:
        return {"outcome": "error", "http_status": status, "error": "answer is not JSON"}
    if not isinstance(data, dict) or data.get("objectClassName") != "domain":
        return {"outcome": "error", "http_status": status, "error": "answer is not an RDAP domain object"}
    ldh = str(data.get("ldhName", "")).lower().rstrip(".")
    if ldh and ldh != domain:
        return {"outcome": "error", "http_status": status, "error": f"answer is about {ldh[:80]}, not {domain}"}
    statuses = sorted({str(s).lower() for s in data.get("status", []) if isinstance(s, str)})
    return {"outcome": "registered", "http_status": status, "statuses": statuses,
            "expires": _event(data.get("events"), "expiration"),
            "registered_on": _event(data.get("events"), "registration")}


def expiry_date(record: Mapping[str, Any]) -> datetime | None:
    """The ``expires`` of a lookup as an aware datetime (RDAP dates are RFC 3339), or ``None``."""
    value = record.get("expires")
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


# --------------------------------------------------------------------------- lookups


_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_in_flight: dict[str, threading.Lock] = {}
_cache_lock = threading.Lock()


def _cached(url: str) -> dict[str, Any] | None:
    with _cache_lock:
        hit = _cache.get(url)
        if hit and time.monotonic() - hit[0] < CACHE_TTL_S:
            return dict(hit[1])
    return None


def _remember(url: str, record: dict[str, Any]) -> None:
    with _cache_lock:
        if len(_cache) >= CACHE_MAX:
            _cache.pop(next(iter(_cache)))
        _cache[url] = (time.monotonic(), dict(record))


def _query_lock(url: str) -> threading.Lock:
    """One lock per query URL: two probes asking for the same name at once send one query."""
    with _cache_lock:
        return _in_flight.setdefault(url, threading.Lock())


def lookup(domain: str, bootstrap: Bootstrap, *, timeout: float = PER_QUERY_S) -> dict[str, Any]:
    """The registration of ``domain`` (a registrable domain) from its registry, as plain evidence.

    ``outcome`` is ``registered``, ``not_registered``, ``no_service`` (the
    bootstrap knows no RDAP server for its TLD) or ``error``.  Answers (not
    errors) are cached for ``CACHE_TTL_S``.
    """
    record: dict[str, Any] = {"domain": domain, "bootstrap_date": bootstrap.publication, "server": None}
    base = bootstrap.server_for(domain)
    if base is None:
        return {**record, "outcome": "no_service"}
    try:
        query = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return {**record, "outcome": "error", "error": "not a valid domain name"}
    url = f"{base}domain/{query}"
    record["server"] = base
    started = time.monotonic()
    lock = _query_lock(url)
    if not lock.acquire(timeout=max(0.0, timeout)):
        return {**record, "outcome": "error", "error": "time budget used up waiting for the same query"}
    try:
        cached = _cached(url)
        if cached is not None:
            return cached
        left = timeout - (time.monotonic() - started)
        if left < 0.5:
            return {**record, "outcome": "error", "error": "time budget used up"}
        try:
            answer = fetch_external(url, timeout=left, max_bytes=MAX_ANSWER_BYTES,
                                    accept="application/rdap+json, application/json")
        except FetchError as exc:
            return {**record, "outcome": "error", "error": str(exc)[:300]}
        result = {**record, **parse_answer(domain, answer.status, answer.body, answer.truncated)}
        if result["outcome"] != "error":
            _remember(url, result)
        return result
    finally:
        lock.release()


def lookup_all(domains: Iterable[str], bootstrap: Bootstrap, deadline: float) -> list[dict[str, Any]]:
    """``lookup`` of each domain in turn, each within what is left of ``deadline`` (``time.monotonic``)."""
    return [lookup(domain, bootstrap, timeout=min(PER_QUERY_S, deadline - time.monotonic())) for domain in domains]
