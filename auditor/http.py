"""Bounded, scope-checked HTTP for probes.

Every HTTP request a probe makes goes through ``fetch``: redirects are
followed by hand so each hop is checked against the authorised scope
before a packet is sent, the number of hops is capped, the body is read
only up to a byte limit, and one overall deadline bounds the whole
exchange (a tarpit that trickles one byte a second cannot hold a worker).
"""

from __future__ import annotations

import re
import ssl
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urljoin, urlsplit

from auditor.scope import ScopeGuard, is_ip

if TYPE_CHECKING:  # requests (and urllib3) load at the first request, not when the registry lists the checks
    import requests

DEFAULT_MAX_BYTES = 512 * 1024
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "auditor (JST compliance scanner; authorised scan)"



class FetchError(Exception):
    """The exchange failed: connection, timeout, too many redirects, out of scope."""


@dataclass(frozen=True)
class HttpResponse:
    """What one exchange returned, after redirects; plain data for evidence."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    truncated: bool
    redirects: tuple[str, ...] = field(default_factory=tuple)
    set_cookies: tuple[str, ...] = field(default_factory=tuple)

    def text(self, limit: int | None = None) -> str:
        data = self.body if limit is None else self.body[:limit]
        return data.decode("utf-8", errors="replace")


def fetch(
    url: str,
    scope: ScopeGuard,
    *,
    timeout: float,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    method: str = "GET",
    connect_to: str | None = None,
    session: requests.Session | None = None,
    follow_redirects: bool = True,
) -> HttpResponse:
    """GET (or HEAD) ``url`` within ``timeout`` seconds overall.

    ``connect_to`` pins the URL's host name to a declared address (the
    inventory's, or one a probe resolved with its own DNS resolver) while
    keeping the name for the Host header and TLS SNI; every hop to that same
    name uses the pinned address (an http→https redirect on the same site).
    A hop to another name is resolved *once* through the scope guard, and the
    connection goes to the address that was checked (see ``Hop``).  With
    ``follow_redirects=False`` a redirect is returned as the answer itself
    (its ``Location`` in ``headers``), for probes judging the redirect.
    """
    import requests

    deadline = time.monotonic() + timeout
    own_session = session is None
    session = session or new_session()
    session.headers.setdefault("User-Agent", USER_AGENT)
    hops: list[str] = []
    current = url
    pinned_name = parse_hop(url).host
    try:
        for _ in range(max_redirects + 1):
            hop = parse_hop(current)
            address = _checked_address(hop, connect_to if hop.host == pinned_name else None, scope)
            if hop.scheme == "https" and not is_ip(hop.host):
                _mount_sni(session, hop.origin(address) + "/", hop.host)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"no complete answer from {url} within {timeout:.0f} s")
            try:
                response = session.request(
                    method, hop.request_url(address), headers={"Host": hop.host_header}, allow_redirects=False,
                    stream=True, timeout=(min(remaining, 10.0), min(remaining, 10.0)), verify=False,
                )
            except requests.RequestException as exc:
                raise FetchError(f"{current}: {type(exc).__name__}: {_first_line(exc)}") from None
            with response:
                body, truncated = _read_capped(response, max_bytes, deadline)
                if follow_redirects and response.is_redirect and "location" in response.headers:
                    hops.append(current)
                    current = urljoin(current, response.headers["location"])
                    continue
                return HttpResponse(
                    url=current,
                    status=response.status_code,
                    headers={k: v[:4096] for k, v in response.headers.items()},
                    body=body,
                    truncated=truncated,
                    redirects=tuple(hops),
                    set_cookies=tuple(_set_cookies(response)),
                )
        raise FetchError(f"more than {max_redirects} redirects starting at {url}")
    finally:
        if own_session:
            session.close()


#: Characters no parser agrees on inside an authority: ``\`` (WHATWG reads it as ``/``, RFC 3986
#: parsers as data), whitespace and controls (stripped by some, kept by others).
_AMBIGUOUS = re.compile(r"[\\\s\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Hop:
    """One URL, parsed once, by one parser; every later use reads these fields.

    The request is sent to ``request_url(address)`` -- the checked address
    and port, never a host name -- so no second parser (urllib3's, the
    resolver's) can read a different host out of the same text.  The name
    travels only in the Host header and in SNI.
    """

    scheme: str
    host: str
    port: int
    target: str
    """Path and query, always starting with ``/``."""

    def origin(self, address: str) -> str:
        shown = f"[{address}]" if ":" in address else address
        return f"{self.scheme}://{shown}:{self.port}"

    def request_url(self, address: str) -> str:
        return self.origin(address) + self.target

    @property
    def host_header(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return shown if self.port == default else f"{shown}:{self.port}"


def parse_hop(url: str) -> Hop:
    """``url`` split into the parts a request needs; an ambiguous URL is refused, not guessed.

    Refused: other schemes, user info (``http://decoy\\@in-scope/`` is read as
    two different hosts by two parsers), backslashes, whitespace or control
    characters anywhere, an empty host or a port out of range.
    """
    shown = url[:200]
    if _AMBIGUOUS.search(url):
        raise FetchError(f"refusing an ambiguous URL (backslash, space or control character): {shown!r}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"refusing to follow a non-HTTP URL: {shown!r}")
    if "@" in parts.netloc:
        raise FetchError(f"refusing a URL with user info (a second host may hide in it): {shown!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"refusing a URL with an invalid port: {shown!r}") from None
    host = (parts.hostname or "").lower()
    if not host or not port:
        raise FetchError(f"refusing a URL without a host: {shown!r}")
    target = parts.path if parts.path.startswith("/") else "/" + parts.path
    return Hop(parts.scheme, host, port, target + (f"?{parts.query}" if parts.query else ""))


def _checked_address(hop: Hop, pinned: str | None, scope: ScopeGuard) -> str:
    """The one address this hop connects to, after the scope guard accepted it.

    A name is resolved once, here, and every address it resolves to must be
    in scope (``ScopeGuard.require_host``); the request then goes to the
    first of those addresses, so a DNS answer that changes between the
    check and the connect (rebinding) is never asked for.
    """
    if pinned is not None:
        scope.require_address(pinned)
        return pinned
    return scope.require_host(hop.host)[0]


def _lenient_tls_context() -> ssl.SSLContext:
    """A client context that completes handshakes a hardened default refuses.

    HTTP probes read headers and content; the TLS family judges the TLS
    itself.  A server offering only TLS 1.0 or weak suites must still have
    its headers and exposed files checked, not be reported as unreachable.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.set_ciphers("ALL:eNULL:@SECLEVEL=0")
    return context


@lru_cache(maxsize=1)
def _tls_adapter() -> type:
    """The ``requests`` adapter class with lenient TLS and pinned SNI (made once, when requests is first used)."""
    import urllib3
    from requests.adapters import HTTPAdapter

    # Probes decide trust themselves (TLS is judged by the TLS family), so
    # certificate warnings are not useful noise here.
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

    class TlsAdapter(HTTPAdapter):
        """Lenient TLS (see ``_lenient_tls_context``), and the site's name in SNI when pinned.

        Without SNI a pinned HTTPS request would carry none (the URL holds an
        address), and a server with several virtual hosts would answer with its
        default site instead of the one being audited.
        """

        def __init__(self, server_hostname: str | None = None) -> None:
            self.server_hostname = server_hostname
            super().__init__()

        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            kwargs["ssl_context"] = _lenient_tls_context()
            if self.server_hostname:
                kwargs["server_hostname"] = self.server_hostname
            super().init_poolmanager(*args, **kwargs)

    return TlsAdapter


def new_session() -> requests.Session:
    """A session for probes that make several requests to one site (lenient TLS, see ``_tls_adapter``)."""
    import requests

    session = requests.Session()
    # no proxy, netrc or CA bundle from the environment: the connection goes to the checked address only
    session.trust_env = False
    session.mount("https://", _tls_adapter()())
    return session


def _mount_sni(session: requests.Session, prefix: str, hostname: str) -> None:
    current = session.adapters.get(prefix)
    if isinstance(current, _tls_adapter()) and current.server_hostname == hostname:
        return
    if current is not None:
        current.close()
    session.mount(prefix, _tls_adapter()(hostname))


_DEADLINE_SLACK_S = 0.25


def _read_capped(response: requests.Response, max_bytes: int, deadline: float) -> tuple[bytes, bool]:
    """The body up to ``max_bytes``, given up at ``deadline``.

    ``read1`` returns whatever one socket read brought, so a server dripping
    a byte at a time cannot hold the read open past the deadline (a buffered
    ``read(16384)``, as ``iter_content`` does, waits for all 16 KiB and each
    byte restarts the socket timeout).
    """
    chunks: list[bytes] = []
    size = 0
    while chunk := _read1(response, deadline):
        chunks.append(chunk)
        size += len(chunk)
        if size >= max_bytes:
            return b"".join(chunks)[:max_bytes], True
        if time.monotonic() >= deadline:
            # bytes arriving faster than any socket timeout still end at the deadline
            raise FetchError(f"{response.url}: body still arriving at the deadline")
    return b"".join(chunks), False


def _read1(response: requests.Response, deadline: float) -> bytes:
    """One socket read at most, waiting no longer than the deadline allows."""
    import urllib3

    sock = getattr(response.raw.connection, "sock", None)
    if sock is not None:
        sock.settimeout(max(0.05, min(deadline - time.monotonic(), sock.gettimeout() or 10.0)))
    try:
        return response.raw.read1(16384, decode_content=True)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        # a socket timeout set to the time left may fire a hair early: still the deadline
        if time.monotonic() >= deadline - _DEADLINE_SLACK_S:
            raise FetchError(f"{response.url}: body still arriving at the deadline") from None
        raise FetchError(f"{response.url}: body cut off: {type(exc).__name__}: {_first_line(exc)}") from None


def _set_cookies(response: requests.Response) -> list[str]:
    raw = getattr(response.raw, "headers", None)
    if raw is not None and hasattr(raw, "getlist"):
        return [value[:4096] for value in raw.getlist("Set-Cookie")]
    value = response.headers.get("Set-Cookie")
    return [value[:4096]] if value else []


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:300] if str(exc) else ""


