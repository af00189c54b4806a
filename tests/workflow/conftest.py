"""Fixtures of the workflow tests (helpers live in workflow_helpers.py)."""

from __future__ import annotations

import pytest
from workflow_helpers import sample_findings as _sample


@pytest.fixture
def sample_findings():
    return _sample()
