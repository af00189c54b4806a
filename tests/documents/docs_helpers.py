"""Helpers shared by the documents tests (a module, not fixtures, so tests can pass arguments)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.checks.documents.probe import DocumentsProbe
from auditor.model import Evidence, Target
from auditor.plugin import ProbeContext
from auditor.scope import ScopeGuard


def probe_folder(folder: Path, timeout: float = 120, **attrs: Any) -> Evidence:
    """Runs the real documents probe over ``folder``."""
    ctx = ProbeContext(scope=ScopeGuard.from_lists(["127.0.0.0/8"], []), timeout=timeout)
    target = Target(id="documents:test", kind="documents", name="test", attrs={"path": str(folder), **attrs})
    return DocumentsProbe().collect(target, ctx)


def by_path(evidence: Evidence) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in evidence["files"]}


def isolated_len_in(queue: Any, text: str) -> None:
    """Target of a daemonic process (as a Dask worker is): the parser worker must still start."""
    from auditor.checks.documents.worker import IsolatedWorker

    with IsolatedWorker() as worker:
        queue.put(worker.call(len, (text,), 30))
