"""The collector scripts an administrator runs on a host (``auditor collector linux|windows``).

Shipped as package data so the exact script the scanner understands can be
printed, read and copied to the host.
"""

from __future__ import annotations

from importlib import resources

COLLECTORS = {"linux": "linux.sh", "windows": "windows.ps1"}


def collector_source(platform: str) -> str:
    """The text of the collector for ``platform`` (``linux`` or ``windows``)."""
    return resources.files(__name__).joinpath(COLLECTORS[platform]).read_text(encoding="utf-8")
