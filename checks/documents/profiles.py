"""The document-type profiles (``baselines/documents.yaml``), validated on load.

Which documents an audit expects, the phrases that recognise them and the
sections each must have are data, so an auditor can tune them without
touching code.  Every phrase is compiled on load: a typo is reported with
file and line instead of silently never matching.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor.checks.documents.text import Phrase, PhraseError, compile_phrase
from auditor.yamlfile import YamlFileError, load_yaml_with_lines


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compile_all(values: list[str]) -> list[str]:
    for value in values:
        try:
            compile_phrase(value)
        except PhraseError as exc:
            raise ValueError(str(exc)) from None
    return values


class Names(_Strict):
    pl: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Section(_Strict):
    """A part a document of the type should contain, recognised by any of its phrases."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: Names
    required: bool = False
    any: list[str] = Field(min_length=1)

    _phrases = field_validator("any")(classmethod(lambda cls, v: _compile_all(v)))

    def phrases(self) -> list[Phrase]:
        return [compile_phrase(p) for p in self.any]


class DocumentType(_Strict):
    name: Names
    required: bool = True
    needs_approval: bool = True
    """False for records (an audit report, a register): they are dated, not enacted."""
    review_months: int | None = Field(default=None, gt=0)
    title: list[str] = Field(min_length=1)
    body: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)

    _phrases = field_validator("title", "body")(classmethod(lambda cls, v: _compile_all(v)))

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, values: list[Section]) -> list[Section]:
        ids = [s.id for s in values]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate section ids: {ids}")
        return values


class Classification(_Strict):
    """Weights and thresholds of the classifier (see the data file's header)."""

    threshold: float = Field(gt=0, le=1)
    title_weight: float = Field(ge=0, le=1)
    file_weight: float = Field(ge=0, le=1)
    body_weight: float = Field(ge=0, le=1)
    body_max: float = Field(ge=0, le=1)
    title_blocks: int = Field(ge=1)
    title_chars: int = Field(ge=20)
    negation_window: int = Field(ge=0)
    max_gap: int = Field(ge=0, le=5)
    not_the_document: list[str] = Field(default_factory=list)
    draft_markers: list[str] = Field(default_factory=list)

    _phrases = field_validator("not_the_document", "draft_markers")(classmethod(lambda cls, v: _compile_all(v)))


class Profiles(_Strict):
    version: str
    classification: Classification
    default_review_months: int = Field(gt=0)
    types: dict[str, DocumentType] = Field(min_length=1)

    @field_validator("types")
    @classmethod
    def _type_ids(cls, values: dict[str, DocumentType]) -> dict[str, DocumentType]:
        for key in values:
            if not key.replace("_", "").isalnum() or key != key.lower():
                raise ValueError(f"type id {key!r} must be lower_snake_case (it becomes doc.missing.{key})")
        return values

    def review_months(self, type_id: str, overrides: dict[str, int] | None = None) -> int:
        """The review period of a type: inventory override, then the type's, then the default."""
        if overrides and type_id in overrides:
            return int(overrides[type_id])
        return self.types[type_id].review_months or self.default_review_months


def default_path() -> Path:
    return Path(str(resources.files("auditor.baselines").joinpath("documents.yaml")))


def load_profiles(path: Path | str) -> Profiles:
    """Reads and validates a profile file; raises ``YamlFileError`` with the line."""
    document = load_yaml_with_lines(Path(path))
    try:
        return Profiles.model_validate(document.data)
    except ValidationError as exc:
        raise document.error_from_validation(exc) from None


@lru_cache(maxsize=1)
def profiles() -> Profiles:
    """The built-in profiles (loaded once)."""
    return load_profiles(default_path())
