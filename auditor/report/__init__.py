"""Renderers of a stored ScanRun: one module per format, each pure (run in, string out).

``render(run, ReportFormat.HTML, lang="pl")`` is what ``auditor report``
calls; nothing here touches the network or the filesystem beyond reading the
shipped templates, so a report can be rendered again from a stored run at
any time.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Callable, Mapping

from auditor.model import ScanRun
from auditor.registry import Registry, default_registry


class ReportFormat(StrEnum):
    HTML = "html"
    JSON = "json"
    SARIF = "sarif"
    CSV = "csv"

    @property
    def suffix(self) -> str:
        return {"html": ".html", "json": ".json", "sarif": ".sarif", "csv": ".csv"}[self.value]


Renderer = Callable[..., str]


def _renderers() -> dict[ReportFormat, Renderer]:
    from auditor.report import csvfile, html, jsonfile, sarif

    return {ReportFormat.HTML: html.render, ReportFormat.JSON: jsonfile.render,
            ReportFormat.SARIF: sarif.render, ReportFormat.CSV: csvfile.render}


def render(run: ScanRun, fmt: ReportFormat, *, lang: str = "pl", registry: Registry | None = None,
           trends: Mapping[str, str] | None = None) -> str:
    """The report as text; ``trends`` (name → SVG made by our own code) is used by HTML only."""
    registry = registry or default_registry()
    renderer = _renderers()[fmt]
    if fmt is ReportFormat.HTML:
        return renderer(run, lang=lang, registry=registry, trends=trends)
    return renderer(run, lang=lang, registry=registry)
