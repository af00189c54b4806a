"""The vocabulary of the scanner (see DESIGN.md, "Core vocabulary").

Everything here is a frozen, plain value: a probe's raw facts (``Evidence``,
kept as JSON-ready dicts), what happened when a probe ran (``ProbeAttempt``),
the verdicts (``Finding``), the scores per baseline and requirement
(``BaselineScore``), the run's inputs (``RunInputs``: settings, attestations,
accepted risks, authorisation and the acceptances applied) and the whole run
(``ScanRun``).  The wire format is produced by pydantic from these
dataclasses, so a stored run reads back into exactly the objects that were
written.  Every consumer reads these types by attribute, never a free dict
by string key.

Unknown keys: a key this version does not know is an error everywhere except
at the top of ``extras`` — there it is kept verbatim in ``RunInputs.other``
and written back in place, so a run written by a later 1.x (or by a plugin)
survives a load and save by this one; nothing is ever silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any, Literal, Mapping, TypeVar

from pydantic import ConfigDict, TypeAdapter, with_config

#: Version of the ScanRun JSON layout.  Bump the major part on any change an
#: older reader would misread; loading a newer major version is refused.
#: 1.1: typed scores and run inputs (same keys as 1.0, absent optional keys written as null).
#: 1.2: ``extras.authorisation.credential_tests`` (the services default credentials may be tried on).
SCHEMA_VERSION = "1.2"

_T = TypeVar("_T")


def _wire(cls: type[_T]) -> type[_T]:
    """A frozen wire type: an unknown key in stored data is a validation error, never dropped."""
    return with_config(ConfigDict(extra="forbid"))(cls)

#: Evidence is the JSON-serialisable fact dictionary a probe returns.
Evidence = dict[str, Any]

#: A text in the report languages, e.g. ``{"pl": "...", "en": "..."}``.
Text = dict[str, str]

LANGUAGES = ("pl", "en")


class Status(StrEnum):
    """Outcome of one check on one target (or one subject of a target)."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"
    MANUAL = "manual"


class Severity(StrEnum):
    """How much a failing finding matters; ordered by ``rank``."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical=4 … info=0."""
        return _SEVERITY_RANK[self]

    def at_least(self, other: "Severity") -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class TlsMode(StrEnum):
    """How a port speaks TLS: not at all, from the first byte, or via STARTTLS."""

    NONE = "none"
    IMPLICIT = "implicit"
    STARTTLS = "starttls"


@_wire
@dataclass(frozen=True)
class PortSpec:
    """A declared service port of a host."""

    port: int
    protocol: str = "tcp"
    service: str | None = None
    """Protocol spoken, e.g. ``https``, ``smtp``, ``imap``, ``ssh``; inferred from the port when omitted."""
    tls: TlsMode | None = None
    """``None`` means: infer from the service / well-known port."""


@_wire
@dataclass(frozen=True)
class Target:
    """Something a probe looks at: a host, a mail domain or an evidence source.

    ``kind`` is ``host``, ``domain`` or the type of an evidence source
    (``documents``, ``restic``, ``borg``, ``packages`` ...).  ``attrs``
    carries the non-secret settings of a source; secrets never live here
    because targets are stored in the ScanRun.
    """

    id: str
    kind: str
    name: str
    addresses: tuple[str, ...] = ()
    ports: tuple[PortSpec, ...] = ()
    roles: tuple[str, ...] = ()
    attrs: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_network(self) -> bool:
        return self.kind in ("host", "domain")


class AttemptStatus(StrEnum):
    COMPLETED = "completed"
    ERROR = "error"
    SKIPPED = "skipped"


