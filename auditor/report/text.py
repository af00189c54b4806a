"""The terminal summary as a plain-text report (``auditor report --format text``): the same lines as ``auditor scan``."""

from __future__ import annotations

from auditor.analysis import Analysis
from auditor.terminal import summary_text


def render(analysis: Analysis) -> str:
    return summary_text(analysis)
