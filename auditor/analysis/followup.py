"""Follow-up of the previous audit: what became of its non-conformities.

Compares the non-conformities of an earlier snapshot of the same office with
the current run's findings, finding by finding (``Finding.key``):

- ``open``: some of its findings still fail (and are not validly accepted);
- ``overdue``: open, and the scan day is past its suggested deadline;
- ``accepted``: its remaining failures are covered by a valid acceptance;
- ``closed``: none fails any more and the check was judged again on each of
  its targets;
- ``not_rechecked``: none fails, but some target was not judged this time
  (probe error, family not run) — not evidence of a fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from auditor.analysis.nonconformity import NonConformity
from auditor.model import ScanRun, Status

STATES = ("overdue", "open", "accepted", "not_rechecked", "closed")


@dataclass(frozen=True)
class FollowUp:
    item: NonConformity
    """The earlier non-conformity (its number, deadline and targets as they were then)."""
    state: str
    still_failing: int


def follow_up(previous: Iterable[NonConformity], current: ScanRun) -> list[FollowUp]:
    """Each earlier non-conformity with its state now, worst state first, then by its old number."""
    now = {f.key: f for f in current.findings}
    judged = {(f.check_id, f.target_id) for f in current.findings
              if f.status not in (Status.ERROR, Status.MANUAL)}
    accepted = current.extras.active_keys
    day = current.meta.started.date()
    out = []
    for item in previous:
        failing = [k for k in item.keys if k in now and now[k].failing]
        open_keys = [k for k in failing if k not in accepted]
        if open_keys:
            state = "overdue" if day > item.deadline else "open"
        elif failing:
            state = "accepted"
        else:
            targets = {tuple(k.split("|", 2)[:2]) for k in item.keys}
            state = "closed" if all((c, t) in judged for c, t in targets) else "not_rechecked"
        out.append(FollowUp(item, state, len(open_keys)))
    return sorted(out, key=lambda f: (STATES.index(f.state), f.item.number))
