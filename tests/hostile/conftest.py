"""Hostile lab: servers are started per module; each case's time and outcome is tabulated."""

from __future__ import annotations

import time
from typing import Iterator

import pytest

from hostile_servers import HostileServer

CASES: list[tuple[str, float, str]] = []


class Outcome(list):
    """What a case ended with; ``seconds`` overrides the measured time when the case
    ran earlier (e.g. one probe attempt inside a module-scoped scan)."""

    seconds: float | None = None


@pytest.fixture
def record_case() -> Iterator:
    """``with record_case("tarpit TLS") as outcome: ...; outcome.append("error")``."""
    from contextlib import contextmanager

    @contextmanager
    def timed(name: str):
        outcome = Outcome()
        start = time.monotonic()
        try:
            yield outcome
        finally:
            seconds = outcome.seconds if outcome.seconds is not None else time.monotonic() - start
            CASES.append((name, seconds, ", ".join(outcome) or "-"))

    yield timed


@pytest.fixture(scope="module")
def hostile() -> Iterator:
    """Factory of hostile servers (on 127.0.27.1 unless told), all stopped after the module."""
    started: list[HostileServer] = []

    def start(name: str, handler, address: str = "127.0.27.1") -> HostileServer:
        server = HostileServer(name, address, handler)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def pytest_terminal_summary(terminalreporter) -> None:
    if not CASES:
        return
    terminalreporter.section("hostile lab: case, seconds, outcome")
    for name, seconds, outcome in CASES:
        terminalreporter.write_line(f"{name:45} {seconds:7.2f} s   {outcome}")
