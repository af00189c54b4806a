"""The office's answers to the manual questions of the baselines.

An ``attestations.yaml`` — referenced from the inventory as
``extensions: {attestations: attestations.yaml}`` (relative to the
inventory file) — records, per question id, the answer, its result
(``yes`` / ``partial`` / ``no``), who gave it and when.  The answers are
stored in the ScanRun (``extras.attestations``) and turned into
``manual`` findings by the scorer, so a stored run can be scored again.
An answer to a question no baseline asks is an error with file and line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from auditor import model
from auditor.baseline import Baseline
from auditor.yamlfile import load_yaml_with_lines, validate_mapping

INVENTORY_KEY = "attestations"


class Attestation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    """The manual question id from the baseline (``auditor baselines --questions`` lists them)."""
    result: Literal["yes", "partial", "no"]
    answer: str = Field(min_length=1, max_length=2000)
    by: str = Field(min_length=1, max_length=200)
    date: dt.date
    reference: str | None = Field(default=None, max_length=500)
    """Document number, register entry or file where the evidence is kept."""

    @field_validator("result", mode="before")
    @classmethod
    def _yaml_booleans(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted yes/no as a boolean; the user meant the word
        return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


class AttestationsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    attestations: list[Attestation] = Field(default_factory=list)


_STORED = TypeAdapter(model.Attestation)


def load_attestations(path: Path, baselines: Iterable[Baseline]) -> tuple[model.Attestation, ...]:
    """Validated answers; unknown or repeated question ids are errors with file and line."""
    document = load_yaml_with_lines(path)
    parsed = validate_mapping(document, AttestationsFile, "expected a mapping with 'attestations:'")
    known = {item_id for b in baselines for item_id in b.manual_items()}
    seen: set[str] = set()
    for index, attestation in enumerate(parsed.attestations):
        if attestation.id not in known:
            raise document.error(("attestations", index, "id"),
                                 f"unknown question id {attestation.id!r}; `auditor baselines --questions` lists them")
        if attestation.id in seen:
            raise document.error(("attestations", index, "id"), f"question {attestation.id!r} answered twice")
        seen.add(attestation.id)
    return tuple(_STORED.validate_python(a.model_dump()) for a in parsed.attestations)


def attestations_path(inventory_path: Path, extensions: dict[str, Any]) -> Path | None:
    """The attestations file named in the inventory's ``extensions``, relative to the inventory."""
    value = extensions.get(INVENTORY_KEY)
    if not value:
        return None
    return (inventory_path.parent / str(value)).resolve()
