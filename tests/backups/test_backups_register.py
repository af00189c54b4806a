"""The backup register (YAML and CSV) read by the probe and judged per system."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from backup_helpers import findings, judged_at, only
from auditor.checks.backups.register import read_register
from auditor.inventory import load_inventory
from auditor.model import ErrorReason, Status
from auditor.plugin import ProbeInputError
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
from auditor.yamlfile import YamlFileError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SYSTEMS = [{"name": "poczta", "retention_days": 60}, {"name": "dokumenty", "rpo_hours": 168}, {"name": "bip"}]


def _register_source(path: Path) -> dict:
    return {"type": "backup_register", "name": "rejestr", "file": str(path)}


@pytest.mark.parametrize("example", ["backup-register.yaml", "backup-register.csv"])
def test_examples_read_the_same(example: str):
    evidence = read_register(str(EXAMPLES / example))
    poczta = next(e for e in evidence["entries"] if e["system"] == "poczta")
    assert evidence["systems_declared"] == ["dokumenty", "poczta"]
    assert [c["medium"] for c in poczta["copies"]] == ["nas", "tape"]
    assert poczta["last_success"] == "2026-11-26T21:41:00+00:00"
    assert poczta["restore_test"]["result"] == "passed"


@pytest.mark.parametrize("example", ["backup-register.yaml", "backup-register.csv"])
def test_good_and_bad_entries_judged(example: str, scan_backups, tmp_path: Path):
    register = tmp_path / example
    shutil.copy(EXAMPLES / example, register)
    scanned = scan_backups(SYSTEMS, [_register_source(register)])
    # judged at controlled times: the example's last backups are 26 and 22 November 2026
    assert only(judged_at(scanned, "2026-12-01T12:00:00+00:00"), "backup.stale", "system:poczta").status is Status.FAIL
    run = judged_at(scanned, "2026-11-27T12:00:00+00:00")
    assert only(run, "backup.stale", "system:poczta").status is Status.PASS
    assert only(run, "backup.stale", "system:dokumenty").status is Status.PASS  # RPO 168 h
    assert only(run, "backup.restore_untested", "system:poczta").status is Status.PASS
    assert only(run, "backup.missing", "system:bip").status is Status.FAIL
    assert only(run, "backup.missing", "system:poczta").status is Status.PASS
    # poczta: copy off-site, offline tape and immutable NAS → separated; dokumenty: one USB disk at the office site
    assert only(run, "backup.not_separated", "system:poczta").status is Status.PASS
    assert only(run, "backup.retention", "system:poczta").status is Status.PASS  # declares 90 ≥ 60 days
    unencrypted = {f.subject: f.status for f in findings(run, "backup.unencrypted", "backup_register:rejestr")}
    assert unencrypted["dokumenty: dysk USB rotowany"] is Status.FAIL
    assert unencrypted["poczta: taśma LTO-8 w sejfie starostwa"] is Status.PASS
    assert only(run, "backup.restore_untested", "system:dokumenty").status is Status.FAIL
    assert only(run, "backup.integrity", "backup_register:rejestr").status is Status.MANUAL


def test_failed_restore_test_in_register(scan_backups, tmp_path: Path):
    register = tmp_path / "rejestr.yaml"
    register.write_text(yaml.safe_dump({"backups": [{
        "system": "bip", "last_success": "2026-11-20", "copies": [{"location": "NAS", "medium": "nas"}],
        "restore_test": {"date": "2026-10-01", "result": "failed", "by": "A. Nowak", "notes": "brak plików bazy"},
    }]}), encoding="utf-8")
    run = scan_backups(SYSTEMS, [_register_source(register)])
    finding = only(run, "backup.restore_failed", "backup_register:rejestr")
    assert finding.status is Status.FAIL and "brak plików bazy" in finding.message["pl"]


@pytest.mark.parametrize("name, text, where", [
    ("zly.yaml", "backups:\n  - system: poczta\n    copies: []\n", ":3"),
    ("zly.yaml", "backups:\n  - system: poczta\n    last_success: wczoraj\n    copies: [{location: NAS}]\n", ":3"),
    ("zly.csv", "system,copy_location,restore_test_date,restore_test_result\npoczta,NAS,2026-01-01,ok\n", ":2"),
    ("zly.csv", "system,copy_location,kolor\npoczta,NAS,zielony\n", "kolor"),
])
def test_malformed_entries_name_the_line(name: str, text: str, where: str, tmp_path: Path, write_inventory):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProbeInputError, match=where):
        read_register(str(path))
    inventory = write_inventory(systems=SYSTEMS, sources=[_register_source(path)], settings={"timeout": 60})
    with pytest.raises(YamlFileError, match=re.escape(name) + where if where.startswith(":") else where):
        load_inventory(inventory)  # refused before the scan: exit 2 from the CLI
    # broken after the inventory was loaded: the probe says bad input, never a confident "no backup"
    path.write_text("backups: []\n", encoding="utf-8")
    loaded = load_inventory(inventory)
    path.write_text(text, encoding="utf-8")
    run = run_scan(loaded, default_registry(), ScanOptions(families={"backups"}))
    attempt = next(a for a in run.attempts if a.probe == "backups")
    assert attempt.error_reason is ErrorReason.BAD_INPUT
    # an unreadable register may hold any system: never a confident "no backup"
    assert only(run, "backup.missing", "system:poczta").status is Status.MANUAL


# ------------------------------------------------------------------ registers as Polish Excel saves them (issue 19)

_EXCEL_ROWS = [
    ["system", "scope", "tool", "last_success", "copy_location", "copy_site", "copy_medium", "copy_offsite",
     "copy_encrypted", "restore_test_date", "restore_test_result", "restore_test_by"],
    ["poczta", "skrzynki urzędników", "Veeam", "26.11.2026 22:41", "taśma LTO w sejfie starostwa", "starostwo",
     "tape", "PRAWDA", "FAŁSZ", "14.05.2026", "passed", "Łukasz Ślęzak"],
    ["dokumenty", "udział „Wydział Spraw Obywatelskich”; akta", "Hyper Backup", "2026-11-22", "dysk USB rotowany",
     "urząd", "usb", "tak", "nie", "", "", ""],
]


def _excel_bytes(delimiter: str, encoding: str) -> bytes:
    """Rows written by the csv module with Excel's dialect (CRLF, quoting) in the given separator and encoding."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(_EXCEL_ROWS)
    text = buffer.getvalue()
    if encoding == "iso8859_2":  # no typographic quotes in ISO-8859-2: LibreOffice writes plain ones
        text = text.replace("„", "'").replace("”", "'")
    return text.encode(encoding)


