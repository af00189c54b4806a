"""Plans probe × target jobs and runs them on a ``concurrent.futures`` executor.

- Scope first: a network target outside the authorised scope gets a
  ``skipped/out_of_scope`` attempt and no job; nothing is sent to it.
- At most ``per_host_concurrency`` jobs touch one target at a time, and at
  most ``max_workers`` run at all, so one office's server is not hammered.
- Jobs of a probe whose tool pays a start-up per run (``Probe.batch`` > 1:
  nmap) are grouped, up to ``batch`` targets per job, so one run serves
  them all; each target still holds its own per-host slot and gets its own
  attempt.  At most half the workers hold such groups, so the other
  families' jobs run beside them.
- Each job has a deadline; a job past it is recorded as ``timeout`` and its
  slot is freed (probes also bound their own sockets and subprocesses with
  the same timeout, so the worker itself comes back).
- Ctrl-C: running jobs are abandoned, unstarted ones become ``interrupted``
  attempts, and the caller still gets everything collected so far.
- A job carries only its own target's secrets, never the whole run's.

The executor is pluggable: threads by default, any ``Executor`` when given —
the job function and its arguments are plain picklable values for that
reason.  A cluster executor (``auditor.executors.DaskExecutor``) is also asked
how many jobs can start now (so a deadline measures the probe, not the
queue), whether it is still there (a lost scheduler is ``cluster_lost``, and
the scan stops), and whether secrets may travel to it (if not, jobs that
carry one run in the scanner's own threads).  A job lost with its worker is
submitted once more before it counts as lost.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from collections import defaultdict, deque
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Protocol, runtime_checkable

from auditor.model import (AttemptStatus, ErrorReason, Evidence, ProbeAttempt, Target, check_evidence_serialisable,
                           utcnow)
from auditor.plugin import Probe, ProbeContext, ProbeInputError, ProbeUnreachable, ToolMissing
from auditor.scope import OutOfScope, ScopeGuard

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_PER_HOST = 2
DEFAULT_WORKERS = 16
#: Seconds past a job's own timeout before the engine stops waiting for it (probes bound
#: their own sockets and subprocesses; this is the backstop).
JOB_GRACE_S = 5.0
#: Probe errors are shown to users and stored: keep them short.
MAX_ERROR_CHARS = 500


class Observer(Protocol):
    """Receives progress; the engine itself never prints."""

    def planned(self, total: int) -> None: ...
    def finished(self, attempt: ProbeAttempt) -> None: ...


@runtime_checkable
class Cluster(Protocol):
    """What the engine asks of an executor that is a cluster (see ``auditor.executors``)."""

    protects_secrets: bool
    retry_grace_factor: float

    def capacity(self) -> int: ...
    def lost(self) -> bool: ...
    def lost_with_worker(self, exc: BaseException) -> bool: ...


class _SilentObserver:
    def planned(self, total: int) -> None:
        pass

    def finished(self, attempt: ProbeAttempt) -> None:
        pass


@dataclass(frozen=True)
class Job:
    probe: type[Probe]
    target: Target

    @property
    def slot_key(self) -> str:
        """Jobs sharing a key share the per-host concurrency cap."""
        return self.target.addresses[0] if self.target.addresses else self.target.id


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def _attempt(job: Job, status: AttemptStatus, reason: ErrorReason | None = None, error: str | None = None,
             evidence: dict | None = None, started=None, duration: float = 0.0) -> ProbeAttempt:
    return ProbeAttempt(
        probe=job.probe.name,
        target_id=job.target.id,
        status=status,
        evidence=evidence,
        error_reason=reason,
        error=_short(error) if error else None,
        started=started,
        duration_s=round(duration, 3),
    )


def run_job(job: Job, ctx: ProbeContext) -> ProbeAttempt:
    """Runs one probe on one target and classifies any failure.  Top-level so it pickles."""
    started = utcnow()
    clock = time.monotonic()
    try:
        result: Evidence | Exception = job.probe().collect(job.target, ctx)
    except Exception as exc:  # noqa: BLE001 - classified by _outcome
        result = exc
    return _outcome(job, result, started, time.monotonic() - clock)


def run_group(jobs: tuple[Job, ...], ctx: ProbeContext) -> list[ProbeAttempt]:
    """Runs one probe on several targets at once (``Probe.collect_many``); one attempt per job, in order."""
    started = utcnow()
    clock = time.monotonic()
    try:
        results: list[Evidence | Exception] = jobs[0].probe().collect_many([job.target for job in jobs], ctx)
        if len(results) != len(jobs):
            raise RuntimeError(f"collect_many returned {len(results)} results for {len(jobs)} targets")
    except Exception as exc:  # noqa: BLE001 - the whole group failed: every job says why
        results = [exc] * len(jobs)
    duration = time.monotonic() - clock
    return [_outcome(job, result, started, duration) for job, result in zip(jobs, results)]


def _outcome(job: Job, result: Evidence | Exception, started: datetime, duration: float) -> ProbeAttempt:
    """The attempt for a probe's facts, or for the exception it raised, classified."""
    try:
        if isinstance(result, Exception):
            raise result
        evidence = check_evidence_serialisable(result)
    except OutOfScope as exc:
        return _attempt(job, AttemptStatus.SKIPPED, ErrorReason.OUT_OF_SCOPE, str(exc), started=started,
                        duration=duration)
    except ProbeUnreachable as exc:
        reason, error = ErrorReason.UNREACHABLE, str(exc)
    except (TimeoutError,) as exc:
        reason, error = ErrorReason.TIMEOUT, str(exc) or "timed out"
    except ProbeInputError as exc:
        reason, error = ErrorReason.BAD_INPUT, str(exc)
    except ToolMissing as exc:
        reason, error = ErrorReason.TOOL_MISSING, str(exc)
    except Exception as exc:  # noqa: BLE001 - any probe bug becomes data, the scan goes on
        reason, error = ErrorReason.PROBE_BUG, f"{type(exc).__name__}: {exc}"
    else:
        return _attempt(job, AttemptStatus.COMPLETED, evidence=evidence, started=started, duration=duration)
    return _attempt(job, AttemptStatus.ERROR, reason, error, started=started, duration=duration)


