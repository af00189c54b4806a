"""The ``documents`` evidence source: the folder(s) where the office keeps its security documentation."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from auditor.checks.documents.profiles import profiles
from auditor.inventory import SourceBase

DEFAULT_MAX_FILES = 2000
DEFAULT_MAX_FILE_MB = 50.0
DEFAULT_FILE_TIMEOUT_S = 30.0


class DocumentsSource(SourceBase):
    """``sources: [{type: documents, name: ..., path: ..., review_months: {pbi: 24}}]``.

    Paths are relative to the inventory file.  ``review_months`` overrides
    the review period of a document type (default: the profile's, 12 months).
    The caps bound one scan of a shared drive that turned out to be huge.
    """

    type: Literal["documents"] = "documents"
    path: str | None = None
    paths: list[str] = Field(default_factory=list)
    review_months: dict[str, int] = Field(default_factory=dict)
    max_files: int = Field(default=DEFAULT_MAX_FILES, ge=1, le=100_000)
    max_file_mb: float = Field(default=DEFAULT_MAX_FILE_MB, gt=0, le=2048)
    file_timeout_s: float = Field(default=DEFAULT_FILE_TIMEOUT_S, gt=0, le=3600)

    @field_validator("review_months")
    @classmethod
    def _known_types(cls, values: dict[str, int]) -> dict[str, int]:
        known = profiles().types
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(f"unknown document type(s) {', '.join(unknown)}; known: {', '.join(known)}")
        bad = sorted(k for k, v in values.items() if v <= 0)
        if bad:
            raise ValueError(f"review period must be a positive number of months: {', '.join(bad)}")
        return values

    @model_validator(mode="after")
    def _has_a_path(self) -> "DocumentsSource":
        if not self.path and not self.paths:
            raise ValueError("give the documents folder as 'path' (or several as 'paths')")
        return self