@pytest.mark.parametrize("label, delimiter, encoding", [
    ("Excel PL: CSV (rozdzielany przecinkami) = ';' + Windows-1250", ";", "cp1250"),
    ("Excel: CSV UTF-8 (rozdzielany przecinkami) = BOM + ';'", ";", "utf-8-sig"),
    ("Excel EN / LibreOffice default: ',' + UTF-8", ",", "utf-8"),
    ("Excel: Tekst Unicode = tab + UTF-16 LE with BOM", "\t", "utf-16"),
    ("LibreOffice: ';' + ISO-8859-2", ";", "iso8859_2"),
])
def test_register_saved_by_excel_is_read(label: str, delimiter: str, encoding: str, tmp_path: Path):
    path = tmp_path / "rejestr.csv"
    path.write_bytes(_excel_bytes(delimiter, encoding))
    crlf = "\r\n".encode("utf-16-le" if encoding == "utf-16" else encoding.removesuffix("-sig"))
    assert crlf in path.read_bytes()  # CRLF line ends, as Excel writes them
    entries = {e["system"]: e for e in read_register(str(path))["entries"]}
    poczta, dokumenty = entries["poczta"], entries["dokumenty"]
    assert poczta["scope"] == "skrzynki urzędników" and poczta["restore_test"]["by"] == "Łukasz Ślęzak"
    assert poczta["last_success"] == "2026-11-26T22:41:00+00:00"
    assert poczta["copies"][0]["offsite"] is True and poczta["copies"][0]["encrypted"] is False
    assert poczta["restore_test"]["date"] == "2026-05-14"
    assert dokumenty["scope"].replace("'", "„", 1).replace("'", "”") == "udział „Wydział Spraw Obywatelskich”; akta"
    assert dokumenty["copies"][0]["offsite"] is True and dokumenty["copies"][0]["encrypted"] is False


def test_0xb9_is_polish_not_a_crash(tmp_path: Path):
    """The 0.1 error: "'utf-8' codec can't decode byte 0xb9" for "ą" saved by a Polish Excel."""
    path = tmp_path / "rejestr.csv"
    path.write_bytes("system;copy_location\r\npoczta;serwerownia piętro II, szafa zamykana na klucz\r\n"
                     "księgowość;dysk zewnętrzny w kasie pancernej (ą)\r\n".encode("cp1250"))
    assert b"\xb9" in path.read_bytes()
    locations = [e["copies"][0]["location"] for e in read_register(str(path))["entries"]]
    assert locations[1] == "dysk zewnętrzny w kasie pancernej (ą)"


def test_an_unreadable_register_names_the_line_and_what_to_do(tmp_path: Path):
    path = tmp_path / "rejestr.csv"
    path.write_bytes(b"system;copy_location\r\npoczta;NAS\r\nbip;\x00\x00\x00PK\x03\x04\r\n")
    with pytest.raises(ProbeInputError, match=r"rejestr\.csv:3: .*CSV UTF-8") as caught:
        read_register(str(path))
    assert "\x00" not in str(caught.value) and "PK" not in str(caught.value)
    fifo = tmp_path / "rejestr-fifo.csv"
    import os

    os.mkfifo(fifo)
    with pytest.raises(ProbeInputError, match="not a regular file"):
        read_register(str(fifo))
