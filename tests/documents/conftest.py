"""Fixtures of the documents tests: real files written by python-docx, odfpy and WeasyPrint."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

from auditor.demo.doccorpus import Labelled, corpus, scanned_pbi
from auditor.demo.docwriter import write
from auditor.model import Evidence, Target
from auditor.plugin import JudgeContext, Verdict
from auditor.registry import default_registry
from docs_helpers import probe_folder


@pytest.fixture(scope="session")
def today() -> date:
    return datetime.now(timezone.utc).date()


@pytest.fixture(scope="session")
def labelled(today: date) -> list[Labelled]:
    return corpus(today)


@pytest.fixture(scope="session")
def corpus_evidence(tmp_path_factory: pytest.TempPathFactory, labelled: list[Labelled], today: date) -> Evidence:
    """The whole labelled corpus plus a scanned PDF, probed once for the session."""
    folder = tmp_path_factory.mktemp("corpus")
    for item in labelled:
        write(item.doc, folder)
    write(scanned_pbi(today), folder)
    return probe_folder(folder)


@pytest.fixture
def judge_check() -> Callable[..., list[Verdict]]:
    """Calls a registered check on evidence at a given time; returns its verdicts."""

    def run(check_id: str, evidence: Evidence, now: datetime, attrs: dict[str, Any] | None = None) -> list[Verdict]:
        spec = default_registry().checks[check_id]
        target = Target(id="documents:test", kind="documents", name="test", attrs=attrs or {})
        return list(spec.evaluate(evidence, target, JudgeContext(now=now)))

    return run