class ErrorReason(StrEnum):
    """Why a probe produced no evidence: decides how the report words it."""

    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    OUT_OF_SCOPE = "out_of_scope"
    INTERRUPTED = "interrupted"
    BAD_INPUT = "bad_input"
    TOOL_MISSING = "tool_missing"
    PROBE_BUG = "probe_bug"
    CLUSTER_LOST = "cluster_lost"
    """The Dask scheduler (or, twice, the job's worker) was lost: the scan did not complete."""
    WINDOW_CLOSED = "window_closed"
    """The authorisation window ended before the job could start: it was never run."""


@_wire
@dataclass(frozen=True)
class ProbeAttempt:
    """What happened when one probe ran against one target.

    Failure is data: ``evidence`` is set only when ``status`` is
    ``completed``; otherwise ``error_reason`` and ``error`` say why, and the
    checks that read this probe turn into ``error`` findings — never a pass.
    """

    probe: str
    target_id: str
    status: AttemptStatus
    evidence: Evidence | None = None
    error_reason: ErrorReason | None = None
    error: str | None = None
    started: datetime | None = None
    duration_s: float = 0.0

    @property
    def completed(self) -> bool:
        return self.status is AttemptStatus.COMPLETED


@_wire
@dataclass(frozen=True)
class Finding:
    """The verdict of one check on one target.

    ``subject`` distinguishes several findings of the same check on the same
    target (a port, a certificate, a document).  ``facts`` is the part of the
    evidence that proves the verdict; ``message`` states it in one sentence
    per report language.
    """

    check_id: str
    target_id: str
    status: Status
    severity: Severity
    message: Text
    facts: dict[str, Any] = field(default_factory=dict)
    subject: str = ""

    @property
    def key(self) -> str:
        """Identity across snapshots: the same problem keeps the same key."""
        return f"{self.check_id}|{self.target_id}|{self.subject}"

    @property
    def failing(self) -> bool:
        return self.status in (Status.FAIL, Status.WARN)


@_wire
@dataclass(frozen=True)
class RunMeta:
    """Who ran what, when, with which versions of the tool and its data."""

    run_id: str
    tool_version: str
    started: datetime
    finished: datetime | None = None
    operator: str = ""
    hostname: str = ""
    inventory_path: str = ""
    inventory_sha256: str = ""
    interrupted: bool = False
    command: str = ""
    data_versions: dict[str, str] = field(default_factory=dict)
    """Knowledge data used (e.g. end-of-life table) and its date."""


class ReqStatus(StrEnum):
    """How far a requirement is met (the rules are in ``auditor.scoring``)."""

    MET = "met"
    PARTIAL = "partial"
    NOT_MET = "not_met"
    NOT_ASSESSED = "not_assessed"
    MANUAL = "manual"


@_wire
@dataclass(frozen=True)
class CheckOutcome:
    """One check a requirement lists: its weight and its outcome over all targets."""

    id: str
    weight: int
    outcome: str
    """``pass`` / ``warn`` / ``fail`` or ``no_evidence``."""


@_wire
@dataclass(frozen=True)
class ManualQuestion:
    """A question of a requirement that a person answers in attestations.yaml."""

    id: str
    question: Text
    period_months: int


@_wire
@dataclass(frozen=True)
class LegalBasis:
    """Where a requirement's legal statement was checked and how sure it is (``auditor.baseline.Basis``)."""

    confirmation: str
    """``confirmed``, ``secondary`` or ``unconfirmed``."""
    source: str
    note: Text | None = None


@_wire
@dataclass(frozen=True)
class BaselinePart:
    """A group of requirements as the act arranges them (e.g. annex 4 Part III)."""

    id: str
    ref: str
    title: Text
    basis: LegalBasis | None = None


@_wire
@dataclass(frozen=True)
class Selection:
    """Why a baseline scores this run: the declared entity class, or an explicit ``--baseline``."""

    by: str
    entity_class: str
    applies_to: tuple[str, ...]
    reason: Text


