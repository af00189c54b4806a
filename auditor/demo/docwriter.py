"""Writes real office documents (DOCX, ODT, PDF, scanned PDF, text) from a small spec.

Used by the demo lab's documents folder, the documents tests and the
classification benchmark, so all three read files produced by the same
libraries an office uses: python-docx, odfpy, WeasyPrint (PDF with a text
layer) and Pillow + WeasyPrint (an image-only "scan" without one).
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

Kind = Literal["title", "h", "p", "row"]


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str = ""
    cells: tuple[str, ...] = ()


def title(text: str) -> Block:
    return Block("title", text)


def h(text: str) -> Block:
    return Block("h", text)


def p(text: str) -> Block:
    return Block("p", text)


def row(*cells: str) -> Block:
    return Block("row", cells=tuple(cells))


@dataclass(frozen=True)
class Doc:
    """One file: its name (the suffix picks the format), content and metadata."""

    filename: str
    blocks: tuple[Block, ...]
    meta_title: str | None = None
    created: datetime | None = None
    scan: bool = False
    """A PDF whose pages are images only (no text layer), like a scanner's output."""
    header: str | None = None
    """Page-header text (DOCX), e.g. "Załącznik do Zarządzenia …"."""


def write(doc: Doc, folder: Path) -> Path:
    """Writes ``doc`` into ``folder`` in the format its suffix names; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / doc.filename
    suffix = path.suffix.lower()
    writers = {".docx": _docx, ".odt": _odt, ".pdf": _pdf, ".txt": _text, ".md": _text}
    if suffix not in writers:
        raise ValueError(f"cannot write {suffix} files")
    writers[suffix](doc, path)
    return path


def _groups(blocks: tuple[Block, ...]) -> list[list[Block]]:
    """Consecutive table rows form one table; every other block stands alone."""
    groups: list[list[Block]] = []
    for block in blocks:
        if block.kind == "row" and groups and groups[-1][0].kind == "row":
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def _docx(doc: Doc, path: Path) -> None:
    import docx

    document = docx.Document()
    if doc.header:
        document.sections[0].header.paragraphs[0].text = doc.header
    for group in _groups(doc.blocks):
        first = group[0]
        if first.kind == "row":
            table = document.add_table(rows=0, cols=max(len(b.cells) for b in group))
            for block in group:
                cells = table.add_row().cells
                for cell, text in zip(cells, block.cells):
                    cell.text = text
        elif first.kind == "title":
            document.add_heading(first.text, level=0)
        elif first.kind == "h":
            document.add_heading(first.text, level=1)
        else:
            document.add_paragraph(first.text)
    if doc.meta_title:
        document.core_properties.title = doc.meta_title
    if doc.created:
        document.core_properties.created = doc.created
        document.core_properties.modified = doc.created
    document.save(str(path))


def _odt(doc: Doc, path: Path) -> None:
    from odf import dc, meta, table, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    if doc.header:
        document.text.addElement(text.P(text=doc.header))
    for group in _groups(doc.blocks):
        first = group[0]
        if first.kind == "row":
            grid = table.Table(name=f"Tabela{len(document.text.childNodes)}")
            grid.addElement(table.TableColumn(numbercolumnsrepeated=max(len(b.cells) for b in group)))
            for block in group:
                table_row = table.TableRow()
                for value in block.cells:
                    cell = table.TableCell()
                    cell.addElement(text.P(text=value))
                    table_row.addElement(cell)
                grid.addElement(table_row)
            document.text.addElement(grid)
        elif first.kind in ("title", "h"):
            document.text.addElement(text.H(outlinelevel=1 if first.kind == "title" else 2, text=first.text))
        else:
            document.text.addElement(text.P(text=first.text))
    if doc.meta_title:
        document.meta.addElement(dc.Title(text=doc.meta_title))
    if doc.created:
        stamp = doc.created.astimezone(timezone.utc).replace(tzinfo=None).isoformat()
        document.meta.addElement(meta.CreationDate(text=stamp))
        document.meta.addElement(dc.Date(text=stamp))
    document.save(str(path))


def _html(doc: Doc) -> str:
    parts = []
    if doc.header:
        parts.append(f"<p class='header'>{html.escape(doc.header)}</p>")
    for group in _groups(doc.blocks):
        first = group[0]
        if first.kind == "row":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in b.cells) + "</tr>" for b in group)
            parts.append(f"<table>{rows}</table>")
        elif first.kind == "title":
            parts.append(f"<h1>{html.escape(first.text)}</h1>")
        elif first.kind == "h":
            parts.append(f"<h2>{html.escape(first.text)}</h2>")
        else:
            parts.append(f"<p>{html.escape(first.text)}</p>")
    return "".join(parts)


def _head(doc: Doc) -> str:
    head = (
        "<meta charset='utf-8'>"
        "<style>body{font-family:'DejaVu Sans',sans-serif;font-size:10pt} td{padding:2px 6px}</style>"
    )
    if doc.meta_title:
        head += f"<title>{html.escape(doc.meta_title)}</title>"
    if doc.created:
        head += f"<meta name='dcterms.created' content='{doc.created.isoformat()}'>"
        head += f"<meta name='dcterms.modified' content='{doc.created.isoformat()}'>"
    return head


def _pdf(doc: Doc, path: Path) -> None:
    from weasyprint import HTML

    body = _scan_images(doc) if doc.scan else _html(doc)
    HTML(string=f"<html><head>{_head(doc)}</head><body>{body}</body></html>").write_pdf(str(path))


def _scan_images(doc: Doc) -> str:
    """The text drawn into a greyish bitmap, one image per page, as a scanner would produce."""
    from PIL import Image, ImageDraw

    lines: list[str] = []
    for block in doc.blocks:
        content = " | ".join(block.cells) if block.kind == "row" else block.text
        lines.extend(textwrap.wrap(content, 90) or [""])
    pages = [lines[i : i + 60] for i in range(0, len(lines), 60)] or [[]]
    images = []
    for page_lines in pages:
        image = Image.new("L", (620, 880), color=235)
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(page_lines):
            draw.text((30, 30 + number * 13), line.encode("ascii", "replace").decode(), fill=20)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        encoded = base64.b64encode(buffer.getvalue()).decode()
        images.append(f"<img style='width:100%;page-break-after:always' src='data:image/png;base64,{encoded}'>")
    return "".join(images)


def _text(doc: Doc, path: Path) -> None:
    markdown = path.suffix.lower() == ".md"
    lines = [doc.header or ""]
    for block in doc.blocks:
        if block.kind == "row":
            lines.append(" | ".join(block.cells))
        elif block.kind in ("title", "h") and markdown:
            lines.append(("# " if block.kind == "title" else "## ") + block.text)
        else:
            lines.append(block.text)
    path.write_text("\n\n".join(line for line in lines if line) + "\n", encoding="utf-8")
