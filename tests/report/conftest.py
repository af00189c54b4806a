"""Runs shared by the report tests (built once per session: rendering is pure)."""

from __future__ import annotations

import pytest

from auditor.report.synthetic import HOSTILE, synthetic_run


@pytest.fixture(scope="session")
def hostile_run():
    """A scored run whose banners, messages and organisation name carry markup."""
    return synthetic_run(findings=120, targets=6, hostile=True)


@pytest.fixture(scope="session")
def hostile_text() -> str:
    return HOSTILE
