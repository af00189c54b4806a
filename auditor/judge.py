"""Turns probe attempts into findings: pure, offline, repeatable.

Run after a scan and again on any stored ScanRun (re-judging against newer
checks).  A check whose probe failed becomes an ``error`` finding carrying
the probe's reason; a check that raises becomes an ``error`` finding too, so
a bug can never read as a pass.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace
from typing import Iterable, Sequence

from auditor.model import ErrorReason, Finding, ProbeAttempt, Severity, Status, Target
from auditor.plugin import CheckSpec, JudgeContext, Verdict

log = logging.getLogger(__name__)

_REASON_TEXT = {
    ErrorReason.UNREACHABLE: ("cel nie odpowiada", "target did not answer"),
    ErrorReason.TIMEOUT: ("przekroczono limit czasu", "timed out"),
    ErrorReason.OUT_OF_SCOPE: ("poza autoryzowanym zakresem — nie skanowano", "outside the authorised scope — not scanned"),
    ErrorReason.INTERRUPTED: ("skanowanie przerwane", "scan interrupted"),
    ErrorReason.BAD_INPUT: ("nieprawidłowe źródło danych", "malformed evidence source"),
    ErrorReason.TOOL_MISSING: ("brak wymaganego narzędzia", "required tool missing"),
    ErrorReason.PROBE_BUG: ("błąd sondy", "probe failure"),
    ErrorReason.CLUSTER_LOST: ("utracono klaster obliczeniowy Dask", "the Dask cluster was lost"),
    ErrorReason.WINDOW_CLOSED: ("okno autoryzacji skanu zamknęło się przed startem zadania — nie skanowano",
                                "the scan's authorisation window closed before the job started — not scanned"),
}


def error_finding(spec: CheckSpec, target_id: str, reason: ErrorReason | None, detail: str | None) -> Finding:
    pl, en = _REASON_TEXT.get(reason or ErrorReason.PROBE_BUG, _REASON_TEXT[ErrorReason.PROBE_BUG])
    suffix = f": {detail}" if detail else ""
    return Finding(
        check_id=spec.id,
        target_id=target_id,
        status=Status.ERROR,
        severity=Severity.INFO,
        message={"pl": f"Nie sprawdzono — {pl}{suffix}", "en": f"Not checked — {en}{suffix}"},
        facts={"error_reason": (reason or ErrorReason.PROBE_BUG).value, "error": detail or ""},
    )


def _finding(spec: CheckSpec, target_id: str, verdict: Verdict) -> Finding:
    return Finding(
        check_id=spec.id,
        target_id=target_id,
        status=verdict.status,
        severity=verdict.severity or spec.severity,
        message=spec.render_message(verdict),
        facts=verdict.facts,
        subject=verdict.subject,
    )


def evaluate_check(spec: CheckSpec, target: Target, attempts: dict[str, ProbeAttempt], ctx: JudgeContext) -> list[Finding]:
    """Judges one check on one target whose probes all ran (successfully or not)."""
    if spec.any_of:
        return _evaluate_any_of(spec, target, attempts, ctx)
    for probe_name in spec.reads:
        attempt = attempts[probe_name]
        if not attempt.completed:
            return [error_finding(spec, target.id, attempt.error_reason, attempt.error)]
    evidence = (
        attempts[spec.reads[0]].evidence
        if len(spec.reads) == 1
        else {name: attempts[name].evidence for name in spec.reads}
    )
    return _run_check(spec, target, evidence, ctx)


def _evaluate_any_of(spec: CheckSpec, target: Target, attempts: dict[str, ProbeAttempt], ctx: JudgeContext) -> list[Finding]:
    """An ``any_of`` check: judged on the probes that completed; an error only when none did."""
    ran = [attempts[name] for name in spec.reads if name in attempts]
    completed = {a.probe: a.evidence for a in ran if a.completed}
    if not completed:
        return [error_finding(spec, target.id, ran[0].error_reason, ran[0].error)]
    return _run_check(spec, target, {name: completed.get(name) for name in spec.reads}, ctx)


def _run_check(spec: CheckSpec, target: Target, evidence: object, ctx: JudgeContext) -> list[Finding]:
    try:
        verdicts = list(spec.evaluate(evidence, target, ctx))
    except Exception as exc:  # a check bug is reported, never a silent pass
        log.exception("check %s failed on %s", spec.id, target.id)
        return [error_finding(spec, target.id, ErrorReason.PROBE_BUG, f"check raised {type(exc).__name__}: {exc}")]
    return [_finding(spec, target.id, verdict) for verdict in verdicts]


def judge(
    checks: Iterable[CheckSpec],
    targets: Sequence[Target],
    attempts: Iterable[ProbeAttempt],
    ctx: JudgeContext,
) -> list[Finding]:
    """All findings for the checks whose probes were attempted on each target."""
    by_target: dict[str, dict[str, ProbeAttempt]] = defaultdict(dict)
    for attempt in attempts:
        by_target[attempt.target_id][attempt.probe] = attempt
    ctx = replace(ctx, attempts=dict(by_target), targets={t.id: t for t in targets})
    findings: list[Finding] = []
    check_list = list(checks)
    for target in targets:
        ran = by_target.get(target.id, {})
        for spec in check_list:
            if (any if spec.any_of else all)(name in ran for name in spec.reads):
                findings.extend(evaluate_check(spec, target, ran, ctx))
    return findings
