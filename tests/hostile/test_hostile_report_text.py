"""Target text stays text in CSV and SARIF (issue 26, items 6 and 7).

A real web server's ``Server`` header and page title carry a ``;``-separated
formula (what Polish Excel splits into a live cell) and a Markdown-style
link (what a SARIF viewer renders as a link).  The scan goes through the
CLI, the reports through ``auditor report``; the CSV is then read with every
separator a spreadsheet might pick, and no cell may start a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from auditor.report.cells import spreadsheet_cell
from auditor.report.sariftext import sarif_text
from hostile_cli import auditor, scan, write_inventory
from scope_lab import IN_SCOPE, SCOPE, PointingServer

FORMULA = "x;=cmd|' /C calc'!A0"
LINK = "[pobierz poprawkę](http://127.123.31.5/fix.exe)"
PAYLOADS = [FORMULA, "a,@SUM(1+1)*cmd|' /C calc'!A0", "b\t+1+1", "c|-2+3", LINK]


def _live_cells(text: str) -> list[str]:
    live = []
    for separator in (";", ",", "\t", "|"):
        for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=separator):
            live += [cell for cell in row if cell.strip()[:1] in ("=", "+", "-", "@")]
    return live


def test_csv_and_sarif_keep_target_text_as_text(tmp_path: Path, record_case) -> None:
    page = f"<html><head><title>{' '.join(PAYLOADS)}</title></head><body>BIP</body></html>".encode()
    server = PointingServer(lambda path: (200, {"Server": FORMULA + " [pobierz](http://127.123.31.5/fix.exe)", "Content-Type": "text/html"}, page)
                            if path == "/" else (404, {}, b""))
    try:
        inventory = write_inventory(tmp_path / "inventory.yaml", [SCOPE], hosts=[{
            "name": "bip.gmina.test", "addresses": [IN_SCOPE], "roles": ["www"],
            "ports": [{"port": server.port, "service": "http"}]}])
        result = scan(inventory, "web")
        run_json = tmp_path / "inventory.run.json"
        assert FORMULA in run_json.read_text(encoding="utf-8")  # the payload really reached the evidence
        for fmt in ("csv", "sarif"):
            done = auditor("report", str(run_json), "--format", fmt, "-o", str(tmp_path / f"audit.{fmt}"), cwd=tmp_path)
            assert done.returncode == 0, done.stderr
        csv_text = (tmp_path / "audit.csv").read_text(encoding="utf-8")
        sarif = json.loads((tmp_path / "audit.sarif").read_text(encoding="utf-8"))
        texts = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
        with record_case("CSV formula / SARIF link from target text") as outcome:
            live = _live_cells(csv_text)
            unescaped = [t for t in texts if re.search(r"(?<!\\)\[", t)]
            outcome.append(f"{len(live)} live formula cells over 4 separators; {len(unescaped)} SARIF messages "
                           "with an unescaped '['")
        assert "cmd|" in csv_text and result.run is not None
        assert csv_text.startswith('\ufeff"Target";"Check id";')  # headers in the report language (en here)
        assert live == []
        assert any("\\[pobierz\\](http" in t for t in texts) and unescaped == []
    finally:
        server.close()


def test_cell_and_sarif_escaping_rules() -> None:
    assert spreadsheet_cell("=1+1") == "'=1+1"
    assert spreadsheet_cell(FORMULA) == "x;'=cmd|' /C calc'!A0"
    assert spreadsheet_cell("a, -b; @c") == "a, '-b; '@c"
    assert spreadsheet_cell("\tx") == "'\tx" or spreadsheet_cell("\tx") == "'x"
    assert spreadsheet_cell("TLS 1.2 i 1.3") == "TLS 1.2 i 1.3"  # plain text untouched
    assert sarif_text(LINK) == "\\[pobierz poprawkę\\](http://127.123.31.5/fix.exe)"
    assert sarif_text("C:\\[x]") == "C:\\\\\\[x\\]"