def check_scope(target: Target, scope: ScopeGuard) -> Target:
    """Returns the target with the addresses to use, or raises ``OutOfScope``."""
    if target.kind == "host":
        addresses = scope.require_host(target.name, target.addresses)
        return target if target.addresses else replace(target, addresses=tuple(addresses))
    if target.kind == "domain" and not scope.name_allowed(target.name):
        raise OutOfScope(f"domain {target.name} is outside the authorised domains")
    return target


def plan(probes: Iterable[type[Probe]], targets: Iterable[Target], scope: ScopeGuard) -> tuple[list[Job], list[ProbeAttempt]]:
    """Jobs to run, plus the attempts refused up front (out of scope)."""
    probe_list = list(probes)
    jobs: list[Job] = []
    refused: list[ProbeAttempt] = []
    for target in targets:
        applicable = [p for p in probe_list if p().applies(target)]
        if not applicable:
            continue
        try:
            scoped = check_scope(target, scope)
        except OutOfScope as exc:
            refused.extend(
                _attempt(Job(p, target), AttemptStatus.SKIPPED, ErrorReason.OUT_OF_SCOPE, str(exc)) for p in applicable
            )
            continue
        jobs.extend(Job(p, scoped) for p in applicable)
    return jobs, refused


@dataclass
class _Running:
    """A submitted job (or group of jobs): when it must be done by, and whether it was already submitted again."""

    jobs: tuple[Job, ...]
    ctx: ProbeContext
    deadline: float
    retried: bool = False
    local: bool = False
    """Run in the scanner's own threads (it carries a secret and the cluster's comms are not encrypted)."""


