"""JSON report: the ScanRun itself, in its versioned wire format."""

from __future__ import annotations

from auditor.model import ScanRun, scan_run_to_json
from auditor.registry import Registry


def render(run: ScanRun, *, lang: str = "pl", registry: Registry | None = None) -> str:
    """The run as stored (``lang`` is irrelevant: every text is already bilingual)."""
    return scan_run_to_json(run) + "\n"
