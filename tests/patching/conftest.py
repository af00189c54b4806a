"""Patching tests judge with the shipped knowledge data, never a developer's refreshed cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.checks.patching.knowledge import ENV_CACHE


@pytest.fixture(autouse=True)
def _shipped_data_only(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    empty = tmp_path_factory.mktemp("no-cache")
    monkeypatch.setenv(ENV_CACHE, str(empty))
    return empty
