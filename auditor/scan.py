"""One scan, start to finish: inventory → plan → probes → findings → ScanRun.

Kept apart from the CLI so tests, the demo and scheduled jobs call the same
thing.  Scoring against baselines is applied afterwards by the caller (the
same function re-judges stored runs), so a ScanRun is complete and useful
even when no baseline applies.
"""

from __future__ import annotations

import getpass
import socket
import sys
import uuid
from datetime import datetime
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Callable

from auditor import __version__
from auditor.engine import DEFAULT_PER_HOST, DEFAULT_TIMEOUT_S, DEFAULT_WORKERS, Engine, Observer, plan
from auditor.inventory import LoadedInventory
from auditor.judge import judge
from auditor.model import Authorisation, ErrorReason, ProbeAttempt, RunInputs, RunMeta, ScanRun, utcnow
from auditor.plugin import JudgeContext, ProbeContext
from auditor.registry import Registry
from auditor.secrets import resolve_secrets


@dataclass
class ScanOptions:
    families: set[str] | None = None
    """Only these families (``--only``); ``None`` runs all."""
    offline: bool = False
    executor: Executor | None = None
    observer: Observer | None = None
    options: dict[str, Any] = field(default_factory=dict)
    """Switches passed to probes through ``ProbeContext.options``."""
    on_attempt: Callable[[ProbeAttempt], None] | None = None
    """Called for each attempt as it finishes (streaming to a store)."""
    stop_at: datetime | None = None
    """End of the authorisation window: no job starts after it; the run is then incomplete (exit 3)."""
    authorisation: Authorisation | None = None
    """The inventory's authorisation record, given to probes (intrusive ones act only on what it allows)."""


def _setting(inventory: LoadedInventory, key: str, default: Any) -> Any:
    return inventory.settings.get(key, default)


def run_scan(inventory: LoadedInventory, registry: Registry, opts: ScanOptions | None = None) -> ScanRun:
    """Scans everything the inventory names; always returns a ScanRun, even when interrupted."""
    opts = opts or ScanOptions()
    started = utcnow()
    probes = [p for p in registry.probes.values() if opts.families is None or _family(registry, p.name) in opts.families]
    jobs, refused = plan(probes, inventory.targets, inventory.scope)
    ctx = ProbeContext(
        scope=inventory.scope,
        timeout=float(_setting(inventory, "timeout", DEFAULT_TIMEOUT_S)),
        settings=inventory.settings,
        offline=opts.offline,
        now=started,
        secrets=resolve_secrets(inventory.targets, inventory.secrets),
        options=opts.options,
        authorisation=opts.authorisation,
    )
    engine = Engine(
        max_workers=int(_setting(inventory, "max_workers", DEFAULT_WORKERS)),
        per_host=int(_setting(inventory, "per_host_concurrency", DEFAULT_PER_HOST)),
        executor=opts.executor,
        observer=opts.observer,
        stop_at=opts.stop_at,
    )
    attempts: list[ProbeAttempt] = list(refused)
    interrupted = False
    try:
        for attempt in engine.run(jobs, ctx):
            attempts.append(attempt)
            if opts.on_attempt:
                opts.on_attempt(attempt)
    except KeyboardInterrupt:
        interrupted = True
    lost = lost_jobs(attempts)
    interrupted = interrupted or bool(lost) or any(a.error_reason is ErrorReason.WINDOW_CLOSED for a in attempts)
    scanned_targets = {job.target.id: job.target for job in jobs}
    targets = tuple(scanned_targets.get(t.id, t) for t in inventory.targets)
    checks = registry.checks_of(opts.families)
    findings = judge(checks, targets, attempts, JudgeContext(now=started, settings=_public_settings(inventory.settings),
                                                             organisation=inventory.organisation))
    meta = RunMeta(
        run_id=str(uuid.uuid4()),
        tool_version=__version__,
        started=started,
        finished=utcnow(),
        operator=_operator(),
        hostname=socket.gethostname(),
        inventory_path=str(inventory.path),
        inventory_sha256=inventory.sha256,
        interrupted=interrupted,
        command=" ".join(sys.argv[1:])[:500],
        data_versions=_data_versions(registry, opts.families, inventory.settings),
    )
    return ScanRun(
        meta=meta,
        organisation=inventory.organisation,
        targets=targets,
        attempts=tuple(attempts),
        findings=tuple(findings),
        extras=RunInputs(settings=_public_settings(inventory.settings), abandoned_jobs=engine.abandoned,
                         lost_jobs=tuple(lost)),
    )


def lost_jobs(attempts: list[ProbeAttempt]) -> list[str]:
    """``probe@target`` of every job the cluster lost: such a run is incomplete (exit 3), and says which."""
    return [f"{a.probe}@{a.target_id}" for a in attempts if a.error_reason is ErrorReason.CLUSTER_LOST]


def _family(registry: Registry, probe_name: str) -> str:
    for name, family in registry.families.items():
        if any(p.name == probe_name for p in family.probes):
            return name
    return probe_name


def _data_versions(registry: Registry, families: set[str] | None, settings: dict[str, Any]) -> dict[str, str]:
    """The knowledge data each judged family used, and its date."""
    versions: dict[str, str] = {}
    for name, family in registry.families.items():
        if family.data_versions is not None and (families is None or name in families):
            versions.update(family.data_versions(settings))
    return versions


def _operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database in some containers
        return ""


_SECRET_HINTS = ("password", "secret", "token", "community", "key")


def _public_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Settings as stored in the run, with anything that looks secret removed."""
    return {k: v for k, v in settings.items() if not any(h in k.lower() for h in _SECRET_HINTS)}
