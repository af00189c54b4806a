"""The backup register: what an office backs up with anything but restic or borg.

Veeam jobs, NAS snapshots, tapes in a safe, a cloud copy — declared in a
YAML or CSV file (format in docs/backups.md).  Each entry is one backup job
of one system with its copies and its last restore test.  A malformed entry
is bad input with the file and line; a well-formed entry with bad content
(stale, unencrypted tape, failed restore) is what the checks judge.
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor.checks.backups.csvfile import SAVE_HINT, CsvFileError, read_csv
from auditor.model import Evidence
from auditor.plugin import ProbeInputError
from auditor.yamlfile import MAX_INPUT_BYTES, YamlFileError, load_yaml_with_lines

#: Media that travel or sit with a third party: their content leaves the building.
MOBILE_MEDIA = ("usb", "tape", "optical", "cloud")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegisterCopy(_Strict):
    location: str = Field(min_length=1)
    site: str | None = None
    medium: Literal["disk", "nas", "usb", "tape", "optical", "cloud", "other"] = "other"
    offsite: bool | None = None
    offline: bool = False
    immutable: bool = False
    encrypted: bool | None = None
    same_host_as_source: bool = False


class RegisterRestoreTest(_Strict):
    date: date
    result: Literal["passed", "failed", "partial"]
    by: str | None = None
    notes: str | None = None


class RegisterEntry(_Strict):
    system: str = Field(min_length=1)
    scope: str | None = None
    tool: str | None = None
    schedule: str | None = None
    last_success: datetime | date | None = None
    retention_days: int | None = Field(default=None, gt=0)
    snapshots_kept: int | None = Field(default=None, ge=0)
    copies: list[RegisterCopy] = Field(min_length=1)
    restore_test: RegisterRestoreTest | None = None

    @field_validator("last_success")
    @classmethod
    def _aware(cls, value: datetime | date | None) -> datetime | None:
        """A bare date means the end of that day; a naive time is taken as UTC."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            value = datetime.combine(value, time(23, 59, 59))
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class _Register(_Strict):
    backups: list[RegisterEntry] = Field(default_factory=list)


def _entry_facts(entry: RegisterEntry, line: int | None) -> dict[str, Any]:
    facts = entry.model_dump(mode="json")
    facts["line"] = line
    if entry.last_success is not None:
        facts["last_success"] = entry.last_success.astimezone(timezone.utc).isoformat()
    for copy in facts["copies"]:
        if copy["offsite"] is None and copy["medium"] == "cloud":
            copy["offsite"] = True
    return facts


def _from_yaml(path: Path) -> list[dict[str, Any]]:
    try:
        document = load_yaml_with_lines(path)
        register = _Register.model_validate(document.data or {})
    except YamlFileError as exc:
        raise ProbeInputError(str(exc)) from None
    except ValidationError as exc:
        raise ProbeInputError(str(document.error_from_validation(exc))) from None
    return [_entry_facts(entry, document.line_of(("backups", i))) for i, entry in enumerate(register.backups)]


_CSV_ENTRY = ("system", "scope", "tool", "schedule", "last_success", "retention_days", "snapshots_kept")
_CSV_TEST = {"restore_test_date": "date", "restore_test_result": "result", "restore_test_by": "by",
             "restore_test_notes": "notes"}


_COLUMN_NAME = re.compile(r"^[^\W\d][\w ]{0,39}$")


def _shown_columns(names: set[str]) -> str:
    """Unknown column names, but only ones that look like column names.

    A register path pointing at the wrong file (``/etc/shadow``) would
    otherwise echo that file's first line into the terminal and the run.
    """
    shown = sorted(n for n in names if _COLUMN_NAME.match(n))
    hidden = len(names) - len(shown)
    return ", ".join(shown + ([f"{hidden} not shown (not a column name: is this the right file?)"] if hidden else []))


_BOOLEAN_COLUMNS = {f"copy_{name}" for name in ("offsite", "offline", "immutable", "encrypted", "same_host_as_source")}
#: Polish Excel writes booleans as PRAWDA/FAŁSZ; people type tak/nie.
_BOOLEANS = {"tak": "true", "prawda": "true", "t": "true", "nie": "false", "fałsz": "false", "falsz": "false",
             "n": "false"}
