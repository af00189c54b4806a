"""Whether each intrusive family's tests ran, were not authorised, or were skipped — said once, for every output.

A reader of an audit must know whether "no default password found" means
"tried and rejected" or "never tried".  Intrusive probes (``Family(intrusive=True)``)
put in their evidence ``run`` (``ran`` / ``not_authorised`` / ``window_closed``),
``attempts``, ``delay_s`` and per-service ``services[].state``; this module
sums them over the run's attempts and words the result with the family's own
``run_<state>`` message from its check YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.model import ErrorReason, ScanRun, Status
from auditor.plugin import Verdict
from auditor.registry import Registry


@dataclass(frozen=True)
class IntrusiveRun:
    """One intrusive family in this run: ``state`` is ran, not_authorised, window_closed, failed or not_run."""

    family: str
    state: str
    text: str


def _state(evidence: list[dict[str, Any]], errors: list[ErrorReason | None]) -> str:
    if any(e.get("run") == "ran" for e in evidence):
        return "ran"
    if any(e.get("run") == "window_closed" for e in evidence) or ErrorReason.WINDOW_CLOSED in errors:
        return "window_closed"
    if evidence:
        return "not_authorised"
    return "failed" if errors else "not_run"


def intrusive_runs(run: ScanRun, registry: Registry, lang: str) -> tuple[IntrusiveRun, ...]:
    found = []
    for name, family in registry.families.items():
        if not family.intrusive:
            continue
        probes = {probe.name for probe in family.probes}
        attempts = [a for a in run.attempts if a.probe in probes]
        evidence = [a.evidence for a in attempts if a.completed and a.evidence]
        state = _state(evidence, [a.error_reason for a in attempts if not a.completed])
        services = [s for e in evidence for s in e.get("services", [])]
        facts = {"attempts": sum(int(e.get("attempts", 0)) for e in evidence),
                 "hosts": sum(1 for e in evidence if e.get("run") == "ran"),
                 "delay_s": min((e.get("delay_s", 0) for e in evidence), default=0),
                 "accepted": sum(1 for s in services if s.get("state") == "accepted"),
                 "not_authorised": sum(1 for s in services if s.get("state") == "not_authorised")}
        key = f"run_{state}"
        spec = next((s for s in registry.checks_of({name}) if key in s.text.messages), None)
        text = spec.render_message(Verdict(Status.NOT_APPLICABLE, facts, message=key))[lang] if spec else key
        found.append(IntrusiveRun(name, state, text))
    return tuple(found)
