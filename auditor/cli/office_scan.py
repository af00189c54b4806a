"""Scanning one or many offices, shared by ``auditor scan`` and ``auditor fleet scan``.

Every inventory is loaded and validated (and its authorisation window
checked) before the first packet of the first office, then the offices are
scanned one after another on one executor — one Dask cluster for the whole
fleet — each judged, scored, kept in the store and gated.  The commands only
decide what to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from auditor.assess import Assessment, prepare_assessment
from auditor.engine import Observer
from auditor.errors import InputError
from auditor.i18n import _
from auditor.executors import DaskTls, open_executor
from auditor.inventory import LoadedInventory, load_inventory
from auditor.model import ScanRun, utcnow
from auditor.registry import Registry
from auditor.settings import office_zone
from auditor.pipeline import scan_and_score
from auditor.scan import ScanOptions
from auditor.store.jobs import JobOutcome, keep_and_gate, scan_lock
from auditor.workflow.authorisation import require_window


@dataclass(frozen=True)
class ScanRequest:
    """What the command line asked for, the same for every office."""

    families: frozenset[str] = frozenset()
    offline: bool = False
    baseline_ids: tuple[str, ...] = ()
    extra_baselines: tuple[Path, ...] = ()
    store_path: Path | None = None
    fail_under: float | None = None
    fail_on_regression: bool = False
    lock_timeout: float = 3600
    restore_test: bool = False
    ignore_window: bool = False
    executor: str = "threads"
    dask_tls: DaskTls | None = None


@dataclass(frozen=True)
class Office:
    path: Path
    inventory: LoadedInventory
    assessment: Assessment


@dataclass(frozen=True)
class OfficeResult:
    office: Office
    run: ScanRun
    job: JobOutcome


def unknown_families(unknown: set[str], registry: Registry) -> str:
    """The error for ``--only`` naming families the registry does not have."""
    return _("unknown family {families}; known: {known}").format(families=", ".join(sorted(unknown)),
                                                                  known=", ".join(sorted(registry.families)))


def prepare_offices(files: list[Path], request: ScanRequest, registry: Registry) -> list[Office]:
    """Every inventory valid and inside its authorisation window, before any packet (else exit 2)."""
    unknown = set(request.families) - set(registry.families)
    if unknown:
        raise InputError(unknown_families(unknown, registry))
    if request.fail_on_regression and request.store_path is None:
        raise InputError(_("--fail-on-regression compares with the previous snapshot: give --store FILE"))
    offices = []
    for path in files:
        loaded = load_inventory(path)
        offices.append(Office(path, loaded, prepare_assessment(loaded, registry, requested=request.baseline_ids,
                                                               extra_baselines=request.extra_baselines)))
    for office in offices:
        try:
            require_window(office.assessment.authorisation, utcnow(), ignore=request.ignore_window,
                           zone=office_zone(office.inventory.settings))
        except InputError as exc:
            raise InputError(f"{office.path}: {exc}") from None
    return offices


def scan_offices(offices: list[Office], request: ScanRequest, registry: Registry,
                 observer_for: Callable[[Office], Observer | None]) -> Iterator[OfficeResult]:
    """Scans, scores, keeps and gates each office in turn, on one executor; stops after an interrupted one."""
    with scan_lock(request.store_path, request.lock_timeout), \
            open_executor(request.executor, workers=16, tls=request.dask_tls) as pool:
        for office in offices:
            observer = observer_for(office)
            try:
                run = scan_and_score(office.inventory, office.assessment, registry, ScanOptions(
                    families=set(request.families) or None, offline=request.offline, observer=observer,
                    executor=pool, options={"restore_test": request.restore_test}),
                    window_ignored=request.ignore_window)
            finally:
                close = getattr(observer, "close", None)
                if close:
                    close()
            job = keep_and_gate(run, request.store_path, fail_under=request.fail_under,
                                fail_on_regression=request.fail_on_regression)
            yield OfficeResult(office, run, job)
            if run.meta.interrupted:
                return
