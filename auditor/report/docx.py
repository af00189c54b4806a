"""The formal audit report as an editable Word document (python-docx).

The auditor edits and signs it; headings use Word's built-in "Heading N"
styles so Word's navigation pane and the table-of-contents field (updated on
opening: F9 or "Update field") work.  Header: organisation and date; footer:
page number field.
"""

from __future__ import annotations

import io
from datetime import timezone
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.document import Document as DocxDocument
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from auditor.analysis import Analysis
from auditor.report.audit import AuditDocument, Block, Bullets, Fields, Heading, Para, Table, build_audit


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC …): begin, instruction, separate, cached text, end."""
    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        return element

    run = paragraph.add_run()
    run._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.append(instr)
    run._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _table(document: DocxDocument, headers: tuple[str, ...], rows: list[tuple[str, ...]], bold_first_column: bool = False) -> None:
    table = document.add_table(rows=0, cols=len(headers) if headers else len(rows[0]))
    table.style = "Table Grid"
    if headers and any(headers):
        cells = table.add_row().cells
        for cell, text in zip(cells, headers):
            cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row)):
            cell.paragraphs[0].add_run(text).bold = bold_first_column and index == 0
    document.add_paragraph()


def _block(document: DocxDocument, block: Block) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=block.level)
    elif isinstance(block, Para):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(block.text)
        if block.style == "note":
            run.bold = True
        elif block.style == "alert":
            run.bold = True
            run.font.color.rgb = RGBColor(0xB0, 0x1C, 0x1C)
        elif block.style == "pre":
            run.font.name = "DejaVu Sans Mono"
            run.font.size = Pt(8.5)
    elif isinstance(block, Fields):
        _table(document, (), list(block.pairs), bold_first_column=True)
    elif isinstance(block, Table):
        _table(document, block.headers, list(block.rows))
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")


def _metadata(document: Any, doc: AuditDocument) -> None:
    """Title, subject (the office), author and dates of the audit — not python-docx's template defaults."""
    properties = document.core_properties
    properties.title = f"{doc.title} — {doc.organisation}"
    properties.subject = doc.organisation
    properties.author = properties.last_modified_by = doc.author
    properties.language = doc.language_tag
    properties.keywords = "KRI; NIS2; KSC; audyt" if doc.lang == "pl" else "KRI; NIS2; KSC; audit"
    properties.comments = ""
    if doc.created is not None:
        properties.created = properties.modified = doc.created.astimezone(timezone.utc).replace(tzinfo=None)
    properties.revision = 1


def _a4_in(document: Any, language_tag: str) -> None:
    """A4 pages with 2 cm margins, and the proofing language of every run of text (Word's w:lang)."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language_tag)


def write_docx(doc: AuditDocument) -> bytes:
    document = Document()
    _metadata(document, doc)
    _a4_in(document, doc.language_tag)
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{doc.organisation} · {doc.title} · {doc.date}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{doc.labels['page']} ")
    _field(footer, "PAGE", "1")
    document.add_heading(doc.title, level=0)
    document.add_paragraph(doc.subtitle)
    document.add_paragraph(doc.date)
    document.add_heading(doc.labels["contents"], level=1)
    _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u',
           "\n".join(f"{n}. {s.title}" for n, s in enumerate(doc.sections, 1)))
    for number, sec in enumerate(doc.sections, 1):
        document.add_heading(f"{number}. {sec.title}", level=1)
        for block in sec.blocks:
            _block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(analysis: Analysis) -> bytes:
    return write_docx(build_audit(analysis))