@_wire
@dataclass(frozen=True)
class RequirementScore:
    """One requirement of one baseline as scored on this run (texts copied, so rendering needs no baseline)."""

    status: ReqStatus
    ratio: float | None
    ref: str
    legacy_ref: str | None
    weight: int
    checks: tuple[CheckOutcome, ...]
    title: Text
    remediation: Text
    manual: tuple[ManualQuestion, ...] = ()
    manual_pending: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    """Keys of the findings that were evidence (not-applicable ones left out)."""
    accepted: tuple[str, ...] = ()
    """Keys of failing findings under a valid acceptance: no evidence, never met."""
    part: str | None = None
    basis: LegalBasis | None = None
    """``None`` in runs scored before confirmation states existed."""


@_wire
@dataclass(frozen=True)
class BaselineScore:
    """A baseline's result: score with coverage beside it, grade and the requirements."""

    baseline: str
    version: str
    title: Text
    source: str
    score: float | None
    coverage: float
    automated_coverage: float
    grade: str
    counts: Mapping[str, int]
    """Requirements per ``ReqStatus`` value."""
    requirements: Mapping[str, RequirementScore]
    note: Text | None = None
    worst_failing_severity: Severity | None = None
    parts: tuple[BaselinePart, ...] = ()
    selection: Selection | None = None


@_wire
@dataclass(frozen=True)
class Person:
    """Someone who signs: the head of the office approving a risk, the authority authorising a scan."""

    name: str
    role: str


@_wire
@dataclass(frozen=True)
class Attestation:
    """The office's answer to one manual question of a baseline."""

    id: str
    result: Literal["yes", "partial", "no"]
    answer: str
    by: str
    date: dt.date
    reference: str | None = None


@_wire
@dataclass(frozen=True, kw_only=True)
class AcceptedRisk:
    """A failing check the head of the office formally accepted on some targets until ``expires``."""

    check: str
    target: str = "*"
    subject: str = "*"
    reason: str
    approver: Person
    date: dt.date
    expires: dt.date
    reference: str | None = None


class AcceptanceState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"


@_wire
@dataclass(frozen=True, kw_only=True)
class Acceptance(AcceptedRisk):
    """The acceptance that covers one failing finding, and its state on the scan day."""

    index: int
    """Position of the acceptance in accepted-risks.yaml."""
    state: AcceptanceState

    @property
    def active(self) -> bool:
        return self.state is AcceptanceState.ACTIVE


@_wire
@dataclass(frozen=True)
class Window:
    """The authorised scan window as written (a date or a moment, ISO text)."""

    start: str
    end: str


@_wire
@dataclass(frozen=True)
class Authorisation:
    """Who allowed the scan, by which document, in what window (``auditor.workflow.authorisation``)."""

    by: Person
    document: str
    window: Window
    window_bounds: Window
    """The window as two aware moments (ISO), a date end meaning the end of that day."""
    scope_note: str | None = None
    auditor: Person | None = None
    credential_tests: tuple[str, ...] = ()
    """The services the document allows default-credential login attempts on (none when empty)."""


@_wire
@dataclass(frozen=True)
class RunInputs:
    """What the run was given besides the inventory's targets, and what was applied (``ScanRun.extras``)."""

    settings: Mapping[str, Any] = field(default_factory=dict)
    """The inventory's settings, secrets removed."""
    abandoned_jobs: int = 0
    lost_jobs: tuple[str, ...] = ()
    """``probe@target`` of each job a lost Dask cluster took with it (the run is incomplete)."""
    attestations: tuple[Attestation, ...] = ()
    attestations_path: str | None = None
    accepted_risks: tuple[AcceptedRisk, ...] = ()
    accepted_risks_path: str | None = None
    authorisation: Authorisation | None = None
    authorisation_window_ignored: bool = False
    accepted: Mapping[str, Acceptance] = field(default_factory=dict)
    """``Finding.key`` of a failing finding → the acceptance covering it (``workflow.accepted.mark_accepted``)."""
    other: Mapping[str, Any] = field(default_factory=dict)
    """Keys this version does not know, kept verbatim (written back at the top of ``extras``)."""

    def acceptance(self, finding: "Finding") -> Acceptance | None:
        """The acceptance recorded for ``finding`` (active or expired), if any."""
        return self.accepted.get(finding.key)

    @property
    def active_keys(self) -> frozenset[str]:
        """Keys of findings under an acceptance valid on the scan day: no open failure, no threshold."""
        return frozenset(key for key, entry in self.accepted.items() if entry.active)


