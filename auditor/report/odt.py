"""The formal audit report as an editable OpenDocument text (odfpy), for LibreOffice users.

Headings are outline-numbered ``text:h`` elements (LibreOffice's navigator
and "Insert → Table of contents" pick them up); the master page carries the
organisation and date in the header and the page number in the footer.
"""

from __future__ import annotations

import io
from datetime import timezone

from odf import dc, meta, teletype
from odf.opendocument import OpenDocumentText
from odf.style import (DefaultStyle, FontFace, Footer, Header, MasterPage, PageLayout, PageLayoutProperties,
                       ParagraphProperties, Style, TableCellProperties, TextProperties)
from odf.table import Table as OdfTable, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P, PageNumber

from auditor.analysis import Analysis
from auditor.report.audit import AuditDocument, Block, Bullets, Fields, Heading, Para, Table, build_audit


class _Styles:
    """The few automatic and named styles the report uses, registered once per document."""

    def __init__(self, odt: OpenDocumentText) -> None:
        odt.fontfacedecls.addElement(FontFace(name="DejaVu Sans", fontfamily="'DejaVu Sans'",
                                              fontfamilygeneric="swiss", fontpitch="variable"))
        self.heading = {}
        for level, size in ((1, "16pt"), (2, "13pt"), (3, "11pt")):
            style = Style(name=f"Heading {level}", family="paragraph", defaultoutlinelevel=str(level))
            style.addElement(TextProperties(fontsize=size, fontweight="bold", fontname="DejaVu Sans"))
            style.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm", keepwithnext="always"))
            odt.styles.addElement(style)
            self.heading[level] = style
        self.body = self._paragraph(odt, "Body", {"fontsize": "10pt", "fontname": "DejaVu Sans"})
        self.note = self._paragraph(odt, "Note", {"fontsize": "10pt", "fontweight": "bold"})
        self.alert = self._paragraph(odt, "Alert", {"fontsize": "10pt", "fontweight": "bold", "color": "#b01c1c"})
        self.pre = self._paragraph(odt, "Preformatted", {"fontsize": "8.5pt", "fontname": "DejaVu Sans Mono"})
        self.title = self._paragraph(odt, "Title", {"fontsize": "22pt", "fontweight": "bold"})
        self.cell = Style(name="Cell", family="table-cell")
        self.cell.addElement(TableCellProperties(border="0.5pt solid #888888", padding="0.08cm"))
        odt.automaticstyles.addElement(self.cell)
        self.cell_head = self._paragraph(odt, "Cell heading", {"fontsize": "9pt", "fontweight": "bold"})
        self.cell_text = self._paragraph(odt, "Cell text", {"fontsize": "9pt"})

    @staticmethod
    def _paragraph(odt: OpenDocumentText, name: str, text: dict[str, str]) -> Style:
        style = Style(name=name, family="paragraph")
        style.addElement(TextProperties(**text))
        odt.styles.addElement(style)
        return style


def _para(style: Style, text: str) -> P:
    """A paragraph keeping line breaks and runs of spaces (odfpy's teletype encodes them)."""
    paragraph = P(stylename=style)
    teletype.addTextToElement(paragraph, text)
    return paragraph


def _table(styles: _Styles, headers: tuple[str, ...], rows: list[tuple[str, ...]],
           bold_first: bool = False) -> OdfTable:
    columns = len(headers) if headers else len(rows[0])
    table = OdfTable()
    table.addElement(TableColumn(numbercolumnsrepeated=columns))
    all_rows = ([(headers, True)] if headers and any(headers) else []) + [(row, False) for row in rows]
    for row, is_head in all_rows:
        tr = TableRow()
        for index, text in enumerate(row):
            cell = TableCell(stylename=styles.cell, valuetype="string")
            bold = is_head or (bold_first and index == 0)
            cell.addElement(_para(styles.cell_head if bold else styles.cell_text, text))
            tr.addElement(cell)
        table.addElement(tr)
    return table


def _block(odt: OpenDocumentText, styles: _Styles, block: Block) -> None:
    if isinstance(block, Heading):
        level = min(block.level, 3)
        odt.text.addElement(H(outlinelevel=level, stylename=styles.heading[level], text=block.text))
    elif isinstance(block, Para):
        style = {"note": styles.note, "alert": styles.alert, "pre": styles.pre}.get(block.style, styles.body)
        odt.text.addElement(_para(style, block.text))
    elif isinstance(block, Fields):
        odt.text.addElement(_table(styles, (), list(block.pairs), bold_first=True))
    elif isinstance(block, Table):
        odt.text.addElement(_table(styles, block.headers, list(block.rows)))
    elif isinstance(block, Bullets):
        bullets = List()
        for item in block.items:
            entry = ListItem()
            entry.addElement(_para(styles.body, "• " + item))
            bullets.addElement(entry)
        odt.text.addElement(bullets)


def _master_page(odt: OpenDocumentText, styles: _Styles, doc: AuditDocument) -> None:
    layout = PageLayout(name="A4")
    layout.addElement(PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", margin="2cm",
                                           printorientation="portrait"))
    odt.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header = Header()
    header.addElement(_para(styles.cell_text, f"{doc.organisation} · {doc.title} · {doc.date}"))
    footer = Footer()
    page = P(stylename=styles.cell_text, text=f"{doc.labels['page']} ")
    page.addElement(PageNumber(selectpage="current", text="1"))
    footer.addElement(page)
    master.addElement(header)
    master.addElement(footer)
    odt.masterstyles.addElement(master)


def _metadata(odt: OpenDocumentText, doc: AuditDocument) -> None:
    """Title, subject (the office), author, language and dates of the audit — not odfpy's defaults."""
    odt.meta.addElement(dc.Title(text=f"{doc.title} — {doc.organisation}"))
    odt.meta.addElement(dc.Subject(text=doc.organisation))
    odt.meta.addElement(dc.Language(text=doc.language_tag))
    if doc.author:
        odt.meta.addElement(dc.Creator(text=doc.author))
        odt.meta.addElement(meta.InitialCreator(text=doc.author))
    if doc.created is not None:
        stamp = doc.created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        odt.meta.addElement(meta.CreationDate(text=stamp))
        odt.meta.addElement(dc.Date(text=stamp))
    language, _, country = doc.language_tag.partition("-")
    default = DefaultStyle(family="paragraph")
    default.addElement(TextProperties(language=language, country=country or "none"))
    odt.styles.addElement(default)


def write_odt(doc: AuditDocument) -> bytes:
    odt = OpenDocumentText()
    _metadata(odt, doc)
    styles = _Styles(odt)
    _master_page(odt, styles, doc)
    odt.text.addElement(_para(styles.title, doc.title))
    odt.text.addElement(_para(styles.body, doc.subtitle))
    odt.text.addElement(_para(styles.body, doc.date))
    odt.text.addElement(H(outlinelevel=1, stylename=styles.heading[1], text=doc.labels["contents"]))
    odt.text.addElement(_para(styles.body, "\n".join(f"{n}. {s.title}" for n, s in enumerate(doc.sections, 1))))
    for number, section in enumerate(doc.sections, 1):
        odt.text.addElement(H(outlinelevel=1, stylename=styles.heading[1], text=f"{number}. {section.title}"))
        for block in section.blocks:
            _block(odt, styles, block)
    out = io.BytesIO()
    odt.write(out)
    return out.getvalue()


def render(analysis: Analysis) -> bytes:
    return write_odt(build_audit(analysis))
