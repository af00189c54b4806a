"""Accepted risks: failing findings the office formally accepted, each until an expiry date.

A file referenced from the inventory as ``extensions: {accepted_risks:
accepted-risks.yaml}`` lists acceptances: a check id, a target glob
(matched against the target id and its name), an optional subject glob,
the reason, the approver (role and name), the date and the expiry.  The
file is validated on load (file:line errors; an unknown check id is an
error) and its entries are stored in the run (``extras.accepted_risks``).

``mark_accepted`` is a pure step applied after judging: it never changes a
finding.  It records, per ``Finding.key`` of a failing finding, which
acceptance covers it and whether that acceptance is ``active`` or
``expired`` on the day the evidence was collected (``meta.started``, never
the wall clock), in ``extras.accepted``.  An acceptance is active up to
and including its expiry day; from the next day the finding counts as
failing again and reports say "acceptance expired on …".  Everything that
excludes accepted findings reads ``RunInputs.active_keys`` (through the
analysis), so the rule is applied in one place.
"""

from __future__ import annotations

import datetime as dt
import difflib
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Iterable

from pydantic import Field, TypeAdapter, model_validator

from auditor import model
from auditor.model import Acceptance, AcceptanceState, Finding, ScanRun
from auditor.workflow.inputs import Person, StrictModel
from auditor.yamlfile import load_yaml_with_lines, validate_mapping

INVENTORY_KEY = "accepted_risks"
_STORED = TypeAdapter(model.AcceptedRisk)


class AcceptedRisk(StrictModel):
    check: str = Field(min_length=3)
    target: str = Field(default="*", min_length=1)
    """Glob on the target id (``host:bip.gmina.pl``) or name (``bip.gmina.pl``)."""
    subject: str = Field(default="*", min_length=1)
    """Glob on the finding's subject (a port, a certificate, a document)."""
    reason: str = Field(min_length=1, max_length=2000)
    approver: Person
    """Role, e.g. ``kierownik jednostki`` (the head of the office accepts risk under KRI and KSC), and name."""
    date: dt.date
    expires: dt.date
    reference: str | None = Field(default=None, max_length=500)
    """Document number of the decision (e.g. ``zarządzenie nr 12/2026``)."""

    @model_validator(mode="after")
    def _expires_after_date(self) -> "AcceptedRisk":
        if self.expires < self.date:
            raise ValueError(f"expires ({self.expires}) is before the acceptance date ({self.date})")
        return self


class AcceptedRisksFile(StrictModel):
    accepted_risks: list[AcceptedRisk] = Field(default_factory=list)


def load_accepted_risks(path: Path, known_checks: Iterable[str]) -> tuple[model.AcceptedRisk, ...]:
    """Validated acceptances; an unknown check id is an error with file and line."""
    document = load_yaml_with_lines(path)
    parsed = validate_mapping(document, AcceptedRisksFile, "expected a mapping with 'accepted_risks:'")
    known = set(known_checks)
    for index, risk in enumerate(parsed.accepted_risks):
        if risk.check not in known:
            close = difflib.get_close_matches(risk.check, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise document.error(("accepted_risks", index, "check"),
                                 f"unknown check id {risk.check!r}{hint}; `auditor checks` lists the known ones")
    return tuple(_STORED.validate_python(risk.model_dump()) for risk in parsed.accepted_risks)


def acceptance_state(risk: model.AcceptedRisk, on: dt.date) -> AcceptanceState:
    """``active`` up to and including the expiry day, ``expired`` from the day after."""
    return AcceptanceState.ACTIVE if on <= risk.expires else AcceptanceState.EXPIRED


def _matches(risk: model.AcceptedRisk, finding: Finding, target_name: str) -> bool:
    return (risk.check == finding.check_id
            and (fnmatchcase(finding.target_id, risk.target) or fnmatchcase(target_name, risk.target))
            and fnmatchcase(finding.subject, risk.subject or "*"))


def mark_accepted(run: ScanRun) -> ScanRun:
    """The run with ``extras.accepted``: key → the acceptance covering that failing finding.

    When several acceptances match, an active one wins over an expired one,
    and the latest expiry wins among equals.  Idempotent.
    """
    risks = run.extras.accepted_risks
    if not risks and not run.extras.accepted:
        return run
    on = run.meta.started.date()
    names = {t.id: t.name for t in run.targets}
    accepted: dict[str, Acceptance] = {}
    for finding in run.findings:
        if not finding.failing:
            continue
        matching = [(index, risk) for index, risk in enumerate(risks)
                    if _matches(risk, finding, names.get(finding.target_id, finding.target_id))]
        if not matching:
            continue
        index, risk = max(matching, key=lambda item: (acceptance_state(item[1], on) is AcceptanceState.ACTIVE,
                                                      item[1].expires))
        accepted[finding.key] = Acceptance(**{f: getattr(risk, f) for f in _RISK_FIELDS},
                                           index=index, state=acceptance_state(risk, on))
    return run.with_inputs(accepted=accepted)


_RISK_FIELDS = tuple(model.AcceptedRisk.__dataclass_fields__)
