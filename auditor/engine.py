"""Plans probe × target jobs and runs them on a ``concurrent.futures`` executor.

- Scope first: a network target outside the authorised scope gets a
  ``skipped/out_of_scope`` attempt and no job; nothing is sent to it.
- At most ``per_host_concurrency`` jobs touch one target at a time, and at
  most ``max_workers`` run at all, so one office's server is not hammered.
- Each job has a deadline; a job past it is recorded as ``timeout`` and its
  slot is freed (probes also bound their own sockets and subprocesses with
  the same timeout, so the worker itself comes back).
- Ctrl-C: running jobs are abandoned, unstarted ones become ``interrupted``
  attempts, and the caller still gets everything collected so far.

The executor is pluggable: threads by default, any ``Executor`` (e.g. a Dask
``Client.get_executor()``) when given — the job function and its arguments
are plain picklable values for that reason.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Protocol

from auditor.model import AttemptStatus, ErrorReason, ProbeAttempt, Target, check_evidence_serialisable, utcnow
from auditor.plugin import Probe, ProbeContext, ProbeInputError, ProbeUnreachable, ToolMissing
from auditor.scope import OutOfScope, ScopeGuard

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_PER_HOST = 2
DEFAULT_WORKERS = 16
#: Probe errors are shown to users and stored: keep them short.
MAX_ERROR_CHARS = 500


class Observer(Protocol):
    """Receives progress; the engine itself never prints."""

    def planned(self, total: int) -> None: ...
    def finished(self, attempt: ProbeAttempt) -> None: ...


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
    probe = job.probe()
    try:
        evidence = check_evidence_serialisable(probe.collect(job.target, ctx))
    except OutOfScope as exc:
        return _attempt(job, AttemptStatus.SKIPPED, ErrorReason.OUT_OF_SCOPE, str(exc), started=started,
                        duration=time.monotonic() - clock)
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
        return _attempt(job, AttemptStatus.COMPLETED, evidence=evidence, started=started,
                        duration=time.monotonic() - clock)
    return _attempt(job, AttemptStatus.ERROR, reason, error, started=started, duration=time.monotonic() - clock)


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


class Engine:
    """Runs planned jobs with a per-job deadline and a per-host cap.

    ``abandoned`` counts jobs given up on (past their deadline, or running at
    Ctrl-C) whose worker thread may still be busy; the CLI then exits without
    waiting for them, since Python would otherwise join those threads.
    """

    def __init__(self, *, max_workers: int = DEFAULT_WORKERS, per_host: int = DEFAULT_PER_HOST,
                 executor: Executor | None = None, observer: Observer | None = None) -> None:
        self.max_workers = max_workers
        self.per_host = max(1, per_host)
        self._executor = executor
        self.observer = observer or _SilentObserver()
        self.abandoned = 0

    def run(self, jobs: list[Job], ctx: ProbeContext) -> Iterator[ProbeAttempt]:
        """Yields attempts as they finish (streaming: nothing is kept here)."""
        self.observer.planned(len(jobs))
        own_executor = self._executor is None
        executor = self._executor or ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="probe")
        pending: deque[Job] = deque(jobs)
        running: dict[Future, tuple[Job, float]] = {}
        per_key: dict[str, int] = defaultdict(int)
        try:
            while pending or running:
                self._fill(executor, pending, running, per_key, ctx)
                done, _ = wait(list(running), timeout=self._next_deadline(running), return_when=FIRST_COMPLETED)
                for future in done:
                    job, _ = running.pop(future)
                    per_key[job.slot_key] -= 1
                    yield self._emit(self._result(future, job))
                for future, (job, deadline) in list(running.items()):
                    if time.monotonic() >= deadline:
                        running.pop(future)
                        self.abandoned += 0 if future.cancel() else 1
                        per_key[job.slot_key] -= 1
                        timeout = job.probe.timeout or ctx.timeout
                        yield self._emit(_attempt(job, AttemptStatus.ERROR, ErrorReason.TIMEOUT,
                                                  f"no result within {timeout:.0f} s",
                                                  duration=time.monotonic() - deadline + timeout + 5.0))
        except (KeyboardInterrupt, GeneratorExit) as stop:
            for future in running:
                self.abandoned += 0 if future.cancel() else 1
            if isinstance(stop, KeyboardInterrupt):
                for job in [job for job, _ in running.values()] + list(pending):
                    yield self._emit(_attempt(job, AttemptStatus.ERROR, ErrorReason.INTERRUPTED, "stopped by the user"))
            raise
        finally:
            if own_executor:
                executor.shutdown(wait=False, cancel_futures=True)

    def _fill(self, executor: Executor, pending: deque[Job], running: dict, per_key: dict[str, int],
              ctx: ProbeContext) -> None:
        skipped: list[Job] = []
        while pending and len(running) < self.max_workers:
            job = pending.popleft()
            if per_key[job.slot_key] >= self.per_host:
                skipped.append(job)
                continue
            per_key[job.slot_key] += 1
            timeout = job.probe.timeout or ctx.timeout
            job_ctx = replace(ctx, timeout=timeout)
            running[executor.submit(run_job, job, job_ctx)] = (job, time.monotonic() + timeout + 5.0)
        pending.extendleft(reversed(skipped))

    @staticmethod
    def _next_deadline(running: dict) -> float | None:
        if not running:
            return None
        return max(0.05, min(deadline for _, deadline in running.values()) - time.monotonic())

    @staticmethod
    def _result(future: Future, job: Job) -> ProbeAttempt:
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - e.g. a Dask worker lost
            return _attempt(job, AttemptStatus.ERROR, ErrorReason.PROBE_BUG, f"executor: {type(exc).__name__}: {exc}")

    def _emit(self, attempt: ProbeAttempt) -> ProbeAttempt:
        self.observer.finished(attempt)
        return attempt
