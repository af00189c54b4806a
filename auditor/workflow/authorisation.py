"""The scan authorisation record: who allowed the scan, by which document, in what scope and when.

Written in the inventory as ``extensions: {authorisation: {...}}``.  A scan
outside the window is refused (exit 2) unless the operator overrides it with
``--ignore-window``; the record is stored in the run
(``extras.authorisation``, an ``auditor.model.Authorisation``) and printed by every report.  Dates without a
time are whole days in the office's time zone (``settings.timezone``, Europe/Warsaw
by default): ``end: 2026-12-05`` allows scanning until midnight at the end of 5 December.

Intrusive tests need the document's explicit consent on top of the scan
itself: ``credential_tests: [ftp, ssh, ...]`` names the services on which
the short list of default credentials may be tried (``CREDENTIAL_SERVICES``).
Without the key not one login attempt is sent, and the report says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field, TypeAdapter, ValidationError, field_validator, model_validator

from auditor import model
from auditor.errors import InputError
from auditor.i18n import _
from auditor.settings import DEFAULT_TIMEZONE, local_time
from auditor.workflow.inputs import Person, StrictModel
from auditor.yamlfile import YamlDocument

INVENTORY_KEY = "authorisation"
_STORED = TypeAdapter(model.Authorisation)
LOCAL_TZ = ZoneInfo(DEFAULT_TIMEZONE)
#: The services on which an authorisation may allow trying default credentials (the ``credentials`` family).
CREDENTIAL_SERVICES = ("ssh", "ftp", "mysql", "postgresql", "http_basic")


class Window(StrictModel):
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date

    @field_validator("start", "end", mode="before")
    @classmethod
    def _plain_date(cls, value: Any) -> Any:
        # "2026-12-05" is a whole day, not midnight at its start
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value.strip()) == 10 else value

    @model_validator(mode="after")
    def _ordered(self) -> "Window":
        if window_bounds(self.start, self.end)[1] <= window_bounds(self.start, self.end)[0]:
            raise ValueError(_("the window ends before it starts"))
        return self


class Authorisation(StrictModel):
    by: Person
    document: str = Field(min_length=1, max_length=500)
    """E.g. ``zarządzenie nr 12/2026 Wójta Gminy … z dnia …`` or ``upoważnienie nr …``."""
    scope_note: str | None = Field(default=None, max_length=2000)
    window: Window
    auditor: Person | None = None
    """Who carries out the audit (printed on the formal report's title page)."""
    credential_tests: tuple[str, ...] = ()
    """The services on which the document allows login attempts with default credentials; empty: none."""

    @field_validator("credential_tests", mode="before")
    @classmethod
    def _services(cls, value: Any) -> Any:
        if not isinstance(value, list) or not value:
            raise ValueError("list the services the document allows default-credential tests on, e.g. [ftp, ssh] "
                             f"(known: {', '.join(CREDENTIAL_SERVICES)}); leave the key out to allow none")
        unknown = [str(v) for v in value if v not in CREDENTIAL_SERVICES]
        if unknown:
            raise ValueError(f"unknown service(s) {', '.join(unknown)}; known: {', '.join(CREDENTIAL_SERVICES)}")
        if len(set(value)) != len(value):
            raise ValueError("a service is listed twice")
        return tuple(value)


def _moment(value: dt.datetime | dt.date, *, end: bool, zone: ZoneInfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    day = value + dt.timedelta(days=1) if end else value
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


def window_bounds(start: dt.datetime | dt.date, end: dt.datetime | dt.date,
                  zone: ZoneInfo = LOCAL_TZ) -> tuple[dt.datetime, dt.datetime]:
    """The window as two aware moments in the office's ``zone``; a date end means the end of that day."""
    return _moment(start, end=False, zone=zone), _moment(end, end=True, zone=zone)


def parse_authorisation(document: YamlDocument, zone: ZoneInfo = LOCAL_TZ) -> model.Authorisation | None:
    """The inventory's validated record (``None`` when absent); errors carry file:line."""
    extensions = document.data.get("extensions") or {} if isinstance(document.data, dict) else {}
    raw = extensions.get(INVENTORY_KEY) if isinstance(extensions, dict) else None
    if raw is None:
        return None
    try:
        parsed = Authorisation.model_validate(raw)
    except ValidationError as exc:
        raise document.error_from_validation(exc, prefix=("extensions", INVENTORY_KEY)) from None
    record = parsed.model_dump(mode="json", exclude_none=True)
    start, end = window_bounds(parsed.window.start, parsed.window.end, zone)
    record["window_bounds"] = {"start": start.isoformat(), "end": end.isoformat()}
    return _STORED.validate_python(record)


def within_window(record: model.Authorisation, now: dt.datetime) -> bool:
    bounds = record.window_bounds
    return dt.datetime.fromisoformat(bounds.start) <= now < dt.datetime.fromisoformat(bounds.end)


def credential_tests_allowed(record: model.Authorisation | None, service: str, now: dt.datetime) -> bool:
    """Whether a login attempt on ``service`` is allowed at ``now``: named in the document and inside its window.

    Stricter than the scan itself: ``--ignore-window`` overrides the window for
    passive probes, never for login attempts.
    """
    return record is not None and service in record.credential_tests and within_window(record, now)


def require_window(record: model.Authorisation | None, now: dt.datetime, *, ignore: bool,
                   zone: ZoneInfo = LOCAL_TZ) -> None:
    """Raises ``InputError`` (exit 2) when ``now`` is outside the authorised window and not overridden."""
    if record is None or ignore or within_window(record, now):
        return
    window = record.window
    raise InputError(_(
        "the scan is authorised from {start} to {end} ({document}, {by}); now is {now}. Scan inside the window, "
        "update extensions.authorisation, or pass --ignore-window (the override is recorded in the run)").format(
        start=window.start, end=window.end, document=record.document, by=record.by.name,
        now=local_time(now, zone)))