_DATE_COLUMNS = ("last_success", "restore_test_date")
#: 27.11.2026 or 27.11.2026 22:41 — how a Polish Excel shows (and saves) a date cell.
_POLISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}:\d{2}(?::\d{2})?))?$")


def _cell(column: str, value: str) -> str:
    """A cell as typed in a Polish spreadsheet, in the register's (ISO, true/false) form."""
    if column in _BOOLEAN_COLUMNS:
        return _BOOLEANS.get(value.lower(), value)
    if column in _DATE_COLUMNS:
        match = _POLISH_DATE.match(value)
        if match:
            day, month, year, clock = match.groups()
            iso = f"{year}-{int(month):02d}-{int(day):02d}"
            return f"{iso}T{clock if clock.count(':') == 2 else clock + ':00'}" if clock else iso
    return value


def _csv_row(row: dict[str, str]) -> dict[str, Any]:
    """One CSV row (one copy of one job) in the YAML entry shape; empty cells are absent."""
    cells = {k.strip().lower(): _cell(k.strip().lower(), (v or "").strip()) for k, v in row.items() if k}
    unknown = set(cells) - set(_CSV_ENTRY) - set(_CSV_TEST) - {f"copy_{f}" for f in RegisterCopy.model_fields}
    if unknown:
        raise ValueError(f"unknown column(s): {_shown_columns(unknown)} (columns: docs/backups.md)")
    entry: dict[str, Any] = {k: cells[k] for k in _CSV_ENTRY if cells.get(k)}
    entry["copies"] = [{k[5:]: v for k, v in cells.items() if k.startswith("copy_") and v}]
    test = {field: cells[column] for column, field in _CSV_TEST.items() if cells.get(column)}
    if test:
        entry["restore_test"] = test
    return entry


def _from_csv(path: Path) -> list[dict[str, Any]]:
    """Rows of the same system, tool and scope are one job with several copies."""
    merged: dict[tuple[str, str, str], tuple[int, dict[str, Any]]] = {}
    line = 1
    try:
        text = read_csv(path)
        reader = text.rows()
        for row in reader:
            line = reader.line_num
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue  # an empty row Excel leaves at the end
            raw = _csv_row(row)
            key = (raw.get("system", ""), raw.get("tool", ""), raw.get("scope", ""))
            if key in merged:
                merged[key][1]["copies"].extend(raw["copies"])
                merged[key][1].update({k: v for k, v in raw.items() if k != "copies"})
            else:
                merged[key] = (line, raw)
    except CsvFileError as exc:
        raise ProbeInputError(f"{path}:{exc.line or 1}: cannot read the register: {exc}") from None
    except OSError as exc:
        raise ProbeInputError(f"{path}: cannot read the register: {exc.strerror}") from None
    except csv.Error as exc:
        raise ProbeInputError(f"{path}:{line}: cannot read the register: {exc}; {SAVE_HINT}") from None
    except ValueError as exc:
        raise ProbeInputError(f"{path}:{line}: {exc}") from None
    entries = []
    for line, raw in merged.values():
        try:
            entries.append(_entry_facts(RegisterEntry.model_validate(raw), line))
        except ValidationError as exc:
            problem = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            raise ProbeInputError(f"{path}:{line}: {problem}") from None
    return entries


def read_register(path: str) -> Evidence:
    """The register's entries as evidence (``.csv`` by extension, YAML otherwise)."""
    file = Path(path)
    if not file.exists():
        raise ProbeInputError(f"backup register {file} does not exist")
    if not file.is_file():
        raise ProbeInputError(f"backup register {file} is not a regular file (a FIFO or a device is never read)")
    if file.stat().st_size > MAX_INPUT_BYTES:
        raise ProbeInputError(f"{file}: file is {file.stat().st_size} bytes; the limit is {MAX_INPUT_BYTES}")
    entries = _from_csv(file) if file.suffix.lower() == ".csv" else _from_yaml(file)
    return {
        "source_type": "backup_register",
        "file": str(file),
        "systems_declared": sorted({e["system"] for e in entries}),
        "entries": entries,
    }
