"""The engine: failures become data, hangs time out, the per-host cap holds, Ctrl-C keeps results.

The probes here are small real probes (they sleep, raise, count) plugged in
through the same Family/Registry API as the built-in families.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import yaml

from auditor.engine import Engine, Job, run_job
from auditor.judge import judge
from auditor.model import AttemptStatus, ErrorReason, Status, Target
from auditor.plugin import Family, JudgeContext, Probe, ProbeContext, ProbeUnreachable, passed
from auditor.registry import Registry
from auditor.scope import ScopeGuard

SCOPE = ScopeGuard.from_lists(["127.0.0.0/8"])


def make_family(tmp_path: Path) -> tuple[Family, dict]:
    """A family with probes that behave badly on purpose, and one check reading each."""
    state = {"running": {}, "peak": {}, "lock": threading.Lock()}
    family = Family("lab", str(tmp_path / "lab.py"))

    @family.probe
    class Fine(Probe):
        name = "fine"
        target_kinds = frozenset({"host"})

        def collect(self, target, ctx):
            key = target.id
            with state["lock"]:
                state["running"][key] = state["running"].get(key, 0) + 1
                state["peak"][key] = max(state["peak"].get(key, 0), state["running"][key])
            time.sleep(0.05)
            with state["lock"]:
                state["running"][key] -= 1
            return {"ok": True}

    @family.probe
    class Raises(Probe):
        name = "raises"
        target_kinds = frozenset({"host"})

        def collect(self, target, ctx):
            raise ValueError("boom")

    @family.probe
    class Refused(Probe):
        name = "refused"
        target_kinds = frozenset({"host"})

        def collect(self, target, ctx):
            raise ProbeUnreachable("connection refused")

    @family.probe
    class Hangs(Probe):
        name = "hangs"
        target_kinds = frozenset({"host"})
        timeout = 0.2

        def collect(self, target, ctx):
            time.sleep(6.5)  # ignores its timeout: the engine's deadline must still fire
            return {}

    for probe in ("fine", "raises", "refused", "hangs"):
        family.check(f"lab.{probe}", reads=probe)(lambda ev, target, ctx: [passed()])
    texts = {f"lab.{p}": {"severity": "low", "title": {"pl": p, "en": p}, "remediation": {"pl": "-", "en": "-"}}
             for p in ("fine", "raises", "refused", "hangs")}
    (tmp_path / "lab.yaml").write_text(yaml.safe_dump({"checks": texts}), encoding="utf-8")
    return family, state


def targets(n: int) -> list[Target]:
    return [Target(id=f"host:h{i}", kind="host", name=f"h{i}", addresses=(f"127.0.40.{i + 1}",)) for i in range(n)]


def ctx() -> ProbeContext:
    return ProbeContext(scope=SCOPE, timeout=5)


def test_failures_become_error_findings_and_the_scan_goes_on(tmp_path: Path) -> None:
    family, _ = make_family(tmp_path)
    registry = Registry()
    registry.add(family, "test")
    jobs = [Job(p, t) for t in targets(2) for p in registry.probes.values()]
    attempts = list(Engine(max_workers=8, per_host=4).run(jobs, ctx()))
    by_probe = {a.probe: a for a in attempts if a.target_id == "host:h0"}
    assert by_probe["fine"].status is AttemptStatus.COMPLETED
    assert (by_probe["raises"].error_reason, by_probe["raises"].error) == (ErrorReason.PROBE_BUG, "ValueError: boom")
    assert by_probe["refused"].error_reason is ErrorReason.UNREACHABLE
    assert by_probe["hangs"].error_reason is ErrorReason.TIMEOUT
    findings = judge(registry.checks.values(), targets(2), attempts, JudgeContext(now=attempts[0].started))
    statuses = {(f.target_id, f.check_id): f.status for f in findings}
    assert statuses[("host:h1", "lab.fine")] is Status.PASS
    assert [statuses[("host:h1", f"lab.{p}")] for p in ("raises", "refused", "hangs")] == [Status.ERROR] * 3


def test_per_host_cap_is_respected(tmp_path: Path) -> None:
    family, state = make_family(tmp_path)
    fine = next(p for p in family.probes if p.name == "fine")
    jobs = [Job(fine, t) for t in targets(3) for _ in range(6)]
    attempts = list(Engine(max_workers=12, per_host=2).run(jobs, ctx()))
    assert len(attempts) == 18 and all(a.completed for a in attempts)
    assert max(state["peak"].values()) == 2


def test_ctrl_c_reports_unfinished_jobs_as_interrupted_then_stops(tmp_path: Path) -> None:
    family, _ = make_family(tmp_path)
    fine = next(p for p in family.probes if p.name == "fine")
    jobs = [Job(fine, t) for t in targets(1) for _ in range(10)]
    stream = Engine(max_workers=1, per_host=1).run(jobs, ctx())
    first = next(stream)
    after: list = []
    with pytest.raises(KeyboardInterrupt):
        after.append(stream.throw(KeyboardInterrupt()))
        after.extend(stream)
    assert first.completed
    assert len(after) == 9
    assert {a.error_reason for a in after} == {ErrorReason.INTERRUPTED}


def test_run_job_classifies_exceptions(tmp_path: Path) -> None:
    family, _ = make_family(tmp_path)
    raises = next(p for p in family.probes if p.name == "raises")
    attempt = run_job(Job(raises, targets(1)[0]), ctx())
    assert attempt.status is AttemptStatus.ERROR and attempt.evidence is None
