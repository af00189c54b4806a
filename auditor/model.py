"""The vocabulary of the scanner (see DESIGN.md, "Core vocabulary").

Everything here is a frozen, plain value: a probe's raw facts (``Evidence``,
kept as JSON-ready dicts), what happened when a probe ran (``ProbeAttempt``),
the verdicts (``Finding``) and the whole run (``ScanRun``).  The wire format
is produced by pydantic from these dataclasses, so a stored run reads back
into exactly the objects that were written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any, Mapping

from pydantic import TypeAdapter

#: Version of the ScanRun JSON layout.  Bump the major part on any change an
#: older reader would misread; loading a newer major version is refused.
SCHEMA_VERSION = "1.0"

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


@dataclass(frozen=True)
class PortSpec:
    """A declared service port of a host."""

    port: int
    protocol: str = "tcp"
    service: str | None = None
    """Protocol spoken, e.g. ``https``, ``smtp``, ``imap``, ``ssh``; inferred from the port when omitted."""
    tls: TlsMode | None = None
    """``None`` means: infer from the service / well-known port."""


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


@dataclass(frozen=True)
class ScanRun:
    """One complete scan: the unit stored, diffed and rendered."""

    meta: RunMeta
    organisation: dict[str, Any]
    targets: tuple[Target, ...]
    attempts: tuple[ProbeAttempt, ...]
    findings: tuple[Finding, ...]
    scores: dict[str, Any] = field(default_factory=dict)
    """Per-baseline scoring results, filled in by the baseline scorer."""
    extras: dict[str, Any] = field(default_factory=dict)
    """Free-form sections added by later stages (authorisation, accepted risks ...)."""
    schema_version: str = SCHEMA_VERSION

    def target(self, target_id: str) -> Target:
        for target in self.targets:
            if target.id == target_id:
                return target
        raise KeyError(target_id)

    def with_findings(self, findings: tuple[Finding, ...], scores: dict[str, Any] | None = None) -> "ScanRun":
        return replace(self, findings=findings, scores=self.scores if scores is None else scores)


class SchemaVersionError(ValueError):
    """A stored ScanRun was written by a newer, incompatible auditor."""


_SCAN_RUN = TypeAdapter(ScanRun)
_EVIDENCE = TypeAdapter(Evidence)


def scan_run_to_dict(run: ScanRun) -> dict[str, Any]:
    return _SCAN_RUN.dump_python(run, mode="json")


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
    return _SCAN_RUN.validate_python(data)


def scan_run_from_json(text: str) -> ScanRun:
    return scan_run_from_dict(json.loads(text))


def check_evidence_serialisable(evidence: Evidence) -> Evidence:
    """Round-trips evidence through JSON so a probe cannot smuggle objects in."""
    return json.loads(json.dumps(_EVIDENCE.dump_python(evidence, mode="json")))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
