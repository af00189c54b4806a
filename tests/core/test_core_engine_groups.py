"""Jobs of a probe with ``batch`` > 1 travel together: one ``collect_many`` call for many hosts.

Each host keeps its own per-host slot, its own attempt and its own error; a
group never carries a secret-bearing job; at most half the workers hold
groups, so other probes run beside them.
"""

from __future__ import annotations

import threading
import time

from auditor.engine import Engine, Job
from auditor.model import AttemptStatus, ErrorReason, Target
from auditor.plugin import Probe, ProbeContext, ProbeUnreachable
from auditor.scope import ScopeGuard

SCOPE = ScopeGuard.from_lists(["127.0.0.0/8"])


def hosts(n: int) -> list[Target]:
    return [Target(id=f"host:g{i}", kind="host", name=f"g{i}", addresses=(f"127.0.24.{i + 1}",)) for i in range(n)]


class Calls:
    """What the probes below saw: the targets of each collect/collect_many call, and concurrency."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.groups: list[list[str]] = []
        self.running: dict[str, int] = {}
        self.peak: dict[str, int] = {}

    def enter(self, names: list[str]) -> None:
        with self.lock:
            self.groups.append(names)
            for name in names:
                self.running[name] = self.running.get(name, 0) + 1
                self.peak[name] = max(self.peak.get(name, 0), self.running[name])

    def leave(self, names: list[str]) -> None:
        with self.lock:
            for name in names:
                self.running[name] -= 1


def batched_probe(calls: Calls, batch: int) -> type[Probe]:
    class Batched(Probe):
        name = "batched"
        target_kinds = frozenset({"host"})

        def collect(self, target, ctx):  # type: ignore[no-untyped-def]
            (result,) = self.collect_many([target], ctx)
            return result

        def collect_many(self, targets, ctx):  # type: ignore[no-untyped-def]
            names = [t.name for t in targets]
            calls.enter(names)
            time.sleep(0.1)
            calls.leave(names)
            return [ProbeUnreachable("nothing listens") if t.name == "g3" else {"seen_with": len(targets)}
                    for t in targets]

    Batched.batch = batch
    return Batched


def single_probe(calls: Calls) -> type[Probe]:
    class Single(Probe):
        name = "single"
        target_kinds = frozenset({"host"})

        def collect(self, target, ctx):  # type: ignore[no-untyped-def]
            calls.enter([target.name])
            time.sleep(0.1)
            calls.leave([target.name])
            return {"ok": True}

    return Single


def test_many_hosts_are_one_call_and_each_gets_its_own_attempt() -> None:
    calls = Calls()
    probe = batched_probe(calls, batch=4)
    attempts = list(Engine(max_workers=8, per_host=2).run([Job(probe, t) for t in hosts(10)],
                                                         ProbeContext(scope=SCOPE, timeout=5)))
    assert sorted(len(group) for group in calls.groups) == [2, 4, 4]
    assert sorted(name for group in calls.groups for name in group) == sorted(t.name for t in hosts(10))
    by_host = {a.target_id: a for a in attempts}
    assert len(attempts) == 10
    assert by_host["host:g3"].error_reason is ErrorReason.UNREACHABLE
    assert all(a.status is AttemptStatus.COMPLETED for t, a in by_host.items() if t != "host:g3")


def test_a_group_holds_each_hosts_slot_and_at_most_half_the_workers() -> None:
    calls = Calls()
    batched, single = batched_probe(calls, batch=8), single_probe(calls)
    jobs = [Job(p, t) for t in hosts(16) for p in (batched, single, single)]
    attempts = list(Engine(max_workers=4, per_host=2).run(jobs, ProbeContext(scope=SCOPE, timeout=5)))
    assert len(attempts) == 48 and all(a.completed or a.target_id == "host:g3" for a in attempts)
    assert max(calls.peak.values()) <= 2  # per host: a group job counts like any other
    assert max(len(group) for group in calls.groups) == 8


def test_a_host_with_a_secret_is_never_put_in_a_group() -> None:
    calls = Calls()
    probe = batched_probe(calls, batch=4)
    secret = {"host:g0": {"password": "s3cret"}, "host:g2": {"password": "s3cret"}}  # the first, and a later one
    list(Engine(max_workers=4, per_host=2).run([Job(probe, t) for t in hosts(4)],
                                              ProbeContext(scope=SCOPE, timeout=5, secrets=secret)))
    assert sorted(calls.groups) == [["g0"], ["g1", "g3"], ["g2"]]


def test_a_group_that_raises_gives_every_host_the_error() -> None:
    class Broken(Probe):
        name = "broken"
        target_kinds = frozenset({"host"})
        batch = 4

        def collect(self, target, ctx):  # type: ignore[no-untyped-def]
            return {}

        def collect_many(self, targets, ctx):  # type: ignore[no-untyped-def]
            raise ValueError("tool crashed")

    attempts = list(Engine(max_workers=4, per_host=2).run([Job(Broken, t) for t in hosts(3)],
                                                         ProbeContext(scope=SCOPE, timeout=5)))
    assert [(a.error_reason, a.error) for a in attempts] == [(ErrorReason.PROBE_BUG, "ValueError: tool crashed")] * 3


def test_hosts_travel_in_groups_only_while_a_groups_budget_ends_inside_the_window() -> None:
    """Near the window's end a group (one tool run over many hosts) would outlive it: jobs go one by one."""
    from datetime import timedelta

    from auditor.engine import JOB_GRACE_S
    from auditor.model import utcnow

    budget = 5 + JOB_GRACE_S
    for left, expected in ((budget + 30, [4, 4]), (budget - 2, [1] * 8)):
        calls = Calls()
        probe = batched_probe(calls, batch=4)
        engine = Engine(max_workers=2, per_host=2, stop_at=utcnow() + timedelta(seconds=left))
        attempts = list(engine.run([Job(probe, t) for t in hosts(8)], ProbeContext(scope=SCOPE, timeout=5)))
        assert len(attempts) == 8 and not any(a.error_reason is ErrorReason.WINDOW_CLOSED for a in attempts)
        assert sorted(len(group) for group in calls.groups) == expected, left
