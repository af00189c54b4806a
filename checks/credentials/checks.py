"""Judging the login attempts: a default credential accepted is critical; not trying is said, never passed.

A service the authorisation did not name, or one the window closed on,
is ``not_applicable`` with its reason (the report's summary says the tests
did not run); a service left alone after a lockout answer or errors is
``manual``.  Only a service that rejected every pair passes.
"""

from __future__ import annotations

from typing import Any, Iterable

from auditor.checks.credentials.family import FAMILY
from auditor.model import Evidence, Target
from auditor.plugin import JudgeContext, Verdict, failed, manual, not_applicable, passed

#: How the services are named in the texts (the data's keys are identifiers).
LABELS = {"ssh": "SSH", "ftp": "FTP", "mysql": "MySQL/MariaDB", "postgresql": "PostgreSQL",
          "http_basic": "HTTP (basic auth)"}


def _where(entry: dict[str, Any]) -> str:
    if entry.get("origin"):
        return entry["origin"] + (entry.get("path") or "")
    return f"{LABELS[entry['service']]} :{entry['port']}"


def _verdict(entry: dict[str, Any]) -> Verdict:
    facts = {"where": _where(entry), "service": LABELS[entry["service"]], "port": entry["port"],
             "attempts": entry["attempts"], "listed": entry["listed"], "detail": entry.get("detail") or "—"}
    subject = _where(entry)
    state = entry["state"]
    if state == "accepted":
        return failed(subject=subject, user=entry["user"], **facts)
    if state in ("rejected", "no_password_auth"):
        return passed(subject=subject, message=None if state == "rejected" else state, **facts)
    if state in ("not_authorised", "no_panel") or (state == "window_closed" and not entry["attempts"]):
        return not_applicable(subject=subject, message=state, paths=entry.get("paths", "—"), **facts)
    return manual(subject=subject, message="incomplete_window" if state == "window_closed" else state, **facts)


def _judge(evidence: Evidence, panels: bool) -> Iterable[Verdict]:
    entries = [e for e in evidence["services"] if (e["service"] == "http_basic") == panels]
    if not entries:
        yield not_applicable(message="no_services")
    for entry in entries:
        yield _verdict(entry)


@FAMILY.check("credentials.service.default")
def service_default(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    return _judge(evidence, panels=False)


@FAMILY.check("credentials.panel.default")
def panel_default(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    return _judge(evidence, panels=True)
