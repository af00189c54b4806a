"""Renderers of an analysed ScanRun: one module per format, each pure (analysis in, text or bytes out).

Every renderer reads an ``auditor.analysis.Analysis`` and nothing else: the
counts, classes, numbers and the ranked actions are computed there once, so
the formats cannot disagree.  ``render(analysis, ReportFormat.HTML)`` is what
``auditor report`` calls; nothing here touches the network or the filesystem
beyond reading the shipped templates, so a report can be rendered again from
a stored run at any time.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Callable, Mapping

from auditor.analysis import Analysis


class ReportFormat(StrEnum):
    HTML = "html"
    JSON = "json"
    SARIF = "sarif"
    CSV = "csv"
    PLAN_CSV = "plan-csv"
    TEXT = "text"

    @property
    def suffix(self) -> str:
        return {"html": ".html", "json": ".json", "sarif": ".sarif", "csv": ".csv", "plan-csv": ".plan.csv",
                "text": ".txt"}[self.value]


class DocumentFormat(StrEnum):
    """The formal audit report as an editable or printable document (bytes, not text)."""

    DOCX = "docx"
    ODT = "odt"
    PDF = "pdf"

    @property
    def suffix(self) -> str:
        return f".{self.value}"


def _renderers() -> dict[ReportFormat, Callable[[Analysis], str]]:
    from auditor.report import csvfile, jsonfile, plancsv, sarif, text

    return {ReportFormat.JSON: jsonfile.render, ReportFormat.SARIF: sarif.render, ReportFormat.CSV: csvfile.render,
            ReportFormat.PLAN_CSV: plancsv.render, ReportFormat.TEXT: text.render}


def render(analysis: Analysis, fmt: ReportFormat, *, trends: Mapping[str, str] | None = None) -> str:
    """The report as text; ``trends`` (HTML only) maps a caption to SVG made by our own code."""
    if fmt is ReportFormat.HTML:
        from auditor.report import html

        return html.render(analysis, trends=trends)
    return _renderers()[fmt](analysis)


def render_document(analysis: Analysis, fmt: DocumentFormat) -> bytes:
    """The formal audit report (``auditor.report.audit``) as DOCX, ODT or PDF bytes."""
    from auditor.report import docx, odt, pdf

    writer = {DocumentFormat.DOCX: docx.render, DocumentFormat.ODT: odt.render, DocumentFormat.PDF: pdf.render}[fmt]
    return writer(analysis)
