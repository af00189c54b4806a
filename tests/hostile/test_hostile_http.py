"""The shared HTTP layer against hostile web servers: bounded time and memory, a clear error."""

from __future__ import annotations

import resource

import pytest

import hostile_servers as hs
from auditor.http import FetchError, fetch
from auditor.scope import ScopeGuard

SCOPE = ScopeGuard.from_lists(["127.0.27.0/24"])


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize(
    ("case", "handler", "expect"),
    [
        ("HTTP endless chunked body", hs.endless_body, "truncated"),
        ("HTTP 100 MB body", hs.huge_body, "truncated"),
        ("HTTP redirect loop", hs.redirect_loop, "more than 5 redirects"),
        ("HTTP enormous headers", hs.enormous_headers, "error"),
        ("HTTP tarpit", hs.tarpit, "error"),
        ("HTTP slow drip body", hs.slow_drip, "deadline"),
    ],
)
def test_fetch_is_bounded(hostile, record_case, case, handler, expect) -> None:
    server = hostile(case, handler)
    before = rss_mb()
    with record_case(case) as outcome:
        try:
            response = fetch(f"http://127.0.27.1:{server.port}/", SCOPE, timeout=6, max_bytes=256 * 1024)
        except FetchError as exc:
            outcome.append(f"FetchError: {str(exc)[:60]}")
            if expect == "truncated":
                raise
            if expect not in ("error",):
                assert expect in str(exc)
        else:
            outcome.append(f"HTTP {response.status}, {len(response.body)} bytes, truncated={response.truncated}")
            assert expect == "truncated" and response.truncated and len(response.body) == 256 * 1024
    assert rss_mb() - before < 64  # nothing near the 100 MB the server offered was kept