@dataclass(frozen=True)
class ExternalAnswer:
    """What a declared public data source answered (status and a capped body)."""

    url: str
    status: int
    body: bytes
    truncated: bool


def fetch_external(url: str, *, timeout: float, max_bytes: int, accept: str = "application/json") -> ExternalAnswer:
    """GET ``url`` from a *declared external data source* (an RDAP registry, a CT log), bounded.

    Such a source is not a target: its URL comes from shipped or configured
    data (never from anything a scanned host said), it receives only the
    name being looked up, and it is not scope-checked.  What is bounded is
    what it may do to the scan: one overall deadline (a server dripping its
    body is cut at it), a byte cap, no redirects (an answer that points
    elsewhere is returned as it is), no proxy or credentials from the
    environment, and TLS verified against the system's trust store.
    """
    import requests

    parse_hop(url)  # the same refusals as for targets: other schemes, user info, ambiguous characters
    deadline = time.monotonic() + timeout
    with requests.Session() as session:
        session.trust_env = False
        try:
            response = session.get(url, headers={"User-Agent": USER_AGENT, "Accept": accept}, allow_redirects=False,
                                   stream=True, timeout=(min(timeout, 10.0), min(timeout, 10.0)))
        except requests.RequestException as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {_first_line(exc)}") from None
        with response:
            body, truncated = _read_capped(response, max_bytes, deadline)
            return ExternalAnswer(url=url, status=response.status_code, body=body, truncated=truncated)
