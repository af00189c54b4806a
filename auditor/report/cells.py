"""Spreadsheet cells that stay data, written the way Polish Excel opens a CSV.

Target text (banners, titles, file names) ends up in CSV cells.  A
spreadsheet runs a cell as a formula when it starts with ``=``, ``+``, ``-``,
``@``, tab or CR (OWASP "CSV Injection").  Polish Excel splits a CSV on
``;`` (the list separator of the pl-PL locale), so a cell such as
``x;=cmd|' /C calc'!A0`` written with ``,`` becomes two cells, the second a
live formula.  Hence two defences, both here:

* every CSV is written as **``;``-separated, every cell quoted, UTF-8 with a
  BOM, CRLF line ends** — double-clicked in Polish Excel it opens in
  columns, with Polish letters intact, and a quoted cell is never split;
* each cell is neutralised for *any* separator: a leading formula
  character gets a ``'`` in front, and so does a formula character right
  after any of ``,`` ``;`` tab ``|`` or a line break inside the cell, in
  case the file is opened with another separator (quotes then no longer
  hold, and every line of a multi-line cell starts a row) or pasted as text.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from auditor.terminal import strip_control

if TYPE_CHECKING:
    from _csv import Writer

_FORMULA = "=+-@\t\r"
#: A formula character at the start, or after a separator another program might split on.
_LIVE = re.compile(r"(^|[,;\t|\n\r])([ ]*)([=+\-@])")


class PolishExcel(csv.Dialect):
    """``;`` separator, every cell quoted, CRLF: what Excel with a Polish locale reads as columns."""

    delimiter = ";"
    quotechar = '"'
    doublequote = True
    quoting = csv.QUOTE_ALL
    lineterminator = "\r\n"
    skipinitialspace = False


def spreadsheet_cell(value: str) -> str:
    """No formula a spreadsheet would run, whatever the separator; no terminal escape (``cat audit.csv``)."""
    value = strip_control(value)
    if value.startswith(("\t", "\r")):
        value = "'" + value
    return _LIVE.sub(lambda m: f"{m.group(1)}{m.group(2)}'{m.group(3)}", value)


def spreadsheet_writer(out: io.StringIO) -> "Writer":
    """A CSV writer in the ``PolishExcel`` dialect, after the UTF-8 BOM Excel needs to read Polish letters."""
    out.write("\ufeff")
    return csv.writer(out, dialect=PolishExcel)


def read_spreadsheet(text: str) -> list[list[str]]:
    """Rows of a CSV written by ``spreadsheet_writer`` (for tests and re-imports)."""
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), dialect=PolishExcel))
