"""Where probe jobs run: local threads (default) or a Dask distributed cluster.

The engine only needs a ``concurrent.futures.Executor``.  For Dask it gets a
``DaskExecutor``, which also answers the three questions the engine must ask
of a cluster and cannot ask of a thread pool:

- *How many jobs can start right now?* (``capacity``) — the engine never
  submits more jobs than the cluster has threads, so a job's deadline
  measures the probe, not the time it waited in the scheduler's queue.
- *Is the cluster still there?* (``lost``) — a killed scheduler cancels every
  future; that is a lost scan (exit 3), not a pile of probe bugs.
- *May a secret travel to it?* (``protects_secrets``) — only over TLS comms.
  Over plain TCP the jobs that carry a secret run in the scanner's own
  threads instead, so a repository password never crosses the wire in clear.

A regional CSIRT points ``--executor dask=tls://scheduler:8786`` (with
``--dask-tls-ca/-cert/-key``) at an existing cluster; with no address a
``LocalCluster`` is started for the run, with throw-away TLS certificates.
"""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from auditor.errors import InputError, ScanFailed
from auditor.i18n import _

#: How long a cluster's thread count is trusted before it is asked again (seconds).
_CAPACITY_TTL_S = 2.0


@dataclass(frozen=True)
class DaskTls:
    """The certificates of a TLS-secured Dask cluster (PEM files), as ``distributed.Security`` takes them."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    def security(self) -> Any:
        from distributed.security import Security

        for path in (self.ca_file, self.cert_file, self.key_file):
            if not path.is_file():
                raise InputError(_("Dask TLS file {path} does not exist").format(path=path))
        return Security(tls_ca_file=str(self.ca_file), tls_client_cert=str(self.cert_file),
                        tls_client_key=str(self.key_file), require_encryption=True)


def parse_executor(spec: str) -> tuple[str, str | None]:
    """``threads`` | ``dask`` | ``dask=ADDRESS`` → (kind, address)."""
    kind, _sep, address = spec.partition("=")
    if kind not in ("threads", "dask"):
        raise InputError(_("--executor must be 'threads', 'dask' or 'dask=ADDRESS', not {spec!r}").format(spec=spec))
    if kind == "threads" and address:
        raise InputError(_("--executor threads takes no address"))
    return kind, address or None


class DaskExecutor(Executor):
    """A Dask client's executor plus what the engine must know about the cluster behind it."""

    #: Extra seconds past a job's own timeout before the engine gives up on it: a job lost with
    #: its worker is rescheduled by Dask and starts again, so it may need its whole budget twice.
    retry_grace_factor = 2.0

    def __init__(self, client: Any, *, encrypted: bool) -> None:
        self._client = client
        self._inner = client.get_executor(pure=False)
        self.protects_secrets = encrypted
        self._capacity = (0, 0.0)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._inner.submit(fn, *args, **kwargs)

    def capacity(self) -> int:
        """Threads of all workers now connected (at least 1, so a scan waiting for workers still starts)."""
        value, asked = self._capacity
        if time.monotonic() - asked > _CAPACITY_TTL_S:
            try:
                value = sum(self._client.nthreads().values())
            except Exception:  # noqa: BLE001 - a lost scheduler is answered by lost()
                value = 0
            self._capacity = (value, time.monotonic())
        return max(1, value)

    def lost(self) -> bool:
        """True once the client has lost its scheduler (it is then reconnecting or closed, and every
        future is cancelled — even one the scheduler would have finished)."""
        return self._client.status != "running"

    @staticmethod
    def lost_with_worker(exc: BaseException) -> bool:
        """The job's worker died under it (Dask gives up after its own retries with ``KilledWorker``)."""
        return type(exc).__name__ in ("KilledWorker", "CommClosedError")

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait, cancel_futures=cancel_futures)


@contextlib.contextmanager
def open_executor(spec: str, *, workers: int, tls: DaskTls | None = None) -> Iterator[Executor | None]:
    """Yields the executor for ``spec`` (``None`` = the engine's own threads) and closes it after."""
    kind, address = parse_executor(spec)
    if kind == "threads":
        if tls is not None:
            raise InputError(_("--dask-tls-* options need --executor dask=ADDRESS"))
        yield None
        return
    try:
        from distributed import Client, LocalCluster
        from distributed.security import Security
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise ScanFailed("dask[distributed] is not installed") from exc
    cluster = None
    try:
        if address:
            if tls is None and address.startswith("tls://"):
                raise InputError(_("{address} is a TLS scheduler: give --dask-tls-ca, --dask-tls-cert and --dask-tls-key").format(
                    address=address))
            security = tls.security() if tls else None
            client = Client(address, timeout="20s", security=security)
        else:
            # Probes wait on the network, not the CPU: few processes, many threads each.  The
            # cluster's own comms are TLS with throw-away certificates, so secrets may travel.
            security = Security.temporary()
            cluster = LocalCluster(n_workers=2, threads_per_worker=max(1, workers // 2), processes=True,
                                   dashboard_address=None, silence_logs=40, security=security,
                                   protocol="tls://", host="127.0.0.1")
            client = Client(cluster, security=security)
    except OSError as exc:
        raise ScanFailed(f"cannot reach the Dask scheduler {address}: {exc}") from exc
    try:
        yield DaskExecutor(client, encrypted=security is not None and bool(security.require_encryption))
    finally:
        with contextlib.suppress(Exception):
            client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()