class Engine:
    """Runs planned jobs with a per-job deadline and a per-host cap.

    ``abandoned`` counts jobs given up on (past their deadline, or running at
    Ctrl-C) whose worker thread may still be busy; the CLI then exits without
    waiting for them, since Python would otherwise join those threads.
    """

    def __init__(self, *, max_workers: int = DEFAULT_WORKERS, per_host: int = DEFAULT_PER_HOST,
                 executor: Executor | None = None, observer: Observer | None = None,
                 stop_at: datetime | None = None) -> None:
        self.max_workers = max_workers
        self.per_host = max(1, per_host)
        self._executor = executor
        self._cluster = executor if isinstance(executor, Cluster) else None
        self._local: ThreadPoolExecutor | None = None
        """The scanner's own threads, for secret-carrying jobs a cluster may not be given."""
        self.observer = observer or _SilentObserver()
        self.abandoned = 0
        self.stop_at = stop_at
        """The end of the authorisation window: no job starts at or after it (running ones finish)."""

    def run(self, jobs: list[Job], ctx: ProbeContext) -> Iterator[ProbeAttempt]:
        """Yields attempts as they finish (streaming: nothing is kept here)."""
        self.observer.planned(len(jobs))
        own_executor = self._executor is None
        executor = self._executor or ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="probe")
        pending: deque[Job] = deque(jobs)
        running: dict[Future, _Running] = {}
        per_key: dict[str, int] = defaultdict(int)
        try:
            while pending or running:
                if pending and self.stop_at is not None and utcnow() >= self.stop_at:
                    yield from self._close_window(pending)
                    if not running:
                        break
                self._fill(executor, pending, running, per_key, ctx)
                done, _ = wait(list(running), timeout=self._next_deadline(running), return_when=FIRST_COMPLETED)
                for future in done:
                    entry = running.pop(future)
                    retry = self._retry(executor, future, entry)
                    if retry is not None:
                        running[retry] = replace(entry, retried=True)
                        continue
                    for job in entry.jobs:
                        per_key[job.slot_key] -= 1
                    for attempt in self._results(future, entry.jobs):
                        yield self._emit(attempt)
                if self._cluster is not None and self._cluster.lost():
                    yield from self._lose_cluster(running, pending)
                    return
                for future, entry in list(running.items()):
                    if time.monotonic() >= entry.deadline:
                        running.pop(future)
                        self.abandoned += 0 if future.cancel() else 1
                        for job in entry.jobs:
                            per_key[job.slot_key] -= 1
                            yield self._emit(_attempt(job, AttemptStatus.ERROR, ErrorReason.TIMEOUT,
                                                      f"no result within {entry.ctx.timeout:.0f} s",
                                                      duration=entry.ctx.timeout))
        except (KeyboardInterrupt, GeneratorExit) as stop:
            for future in running:
                self.abandoned += 0 if future.cancel() else 1
            if isinstance(stop, KeyboardInterrupt):
                for job in [job for entry in running.values() for job in entry.jobs] + list(pending):
                    yield self._emit(_attempt(job, AttemptStatus.ERROR, ErrorReason.INTERRUPTED, "stopped by the user"))
            raise
        finally:
            if own_executor:
                executor.shutdown(wait=False, cancel_futures=True)
            if self._local is not None:
                self._local.shutdown(wait=False, cancel_futures=True)

    def _fill(self, executor: Executor, pending: deque[Job], running: dict[Future, _Running],
              per_key: dict[str, int], ctx: ProbeContext) -> None:
        limit = self.max_workers
        if self._cluster is not None:
            # never more in flight than the cluster can start: queue time is not probe time
            limit = min(limit, self._cluster.capacity() + self._local_in_flight(running))
        skipped: list[Job] = []
        groups = sum(1 for entry in running.values() if len(entry.jobs) > 1)
        while pending and len(running) < limit:
            job = pending.popleft()
            job_ctx = self._job_context(job, ctx)
            groupable = job.probe.batch > 1 and not job_ctx.secrets and self._group_ends_in_window(job_ctx)
            if per_key[job.slot_key] >= self.per_host or (groupable and groups >= max(1, limit // 2)):
                skipped.append(job)
                continue
            per_key[job.slot_key] += 1
            jobs = (job, *self._companions(job, pending, per_key, ctx)) if groupable else (job,)
            groups += len(jobs) > 1
            local = self._runs_locally(job_ctx)
            entry = _Running(jobs, job_ctx, time.monotonic() + self._budget(job_ctx, local), local=local)
            running[self._submit(self._local_pool() if local else executor, entry)] = entry
        pending.extendleft(reversed(skipped))

    def _companions(self, job: Job, pending: deque[Job], per_key: dict[str, int], ctx: ProbeContext) -> list[Job]:
        """Pending jobs of ``job``'s probe that can join it (free slot, no secret), taken out of ``pending``."""
        taken: list[Job] = []
        kept: list[Job] = []
        for other in pending:
            if (len(taken) < job.probe.batch - 1 and other.probe is job.probe and per_key[other.slot_key] < self.per_host
                    and not ctx.secrets.get(other.target.id)):
                per_key[other.slot_key] += 1
                taken.append(other)
            else:
                kept.append(other)
        if taken:
            pending.clear()
            pending.extend(kept)
        return taken

    @staticmethod
    def _submit(executor: Executor, entry: _Running) -> Future:
        if len(entry.jobs) == 1:
            return executor.submit(run_job, entry.jobs[0], entry.ctx)
        return executor.submit(run_group, entry.jobs, entry.ctx)

    @staticmethod
    def _job_context(job: Job, ctx: ProbeContext) -> ProbeContext:
        """The job's own timeout, and only its own target's secrets."""
        own = ctx.secrets.get(job.target.id)
        return replace(ctx, timeout=job.probe.timeout or ctx.timeout,
                       secrets={job.target.id: own} if own else {})

    def _group_ends_in_window(self, job_ctx: ProbeContext) -> bool:
        """A group may start only when its whole budget ends inside the authorisation window.

        A group is one tool run over many hosts: started just before the window closes it would go on
        connecting to hosts after the end (the window is checked only when a job starts).  Near the end,
        jobs start one host at a time again, so no host is touched once the window has closed that was
        not already being scanned.
        """
        if self.stop_at is None:
            return True
        return utcnow() + timedelta(seconds=self._budget(job_ctx, local=False)) <= self.stop_at

    def _runs_locally(self, job_ctx: ProbeContext) -> bool:
        """A job carrying a secret stays in the scanner's threads when the cluster's comms are not encrypted."""
        return bool(job_ctx.secrets) and self._cluster is not None and not self._cluster.protects_secrets

    def _local_pool(self) -> ThreadPoolExecutor:
        if self._local is None:
            self._local = ThreadPoolExecutor(max_workers=2, thread_name_prefix="probe-secret")
        return self._local

    def _budget(self, job_ctx: ProbeContext, local: bool) -> float:
        factor = self._cluster.retry_grace_factor if self._cluster is not None and not local else 1.0
        return job_ctx.timeout * factor + JOB_GRACE_S

    @staticmethod
    def _local_in_flight(running: dict[Future, _Running]) -> int:
        return sum(1 for entry in running.values() if entry.local)

    def _retry(self, executor: Executor, future: Future, entry: _Running) -> Future | None:
        """A job whose worker died is submitted once more (Dask may already have retried it itself)."""
        if self._cluster is None or entry.retried or future.cancelled():
            return None
        error = future.exception()
        if error is None or not self._cluster.lost_with_worker(error):
            return None
        return self._submit(executor, entry)  # a local job never loses a worker

    def _close_window(self, pending: deque[Job]) -> Iterator[ProbeAttempt]:
        """The authorisation window has ended: jobs not yet started are recorded as never run."""
        closed = f"the authorisation window ended at {self.stop_at:%Y-%m-%d %H:%M %Z}".strip()
        while pending:
            yield self._emit(_attempt(pending.popleft(), AttemptStatus.ERROR, ErrorReason.WINDOW_CLOSED, closed))

    def _lose_cluster(self, running: dict[Future, _Running], pending: deque[Job]) -> Iterator[ProbeAttempt]:
        """The scheduler is gone: every job not yet back is lost, and the scan stops here."""
        lost = [job for entry in running.values() for job in entry.jobs] + list(pending)
        running.clear()
        pending.clear()
        for job in lost:
            yield self._emit(_attempt(job, AttemptStatus.ERROR, ErrorReason.CLUSTER_LOST,
                                      "the Dask scheduler was lost before this job returned"))

    @staticmethod
    def _next_deadline(running: dict[Future, _Running]) -> float | None:
        if not running:
            return None
        return max(0.05, min(entry.deadline for entry in running.values()) - time.monotonic())

    def _results(self, future: Future, jobs: tuple[Job, ...]) -> list[ProbeAttempt]:
        """The attempts a finished future holds: a single job's, or a group's, one per job."""
        if len(jobs) == 1:
            return [self._result(future, jobs[0])]
        try:
            return list(future.result())
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - classified per job, as for a single job
            return [self._result(future, job) for job in jobs]

    def _result(self, future: Future, job: Job) -> ProbeAttempt:
        try:
            return future.result()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - a Dask future cancelled or its worker lost
            if self._cluster is not None and (self._cluster.lost() or future.cancelled()
                                              or type(exc).__name__ == "CancelledError"):
                return _attempt(job, AttemptStatus.ERROR, ErrorReason.CLUSTER_LOST,
                                "the Dask scheduler was lost before this job returned")
            if self._cluster is not None and self._cluster.lost_with_worker(exc):
                return _attempt(job, AttemptStatus.ERROR, ErrorReason.CLUSTER_LOST,
                                f"lost twice with its Dask worker: {type(exc).__name__}")
            return _attempt(job, AttemptStatus.ERROR, ErrorReason.PROBE_BUG, f"executor: {type(exc).__name__}: {exc}")

    def _emit(self, attempt: ProbeAttempt) -> ProbeAttempt:
        self.observer.finished(attempt)
        return attempt
