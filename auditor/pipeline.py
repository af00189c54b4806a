"""The one pipeline from evidence to a scored run: ``scan_and_score`` (probe now) or ``rejudge_and_score`` (stored evidence).

``auditor scan``, ``auditor demo``, ``auditor rejudge`` (and the fleet roll-up)
call these instead of wiring probing, judging, inputs and scoring
themselves, so the commands stay thin and every run is scored the same way:
judge → put the inputs (attestations, accepted risks, authorisation) into
the run → mark acceptances → score per baseline.  The analysis every output
reads is then ``auditor.analysis.analyse`` of the result.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable

from auditor.assess import Assessment
from auditor.baseline import Baseline
from auditor.inventory import LoadedInventory
from auditor.model import ScanRun
from auditor.registry import Registry
from auditor.rejudge import rejudge
from auditor.scan import ScanOptions, run_scan
from auditor.scoring import apply_baselines


def scan_and_score(inventory: LoadedInventory, assessment: Assessment, registry: Registry,
                   options: ScanOptions | None = None, *, window_ignored: bool = False) -> ScanRun:
    """Probe the inventory's targets, judge, and score with the assessment's baselines and inputs.

    Inside an authorisation window no job starts after the window's end (unless it is overridden);
    probes get the record itself (login attempts only where it allows them, only inside its window).
    """
    options = options or ScanOptions()
    record = assessment.authorisation
    if options.authorisation is None:
        options = replace(options, authorisation=record)
    if record is not None and not window_ignored and options.stop_at is None:
        options = replace(options, stop_at=datetime.fromisoformat(record.window_bounds.end))
    return assessment.apply(run_scan(inventory, registry, options), window_ignored=window_ignored)


def rejudge_and_score(stored: ScanRun, baselines: Iterable[Baseline], registry: Registry,
                      families: set[str] | None = None) -> ScanRun:
    """Judge a stored run's evidence again with today's checks and score it (its own inputs kept)."""
    return apply_baselines(rejudge(stored, registry, families), baselines)
