"""Runs file parsers in a child process with a deadline and a memory cap.

A parser cannot be interrupted from inside Python: a crafted PDF can keep
pypdf busy for minutes or inflate a stream into gigabytes.  So extraction
happens in one long-lived child process whose address space is capped;
when a call overruns its deadline the child is killed and a fresh one is
started for the next file.  The child is a plain ``subprocess`` (not
``multiprocessing``), so it also starts inside a daemonic Dask worker,
which may not fork multiprocessing children; requests and replies are
pickled over two pipes.
"""

from __future__ import annotations

import os
import subprocess
import sys
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


def _serve(requests: Connection, replies: Connection, memory_bytes: int) -> None:
    """Child loop: receive (function, args), send back ("ok", result) or ("error", kind, message, reason)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, ValueError, OSError):
        pass  # platforms without RLIMIT_AS still get the deadline
    while True:
        try:
            request = requests.recv()
        except EOFError:
            return
        if request is None:
            return
        function, args = request
        try:
            replies.send(("ok", function(*args)))
        except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent, the loop goes on
            replies.send(("error", type(exc).__name__, str(exc)[:500], getattr(exc, "reason", None)))


class IsolatedWorker:
    """One child process, restarted after a timeout or a crash.  Use as a context manager."""

    def __init__(self, memory_bytes: int = DEFAULT_MEMORY_BYTES) -> None:
        self.memory_bytes = memory_bytes
        self._process: subprocess.Popen[bytes] | None = None
        self._requests: Connection | None = None
        self._replies: Connection | None = None

    def __enter__(self) -> "IsolatedWorker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> tuple[Connection, Connection]:
        if self._process is None or self._requests is None or self._replies is None:
            request_read, request_write = os.pipe()
            reply_read, reply_write = os.pipe()
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
            try:
                self._process = subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        f"from {__name__} import main; main()",
                        str(request_read),
                        str(reply_write),
                        str(self.memory_bytes),
                    ],
                    pass_fds=(request_read, reply_write),
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            finally:
                os.close(request_read)
                os.close(reply_write)
            self._requests = Connection(request_write, readable=False)
            self._replies = Connection(reply_read, writable=False)
        return self._requests, self._replies

    def call(self, function: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
        """``function(*args)`` in the child; raises ``WorkerTimeout`` or ``WorkerFailed``."""
        try:
            requests, replies = self._start()
            requests.send((function, args))
        except OSError:  # the child died between calls (killed from outside)
            self._kill()
            requests, replies = self._start()
            requests.send((function, args))
        if not replies.poll(max(timeout, 0.001)):
            self._kill()
            raise WorkerTimeout(f"no result within {timeout:.1f} s")
        try:
            reply = replies.recv()
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
            self._process.wait(5)
        self._close_pipes()
        self._process = None

    def _close_pipes(self) -> None:
        for connection in (self._requests, self._replies):
            if connection is not None:
                connection.close()
        self._requests = self._replies = None

    def close(self) -> None:
        """Asks the child to finish, then makes sure it has."""
        if self._process is not None and self._requests is not None:
            try:
                self._requests.send(None)
                self._process.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._kill()


def main() -> None:
    """Entry point of the child process: ``main <request fd> <reply fd> <memory bytes>``."""
    request_fd, reply_fd, memory_bytes = (int(value) for value in sys.argv[1:4])
    _serve(Connection(request_fd, writable=False), Connection(reply_fd, readable=False), memory_bytes)
