"""Stores of scored office runs for the roll-up tests, built from the registry's real checks and baselines."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from auditor.baseline import load_baselines
from auditor.model import ScanRun, Severity
from auditor.registry import default_registry
from auditor.report.synthetic import mapped_check_ids, synthetic_office_run
from auditor.store import Store


@lru_cache(maxsize=1)
def _baselines():
    return [lb.baseline for lb in load_baselines(registry=default_registry()).values()]


def check_ids() -> tuple[str, ...]:
    return mapped_check_ids(_baselines())


def office_run(name: str, teryt: str, failing: dict[str, Severity], **options) -> ScanRun:
    return synthetic_office_run(name, teryt, failing, _baselines(), **options)


def store_with(path: Path, runs: list[ScanRun]) -> Path:
    with Store(path) as store:
        for run in runs:
            store.save(run)
    return path