_INPUT_KEYS = frozenset(f.name for f in fields(RunInputs)) - {"other"}


@_wire
@dataclass(frozen=True)
class ScanRun:
    """One complete scan: the unit stored, diffed and rendered."""

    meta: RunMeta
    organisation: dict[str, Any]
    targets: tuple[Target, ...]
    attempts: tuple[ProbeAttempt, ...]
    findings: tuple[Finding, ...]
    scores: Mapping[str, BaselineScore] = field(default_factory=dict)
    """Per-baseline scoring results, filled in by the baseline scorer."""
    extras: RunInputs = field(default_factory=RunInputs)
    """The run's inputs (wire key ``extras`` since 1.0)."""
    schema_version: str = SCHEMA_VERSION

    def target(self, target_id: str) -> Target:
        for target in self.targets:
            if target.id == target_id:
                return target
        raise KeyError(target_id)

    def with_findings(self, findings: tuple[Finding, ...],
                      scores: Mapping[str, BaselineScore] | None = None) -> "ScanRun":
        return replace(self, findings=findings, scores=self.scores if scores is None else scores)

    def with_inputs(self, **changes: Any) -> "ScanRun":
        """The run with some ``RunInputs`` fields replaced."""
        return replace(self, extras=replace(self.extras, **changes))


class SchemaVersionError(ValueError):
    """A stored ScanRun was written by a newer, incompatible auditor."""


_SCAN_RUN = TypeAdapter(ScanRun)
_RUN_INPUTS = TypeAdapter(RunInputs)
_EVIDENCE = TypeAdapter(Evidence)


def scan_run_to_dict(run: ScanRun) -> dict[str, Any]:
    data: dict[str, Any] = _SCAN_RUN.dump_python(run, mode="json")
    extras = data["extras"]
    data["extras"] = {**extras.pop("other"), **extras}
    return data


def scan_run_to_json(run: ScanRun, *, indent: int | None = 2) -> str:
    return json.dumps(scan_run_to_dict(run), ensure_ascii=False, indent=indent)


def scan_run_from_dict(data: Mapping[str, Any]) -> ScanRun:
    version = str(data.get("schema_version", ""))
    major = version.split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise SchemaVersionError(
            f"this ScanRun has schema_version {version!r}; this auditor reads "
            f"{SCHEMA_VERSION.split('.')[0]}.x — upgrade auditor to read it"
        )
    return _SCAN_RUN.validate_python({**data, "extras": _split_extras(data.get("extras") or {})})


def _split_extras(extras: Any) -> dict[str, Any]:
    """Wire ``extras`` with the keys this version does not know moved under ``other``."""
    if not isinstance(extras, Mapping):
        raise ValueError("extras: expected a mapping")
    known = {k: v for k, v in extras.items() if k in _INPUT_KEYS}
    return {**known, "other": {k: v for k, v in extras.items() if k not in _INPUT_KEYS}}


def run_inputs_from_dict(extras: Mapping[str, Any]) -> RunInputs:
    """``RunInputs`` from their wire form (JSON-ready data, as stored under ``extras``)."""
    return _RUN_INPUTS.validate_python(_split_extras(extras))


def scan_run_from_json(text: str) -> ScanRun:
    return scan_run_from_dict(json.loads(text))


def check_evidence_serialisable(evidence: Evidence) -> Evidence:
    """Round-trips evidence through JSON so a probe cannot smuggle objects in."""
    return json.loads(json.dumps(_EVIDENCE.dump_python(evidence, mode="json")))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
