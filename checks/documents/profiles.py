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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from auditor.checks.documents import lexicon
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


class Kind(_Strict):
    """What sort of paper a document is (a policy, an act, a register, a petition …), from its head.

    A kind is recognised by a ``markers`` phrase that *starts* one of the
    document's opening lines ("Petycja …", "Zarządzenie Nr …", "Rejestr …").
    ``types: false`` kinds (petitions, requests, procurement, resolutions,
    minutes, letters) are never one of the expected documents, whatever
    they mention; ``approval: false`` kinds (records, reports) are judged
    for being kept and current, not for being enacted.
    """

    name: Names
    markers: list[str] = Field(default_factory=list)
    types: bool = True
    approval: bool = True

    _phrases = field_validator("markers")(classmethod(lambda cls, v: _compile_all(v)))


class Act(_Strict):
    """How an act names what it introduces: "Zarządzenie … w sprawie wprowadzenia Polityki …"."""

    subject: list[str] = Field(min_length=1)
    """Phrases that open the act's subject ("w sprawie")."""
    enacting: list[str] = Field(min_length=1)
    """First words of a subject that introduce a document (wprowadzenie, przyjęcie …); other
    subjects (powołanie, rozpatrzenie petycji …) introduce none."""

    _phrases = field_validator("subject", "enacting")(classmethod(lambda cls, v: _compile_all(v)))


class DocumentType(_Strict):
    name: Names
    required: bool = True
    needs_approval: bool = True
    """False for records (an audit report, a register): they are dated, not enacted."""
    kinds: list[str] = Field(default_factory=lambda: ["policy", "act"])
    """The kinds of paper a document of this type can be (a register cannot be remote-work rules)."""
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
    max_gap: int = Field(ge=0, le=5)
    title_gap: int = Field(ge=0, le=6)
    """Words allowed inside a title phrase matched in the one-line subject ("Zasady tworzenia i stosowania haseł")."""
    kind_gap: int = Field(ge=0, le=8)
    """Words allowed inside a kind marker ("Protokół Nr XXIV/2026 z XXIV sesji")."""
    kind_within: int = Field(ge=0, le=3)
    """A kind marker must start within the first ``kind_within + 1`` words of its line."""
    default_kind: str
    """The kind of a titled document without a marker (a "Polityka …", "Plan …")."""
    head_lines: list[str] = Field(default_factory=list)
    """Openings of lines that are neither title nor kind (an annex note, "Tekst jednolity", a case number)."""
    draft_markers: list[str] = Field(default_factory=list)

    _phrases = field_validator("head_lines", "draft_markers")(classmethod(lambda cls, v: _compile_all(v)))


class Profiles(_Strict):
    version: str
    classification: Classification
    default_review_months: int = Field(gt=0)
    act: Act
    kinds: dict[str, Kind] = Field(min_length=1)
    """In priority order: on one line, the first kind whose marker starts it wins."""
    types: dict[str, DocumentType] = Field(min_length=1)

    @field_validator("types")
    @classmethod
    def _type_ids(cls, values: dict[str, DocumentType]) -> dict[str, DocumentType]:
        for key in values:
            if not key.replace("_", "").isalnum() or key != key.lower():
                raise ValueError(f"type id {key!r} must be lower_snake_case (it becomes doc.missing.{key})")
        return values

    @model_validator(mode="after")
    def _known_kinds(self) -> "Profiles":
        known = set(self.kinds)
        if self.classification.default_kind not in known:
            raise ValueError(f"classification.default_kind {self.classification.default_kind!r} is not a kind")
        for type_id, profile in self.types.items():
            unknown = set(profile.kinds) - known
            if unknown:
                raise ValueError(f"type {type_id}: unknown kinds {sorted(unknown)} (known: {sorted(known)})")
        return self

    def phrase_words(self) -> set[str]:
        """Every plain (lexicon-matched) word of every phrase, to prepare the lexicon in one pass."""
        sources = [*self.act.subject, *self.act.enacting, *self.classification.head_lines]
        sources += self.classification.draft_markers
        sources += [m for kind in self.kinds.values() for m in kind.markers]
        for profile in self.types.values():
            sources += profile.title + profile.body + [p for s in profile.sections for p in s.any]
        return {word for source in sources for word in compile_phrase(source).plain_words()}

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
        loaded = Profiles.model_validate(document.data)
    except ValidationError as exc:
        raise document.error_from_validation(exc) from None
    lexicon.prepare(loaded.phrase_words())
    return loaded


@lru_cache(maxsize=1)
def profiles() -> Profiles:
    """The built-in profiles (loaded once)."""
    return load_profiles(default_path())
