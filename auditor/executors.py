"""Where probe jobs run: local threads (default) or a Dask distributed cluster.

The engine only needs a ``concurrent.futures.Executor``.  For Dask that is
``Client.get_executor()``; the engine keeps its own per-job deadline and
per-host cap, so results are the same whichever executor runs the jobs.
A regional CSIRT points ``--executor dask=tcp://scheduler:8786`` at an
existing cluster; with no address a ``LocalCluster`` is started for the run.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Executor
from typing import Iterator

from auditor.errors import InputError, ScanFailed


def parse_executor(spec: str) -> tuple[str, str | None]:
    """``threads`` | ``dask`` | ``dask=ADDRESS`` → (kind, address)."""
    kind, _, address = spec.partition("=")
    if kind not in ("threads", "dask"):
        raise InputError(f"--executor must be 'threads', 'dask' or 'dask=ADDRESS', not {spec!r}")
    if kind == "threads" and address:
        raise InputError("--executor threads takes no address")
    return kind, address or None


@contextlib.contextmanager
def open_executor(spec: str, *, workers: int) -> Iterator[Executor | None]:
    """Yields the executor for ``spec`` (``None`` = the engine's own threads) and closes it after."""
    kind, address = parse_executor(spec)
    if kind == "threads":
        yield None
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise ScanFailed("dask[distributed] is not installed") from exc
    cluster = None
    try:
        if address:
            client = Client(address, timeout="20s")
        else:
            # Probes wait on the network, not the CPU: few processes, many threads each.
            cluster = LocalCluster(n_workers=2, threads_per_worker=max(1, workers // 2), processes=True,
                                   dashboard_address=None, silence_logs=40)
            client = Client(cluster)
    except OSError as exc:
        raise ScanFailed(f"cannot reach the Dask scheduler {address}: {exc}") from exc
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
