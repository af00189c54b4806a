"""Reading a CSV file the way Polish Excel saves it.

"CSV (rozdzielany przecinkami)" in a Polish Excel is neither comma-separated
nor UTF-8: the list separator of the Polish locale is ``;`` and the text is
Windows-1250 ("ą" is byte 0xB9).  "CSV UTF-8" adds a byte-order mark;
"Tekst Unicode" is tab-separated UTF-16.  LibreOffice asks, and people
answer differently.  So the encoding is detected (BOM, then strict UTF-8,
then charset-normalizer limited to the encodings a Polish office produces)
and the separator is sniffed from the header line.  When the file truly
cannot be read, the error names the line and says how to save it.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

#: Encodings Polish offices' tools write, in order of likelihood after UTF-8.
_LEGACY = ("cp1250", "iso8859_2")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
SAVE_HINT = 'save it from Excel as "CSV UTF-8 (rozdzielany przecinkami)" (Plik → Zapisz jako)'


class CsvFileError(ValueError):
    """The file cannot be read as CSV; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class CsvText:
    text: str
    encoding: str
    delimiter: str

    def rows(self) -> csv.DictReader:
        return csv.DictReader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was in."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise CsvFileError(f"not valid {encoding} despite its byte-order mark; {SAVE_HINT}",
                                   _line_of(raw, exc.start)) from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(_LEGACY)).best()
    encoding = best.encoding if best is not None else _LEGACY[0]
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError:
        raise CsvFileError(
            f"bytes that are neither UTF-8 nor Windows-1250 text (first at byte {first_bad}); {SAVE_HINT}",
            _line_of(raw, first_bad),
        ) from None


def sniff_delimiter(text: str) -> str:
    """``;``, ``,`` or tab, from the header line (Polish Excel writes ``;``)."""
    header = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(header, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: header.count(d) for d in ";,\t"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","  # one column: any separator reads it; its name is checked later


def read_csv(path: Path) -> CsvText:
    """The file's text, encoding and separator."""
    raw = path.read_bytes()
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvFileError(f"binary content (NUL bytes), not a CSV text; {SAVE_HINT}", _line_of(raw, raw.index(b"\x00")))
    text, encoding = decode(raw)
    return CsvText(text, encoding, sniff_delimiter(text))
