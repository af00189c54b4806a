"""Runs file parsers in a child process with a deadline and a memory cap.

A parser cannot be interrupted from inside Python: a crafted PDF can keep
pypdf busy for minutes or inflate a stream into gigabytes.  So extraction
happens in one long-lived child process (``spawn``, safe next to the
engine's threads) whose address space is capped; when a call overruns its
deadline the child is killed and a fresh one is started for the next file.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from typing import Any, Callable

DEFAULT_MEMORY_BYTES = 1536 * 1024 * 1024


class WorkerTimeout(Exception):
    """The call did not finish within its deadline; the child was killed."""


class WorkerFailed(Exception):
    """The call raised in the child (``kind`` is the exception class name) or the child died."""

    def __init__(self, kind: str, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.reason = reason


def _serve(conn: Connection, memory_bytes: int) -> None:
    """Child loop: receive (function, args), send back ("ok", result) or ("error", kind, message, reason)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, ValueError, OSError):
        pass  # platforms without RLIMIT_AS still get the deadline
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        function, args = request
        try:
            conn.send(("ok", function(*args)))
        except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent, the loop goes on
            conn.send(("error", type(exc).__name__, str(exc)[:500], getattr(exc, "reason", None)))


class IsolatedWorker:
    """One child process, restarted after a timeout or a crash.  Use as a context manager."""

    def __init__(self, memory_bytes: int = DEFAULT_MEMORY_BYTES) -> None:
        self.memory_bytes = memory_bytes
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._conn: Connection | None = None

    def __enter__(self) -> "IsolatedWorker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> Connection:
        if self._conn is None:
            parent, child = self._context.Pipe()
            self._process = self._context.Process(target=_serve, args=(child, self.memory_bytes), daemon=True)
            self._process.start()
            child.close()
            self._conn = parent
        return self._conn

    def call(self, function: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
        """``function(*args)`` in the child; raises ``WorkerTimeout`` or ``WorkerFailed``."""
        try:
            conn = self._start()
            conn.send((function, args))
        except (BrokenPipeError, OSError):  # the child died between calls (killed from outside)
            self._kill()
            conn = self._start()
            conn.send((function, args))
        if not conn.poll(max(timeout, 0.001)):
            self._kill()
            raise WorkerTimeout(f"no result within {timeout:.1f} s")
        try:
            reply = conn.recv()
        except (EOFError, OSError):
            self._kill()
            raise WorkerFailed("crashed", "the parser process died (memory limit or crash)", "crashed") from None
        if reply[0] == "ok":
            return reply[1]
        _, kind, message, reason = reply
        raise WorkerFailed(kind, message, reason)

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = None
        self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        if self._process is not None:
            self._process.join(2)
        self._kill()
