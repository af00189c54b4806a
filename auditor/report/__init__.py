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
    PLAN_CSV = "plan-csv"

    @property
    def suffix(self) -> str:
        return {"html": ".html", "json": ".json", "sarif": ".sarif", "csv": ".csv", "plan-csv": ".plan.csv"}[self.value]


class DocumentFormat(StrEnum):
    """The formal audit report as an editable or printable document (bytes, not text)."""

    DOCX = "docx"
    ODT = "odt"
    PDF = "pdf"

    @property
    def suffix(self) -> str:
        return f".{self.value}"


Renderer = Callable[..., str]


def _renderers() -> dict[ReportFormat, Renderer]:
    from auditor.report import csvfile, html, jsonfile, plancsv, sarif

    return {ReportFormat.HTML: html.render, ReportFormat.JSON: jsonfile.render,
            ReportFormat.SARIF: sarif.render, ReportFormat.CSV: csvfile.render,
            ReportFormat.PLAN_CSV: plancsv.render}


def render(run: ScanRun, fmt: ReportFormat, *, lang: str = "pl", registry: Registry | None = None,
           trends: Mapping[str, str] | None = None, previous: ScanRun | None = None) -> str:
    """The report as text.

    HTML only: ``trends`` (name → SVG made by our own code) and ``previous``
    (the last earlier snapshot of the office, for the follow-up section).
    """
    registry = registry or default_registry()
    renderer = _renderers()[fmt]
    if fmt is ReportFormat.HTML:
        return renderer(run, lang=lang, registry=registry, trends=trends, previous=previous)
    return renderer(run, lang=lang, registry=registry)


def render_document(run: ScanRun, fmt: DocumentFormat, *, lang: str = "pl", registry: Registry | None = None,
                    previous: ScanRun | None = None) -> bytes:
    """The formal audit report (``auditor.report.audit``) as DOCX, ODT or PDF bytes."""
    from auditor.report import docx, odt, pdf

    writer = {DocumentFormat.DOCX: docx.render, DocumentFormat.ODT: odt.render, DocumentFormat.PDF: pdf.render}[fmt]
    return writer(run, lang=lang, registry=registry or default_registry(), previous=previous)
