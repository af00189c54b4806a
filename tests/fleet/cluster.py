"""A real Dask cluster for the tests: ``dask scheduler`` and ``dask worker`` processes, optionally TLS.

Not ``LocalCluster``: the scanner talks to separate processes exactly as it
would to a powiat's cluster, and the tests can kill one of them.  A
``RecordingProxy`` can sit between the scanner (and the workers) and the
scheduler and keep every byte that crossed it, to look for secrets.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from auditor.demo.services import free_port

BIN = Path(sys.executable).parent


def _wait_port(port: int, deadline_s: float = 30.0) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {deadline_s} s")


@dataclass
class TlsFiles:
    ca: Path
    cert: Path
    key: Path

    @classmethod
    def make(cls, folder: Path) -> "TlsFiles":
        import trustme

        ca = trustme.CA()
        leaf = ca.issue_cert("127.0.0.1", "localhost")
        files = cls(folder / "ca.pem", folder / "node.pem", folder / "node.key")
        ca.cert_pem.write_to_path(str(files.ca))
        leaf.cert_chain_pems[0].write_to_path(str(files.cert))
        leaf.private_key_pem.write_to_path(str(files.key))
        return files

    def args(self) -> list[str]:
        return ["--tls-ca-file", str(self.ca), "--tls-cert", str(self.cert), "--tls-key", str(self.key)]

    def cli(self) -> list[str]:
        return ["--dask-tls-ca", str(self.ca), "--dask-tls-cert", str(self.cert), "--dask-tls-key", str(self.key)]


class RecordingProxy:
    """Forwards 127.0.0.1:``port`` to ``upstream`` and records everything, both ways."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = free_port()
        self.recorded = bytearray()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                with self._lock:
                    self.recorded += data
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._listener.close()


@dataclass
class DaskCluster:
    """One scheduler and ``workers`` single-thread workers; ``address`` is what the scanner is given."""

    workers: int = 2
    tls: TlsFiles | None = None
    record: bool = False
    env: dict[str, str] = field(default_factory=dict)
    scheduler: subprocess.Popen | None = None
    worker_processes: list[subprocess.Popen] = field(default_factory=list)
    proxy: RecordingProxy | None = None
    port: int = 0

    def start(self) -> "DaskCluster":
        self.port = free_port()
        scheme = "tls" if self.tls else "tcp"
        tls_args = self.tls.args() if self.tls else []
        self.scheduler = self._spawn(["scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--no-dashboard", "--protocol", scheme, *tls_args])
        _wait_port(self.port)
        if self.record:
            self.proxy = RecordingProxy(self.port)
        for _ in range(self.workers):
            self.worker_processes.append(self._spawn(["worker", f"{scheme}://127.0.0.1:{self.connect_port}",
                                                      "--nthreads", "1", "--no-dashboard", "--no-nanny",
                                                      "--host", "127.0.0.1", *tls_args]))
        self._wait_workers()
        return self

    @property
    def connect_port(self) -> int:
        return self.proxy.port if self.proxy else self.port

    @property
    def address(self) -> str:
        return f"{'tls' if self.tls else 'tcp'}://127.0.0.1:{self.connect_port}"

    def _spawn(self, args: list[str]) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITOR_TEST_SECRET")}
        env.update(self.env)
        return subprocess.Popen([str(BIN / "dask"), *args], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)

    def _wait_workers(self) -> None:
        from distributed import Client
        from distributed.security import Security

        security = (Security(tls_ca_file=str(self.tls.ca), tls_client_cert=str(self.tls.cert),
                             tls_client_key=str(self.tls.key), require_encryption=True) if self.tls else None)
        with Client(f"{'tls' if self.tls else 'tcp'}://127.0.0.1:{self.port}", timeout="30s",
                    security=security) as client:
            client.wait_for_workers(self.workers, timeout=60)

    def kill_worker(self, index: int = 0) -> None:
        os.killpg(self.worker_processes[index].pid, signal.SIGKILL)

    def kill_scheduler(self) -> None:
        assert self.scheduler is not None
        os.killpg(self.scheduler.pid, signal.SIGKILL)

    def stop(self) -> None:
        for process in [*self.worker_processes, self.scheduler]:
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=10)
        if self.proxy:
            self.proxy.close()
