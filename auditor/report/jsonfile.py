"""JSON report: the ScanRun itself, in its versioned wire format (every text is already bilingual)."""

from __future__ import annotations

from auditor.analysis import Analysis
from auditor.model import scan_run_to_json


def render(analysis: Analysis) -> str:
    """The analysed run as stored: the analysis is derived, any reader recomputes it with ``analyse``."""
    return scan_run_to_json(analysis.run) + "\n"
