"""The engine on a real Dask cluster (separate ``dask scheduler`` / ``dask worker`` processes).

Jobs are a probe that only sleeps, so the timings are the engine's alone:
queue time must not count as probe time, a worker killed mid-job must not
lose the job, a killed scheduler must be ``cluster_lost`` (not probe bugs),
and a job must carry only its own target's secrets.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from auditor.engine import Engine, Job
from auditor.executors import open_executor
from auditor.model import AttemptStatus, ErrorReason, Target
from auditor.plugin import ProbeContext
from auditor.scope import ScopeGuard

from cluster import DaskCluster
from sleepy_probe import SleepyProbe

pytestmark = pytest.mark.e2e
HERE = Path(__file__).parent


def jobs(count: int, seconds: float) -> list[Job]:
    return [Job(SleepyProbe, Target(id=f"host:h{n}", kind="host", name=f"h{n}", addresses=(f"127.127.0.{n + 1}",),
                                    attrs={"seconds": seconds})) for n in range(count)]


def context(**secrets: dict[str, str]) -> ProbeContext:
    return ProbeContext(scope=ScopeGuard.from_lists(["127.127.0.0/16"]), timeout=4.0, secrets=secrets)


@pytest.fixture
def cluster():
    running = DaskCluster(workers=2, env={"PYTHONPATH": str(HERE)}).start()
    yield running
    running.stop()


def run_all(cluster: DaskCluster, planned: list[Job], ctx: ProbeContext, during=None) -> list:
    with open_executor(f"dask={cluster.address}", workers=2) as executor:
        engine = Engine(max_workers=16, per_host=2, executor=executor)
        if during:
            threading.Thread(target=during, daemon=True).start()
        return list(engine.run(planned, ctx))


def test_queue_time_is_not_probe_time(cluster) -> None:
    # 8 jobs of 3 s on 2 single-thread workers: the last start ~9 s after submission, past a
    # 4 s timeout (+5 s grace) if the deadline counted from submission.
    attempts = run_all(cluster, jobs(8, 3.0), context())
    assert [a.status for a in attempts] == [AttemptStatus.COMPLETED] * 8, [(a.status, a.error) for a in attempts]


def test_a_killed_worker_loses_no_job(cluster) -> None:
    attempts = run_all(cluster, jobs(4, 3.0), context(), during=lambda: (time.sleep(1.5), cluster.kill_worker(0)))
    assert sorted(a.target_id for a in attempts) == [f"host:h{n}" for n in range(4)]
    assert all(a.status is AttemptStatus.COMPLETED for a in attempts), [(a.target_id, a.error) for a in attempts]


def test_a_killed_scheduler_is_a_lost_cluster_naming_every_lost_job(cluster) -> None:
    attempts = run_all(cluster, jobs(6, 3.0), context(), during=lambda: (time.sleep(1.5), cluster.kill_scheduler()))
    lost = [a for a in attempts if a.status is AttemptStatus.ERROR]
    assert len(attempts) == 6
    assert lost and all(a.error_reason is ErrorReason.CLUSTER_LOST for a in lost), [(a.error_reason, a.error) for a in lost]


def test_a_job_carries_only_its_own_targets_secret_over_tls(tmp_path) -> None:
    from cluster import TlsFiles

    tls = TlsFiles.make(tmp_path)
    running = DaskCluster(workers=1, tls=tls, env={"PYTHONPATH": str(HERE)}).start()
    try:
        from auditor.executors import DaskTls

        planned = jobs(2, 0.1)
        ctx = context(**{"host:h0": {"password": "haslo-h0"}, "host:h1": {"password": "haslo-h1"}})
        with open_executor(f"dask={running.address}", workers=1,
                           tls=DaskTls(tls.ca, tls.cert, tls.key)) as executor:
            attempts = list(Engine(executor=executor).run(planned, ctx))
    finally:
        running.stop()
    seen = {a.target_id: a.evidence["secret_seen"] for a in attempts}
    assert seen == {"host:h0": "haslo-h0", "host:h1": "haslo-h1"}
