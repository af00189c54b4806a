"""Scope cannot be talked around (issue 26, items 1 and 3): a URL is parsed once, a name resolved once.

An in-scope server answers with a redirect crafted so that two URL parsers
disagree on the host, or names a host whose DNS answer changes between the
check and the connect.  A decoy on an out-of-scope loopback address counts
every connection; it must stay at zero, and the scanner must still reach
what is in scope, with the name in Host/SNI and the checked address on the wire.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Iterator

import pytest
import trustme

from auditor.http import FetchError, fetch
from auditor.scope import OutOfScope, ScopeGuard
from hostile_cli import scan, write_inventory
from scope_lab import DECOY, IN_SCOPE, SCOPE, Decoy, PointingServer, redirect_to

OTHER_IN_SCOPE = "127.123.30.15"


@pytest.fixture
def decoy() -> Iterator[Decoy]:
    listener = Decoy()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def tls_context() -> ssl.SSLContext:
    ca = trustme.CA()
    cert = ca.issue_cert("www.gmina.test", IN_SCOPE)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    return context


def _guard(resolver=lambda name: []) -> ScopeGuard:
    return ScopeGuard.from_lists([SCOPE], ["gmina.test"], resolver=resolver)


def _escapes(decoy: Decoy, target_port: int) -> list[str]:
    """Locations two parsers read differently, or that plainly leave the scope."""
    d, s = f"{DECOY}:{decoy.port}", f"{IN_SCOPE}:{target_port}"
    return [
        f"http://{d}\\@{s}/",          # urlsplit: host after '@'; urllib3/WHATWG: '\' ends the authority
        f"https://{d}\\@{s}/",
        f"http://{d}@{s}/",            # user info that looks like a host
        f"http://{s}\t@{d}/",          # a tab some parsers strip, others keep
        f"http://{s}%2F@{d}/",
        f"http:\\\\{d}/",              # backslashes as slashes (browsers do)
        f"http://{d}/",                # plainly out of scope
        f"//{d}/",                     # scheme-relative
    ]


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_parser_confusion_redirects_never_reach_the_decoy(decoy, tls_context, record_case, scheme) -> None:
    server = PointingServer(lambda path: (200, {}, b"ok"), tls=tls_context if scheme == "https" else None)
    try:
        for index, location in enumerate(_escapes(decoy, server.port)):
            pointing = PointingServer(redirect_to(location), tls=tls_context if scheme == "https" else None)
            try:
                with record_case(f"redirect escape {scheme} #{index}") as outcome:
                    with pytest.raises((FetchError, OutOfScope)) as refused:
                        fetch(f"{scheme}://www.gmina.test:{pointing.port}/", _guard(), timeout=5,
                              connect_to=IN_SCOPE)
                    outcome.append(f"refused: {str(refused.value)[:60]}; decoy {decoy.total}")
                assert pointing.hosts == [f"www.gmina.test:{pointing.port}"]
            finally:
                pointing.close()
        assert decoy.total == 0
        assert server.hosts == []  # nor was the "@host" half taken as the target instead
    finally:
        server.close()


def test_a_redirect_to_an_in_scope_name_goes_to_the_checked_address(tls_context) -> None:
    target = PointingServer(lambda path: (200, {}, b"portal"), address=OTHER_IN_SCOPE, tls=tls_context)
    pointing = PointingServer(redirect_to(f"https://bip.gmina.test:{target.port}/start?a=1"), tls=tls_context)
    try:
        response = fetch(f"https://www.gmina.test:{pointing.port}/", _guard({"bip.gmina.test": [OTHER_IN_SCOPE]}.get),
                         timeout=5, connect_to=IN_SCOPE)
        assert (response.status, response.body) == (200, b"portal")
        assert response.url == f"https://bip.gmina.test:{target.port}/start?a=1"
        assert target.hosts == [f"bip.gmina.test:{target.port}"]
    finally:
        pointing.close()
        target.close()


def test_a_rebinding_name_is_resolved_once_and_the_checked_address_is_used(record_case) -> None:
    """First DNS answer in scope, every later one the decoy: only the first is ever asked for."""
    target = PointingServer(lambda path: (200, {}, b"in scope"), address=OTHER_IN_SCOPE)
    decoy = Decoy(port=target.port)  # same port on the out-of-scope address: a rebind would land here
    answers: list[str] = []

    def rebinding(name: str) -> list[str]:
        answers.append(name)
        return [OTHER_IN_SCOPE] if len(answers) == 1 else [DECOY]

    pointing = PointingServer(redirect_to(f"http://rebind.gmina.test:{target.port}/"))
    try:
        with record_case("DNS rebinding between check and connect") as outcome:
            response = fetch(f"http://www.gmina.test:{pointing.port}/", _guard(rebinding), timeout=5,
                             connect_to=IN_SCOPE)
            outcome.append(f"HTTP {response.status} from {OTHER_IN_SCOPE}; lookups {len(answers)}; "
                           f"decoy {decoy.total}")
        assert response.body == b"in scope"
        assert answers == ["rebind.gmina.test"]
        assert target.hosts == [f"rebind.gmina.test:{target.port}"]
        assert decoy.total == 0
    finally:
        pointing.close()
        target.close()
        decoy.close()


def test_web_probe_through_the_cli_stays_in_scope(decoy, tmp_path: Path, record_case) -> None:
    """The issue's scenario end to end: `auditor scan` of a site whose root redirects out through a parser gap."""
    landing = PointingServer(lambda path: (200, {"Content-Type": "text/html"}, b"<title>x</title>"))
    pointing = PointingServer(redirect_to(f"http://{DECOY}:{decoy.port}\\@{IN_SCOPE}:{landing.port}/"),
                              address=OTHER_IN_SCOPE)
    try:
        inventory = write_inventory(tmp_path / "inventory.yaml", [SCOPE], hosts=[{
            "name": "www.gmina.test", "addresses": [OTHER_IN_SCOPE], "roles": ["www"],
            "ports": [{"port": pointing.port, "service": "http"}]}])
        with record_case("web probe: parser-gap redirect (CLI)") as outcome:
            result = scan(inventory, "web")
            outcome.append(f"exit {result.returncode}; decoy {decoy.total}")
        assert result.run is not None, result.stderr[-2000:]
        assert pointing.hosts  # the in-scope site was audited
        assert decoy.total == 0
        assert landing.hosts == []
    finally:
        pointing.close()
        landing.close()
