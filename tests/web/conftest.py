"""Real web sites on loopback for the web family's tests (module-scoped, started once)."""

from __future__ import annotations

import ssl
from typing import Iterator

import pytest
import trustme

from auditor.demo.services import free_port, http_service
from web_support import ADDRESSES, BAD, GOOD, MIRROR, SOFT, bad_site_routes, good_site_routes, mirror_body


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, dict[str, int]]]:
    """Starts the sites of ``web_support``; yields {host name: {"http": port, "https": port}}."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(GOOD).configure_cert(context)
    ports = {name: {"http": free_port(address), "https": free_port(address)} for name, address in ADDRESSES.items()}
    redirect = {"/": (301, {"Location": f"https://{GOOD}:{ports[GOOD]['https']}/"}, b"")}
    services = [
        http_service("good-http", ADDRESSES[GOOD], ports[GOOD]["http"], routes=redirect, not_found=redirect["/"]),
        http_service("good-https", ADDRESSES[GOOD], ports[GOOD]["https"], routes=good_site_routes(),
                     not_found=(404, {}, b"<html><title>404</title></html>"), ssl_context=context),
        http_service("bad", ADDRESSES[BAD], ports[BAD]["http"], routes=bad_site_routes(),
                     headers={"Server": "Apache/2.4.41 (Ubuntu)", "X-Powered-By": "PHP/7.4.3"}),
        http_service("soft404", ADDRESSES[SOFT], ports[SOFT]["http"]),
        http_service("mirror", ADDRESSES[MIRROR], ports[MIRROR]["http"], headers={"Content-Type": "text/plain"},
                     body=mirror_body()),
    ]
    yield ports
    for service in services:
        service.stop()
