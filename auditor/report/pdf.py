"""The formal audit report as PDF: the print template rendered by WeasyPrint.

Page numbers ("Strona 3 / 12"), a running header with the organisation, the
report title and the audit date, and a table of contents whose page numbers
WeasyPrint fills in (``target-counter``).  The HTML never references
anything outside itself, and WeasyPrint is given a URL fetcher that refuses
every fetch, so a hostile string in a finding cannot make it load a file
or a URL.  Needs fonts with Polish glyphs (DejaVu: ``fonts-dejavu-core``).
"""

from __future__ import annotations

from typing import Any

from auditor.analysis import Analysis
from auditor.report.audit import AuditDocument, build_audit
from auditor.report.html import _environment

TEMPLATE = "audit_print.html.j2"


def print_html(doc: AuditDocument) -> str:
    """The print-specific HTML of the audit document (also useful to inspect the layout in a browser)."""
    return _environment().get_template(TEMPLATE).render(doc=doc)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the audit PDF loads no external resource ({url[:80]})")


def write_pdf(doc: AuditDocument) -> bytes:
    from weasyprint import HTML  # heavy import (cairo, pango): only when a PDF is asked for

    return HTML(string=print_html(doc), url_fetcher=_no_fetch).write_pdf()


def render(analysis: Analysis) -> bytes:
    return write_pdf(build_audit(analysis))
