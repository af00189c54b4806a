"""Baselines as data: the legal requirements a scan is scored against.

A baseline is one YAML file (``baselines/kri.yaml``, ``nis2.yaml``,
``ksc.yaml`` ship with auditor; users add their own with ``--baselines``).
Each requirement names its legal reference, bilingual title, description
and remediation, the checks that give automated evidence for it (with a
weight 1–3) and the questions only a person can answer (manual evidence,
answered in ``attestations.yaml``).  Files are validated strictly on load:
an unknown key, a duplicate id or a check id the registry does not know is
an error naming the file and the line, so a typo never silently drops
evidence.  How findings turn into requirement statuses and scores is
written once, in ``auditor.scoring``.

Legal paragraph numbers that may change (the 2024 KRI regulation renumbered
the 2012 one) are written once per file in ``paragraphs``; requirement
references use placeholders such as ``{szbi}``, and ``legacy_ref`` is
derived from the same template with the legacy numbers.  A correction is
then a one-line change.

A YAML file in a baselines folder is a baseline when its top level has a
``requirements`` key; other files there (knowledge data such as end-of-life
tables) are left alone.
"""

from __future__ import annotations

import difflib
import string
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditor.errors import InputError
from auditor.inventory import EntityClass
from auditor.plugin import Bilingual
from auditor.registry import Registry, default_registry
from auditor.yamlfile import YamlDocument, YamlFileError, load_yaml_with_lines, parse_yaml_text

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckRef(_Strict):
    """A check giving automated evidence for a requirement, with its weight."""

    id: str = Field(min_length=3)
    weight: int = Field(default=1, ge=1, le=3)


class ManualItem(_Strict):
    """A question a person answers in ``attestations.yaml``; stale after ``period_months``."""

    id: str = Field(pattern=ID_PATTERN)
    question: Bilingual
    period_months: int = Field(default=12, ge=1, le=120)
    weight: int = Field(default=1, ge=1, le=3)


class Requirement(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    ref: str = Field(min_length=1)
    """Legal reference as cited in the report, e.g. ``KRI §19 ust. 2 pkt 12 lit. d``."""
    legacy_ref: str | None = None
    """The same provision in the act it replaced (filled from ``paragraphs`` when omitted)."""
    title: Bilingual
    description: Bilingual
    remediation: Bilingual
    checks: list[CheckRef] = Field(default_factory=list)
    manual: list[ManualItem] = Field(default_factory=list)
    weight: int = Field(default=1, ge=1, le=3)
    """Weight of the requirement in the baseline score."""


class Paragraph(_Strict):
    """One renumbered provision: how it is cited now and in the act it replaced."""

    ref: str = Field(min_length=1)
    legacy: str | None = None


class Baseline(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    title: Bilingual
    description: Bilingual | None = None
    source: str = Field(min_length=1)
    """The legal act(s), with Dz.U. / OJ citation."""
    legacy_source: str | None = None
    note: Bilingual | None = None
    """A caveat printed with the baseline in reports (e.g. unconfirmed paragraph numbers)."""
    applies_to: list[EntityClass] = Field(min_length=1)
    """Entity classes (as declared in the inventory) for which this baseline is selected by default."""
    paragraphs: dict[str, Paragraph] = Field(default_factory=dict)
    requirements: list[Requirement] = Field(min_length=1)

    def requirement(self, requirement_id: str) -> Requirement:
        for requirement in self.requirements:
            if requirement.id == requirement_id:
                return requirement
        raise KeyError(requirement_id)

    def manual_items(self) -> dict[str, ManualItem]:
        return {item.id: item for requirement in self.requirements for item in requirement.manual}

    def check_ids(self) -> set[str]:
        return {ref.id for requirement in self.requirements for ref in requirement.checks}


@dataclass(frozen=True)
class LoadedBaseline:
    """A validated baseline and the file it came from (shown by ``auditor baselines``)."""

    baseline: Baseline
    origin: str


# --------------------------------------------------------------------------- loading


def load_baseline_document(document: YamlDocument, registry: Registry) -> Baseline:
    """Validates one parsed baseline file; every problem comes back with file and line."""
    if not isinstance(document.data, dict):
        raise YamlFileError(document.path, 1, "a baseline is a mapping with 'id', 'version', 'requirements' ...")
    try:
        baseline = Baseline.model_validate(document.data)
    except ValidationError as exc:
        raise document.error_from_validation(exc) from None
    _check_unique(document, baseline)
    _check_known_checks(document, baseline, registry)
    return _with_references(document, baseline)


def _check_unique(document: YamlDocument, baseline: Baseline) -> None:
    seen_requirements: set[str] = set()
    seen_manual: dict[str, ManualItem] = {}
    for r_index, requirement in enumerate(baseline.requirements):
        if requirement.id in seen_requirements:
            raise document.error(("requirements", r_index, "id"), f"duplicate requirement id {requirement.id!r}")
        seen_requirements.add(requirement.id)
        seen_checks: set[str] = set()
        for c_index, ref in enumerate(requirement.checks):
            if ref.id in seen_checks:
                raise document.error(("requirements", r_index, "checks", c_index, "id"),
                                     f"check {ref.id!r} listed twice in this requirement")
            seen_checks.add(ref.id)
        for m_index, item in enumerate(requirement.manual):
            # one answer may evidence several requirements, but then it must be the same question
            if item.id in seen_manual and seen_manual[item.id] != item:
                raise document.error(("requirements", r_index, "manual", m_index, "id"),
                                     f"manual question {item.id!r} is defined twice with different text or period")
            seen_manual[item.id] = item


def _check_known_checks(document: YamlDocument, baseline: Baseline, registry: Registry) -> None:
    known = set(registry.checks)
    for r_index, requirement in enumerate(baseline.requirements):
        for c_index, ref in enumerate(requirement.checks):
            if ref.id not in known:
                close = difflib.get_close_matches(ref.id, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise document.error(("requirements", r_index, "checks", c_index, "id"),
                                     f"unknown check id {ref.id!r}{hint}; `auditor checks` lists the known ones")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _with_references(document: YamlDocument, baseline: Baseline) -> Baseline:
    """Fills ``{name}`` placeholders in refs from ``paragraphs`` (legacy numbers for ``legacy_ref``)."""
    current = {name: p.ref for name, p in baseline.paragraphs.items()}
    legacy = {name: p.legacy or p.ref for name, p in baseline.paragraphs.items()}
    requirements = []
    for index, requirement in enumerate(baseline.requirements):
        unknown = _placeholders(requirement.ref) - set(current)
        if requirement.legacy_ref:
            unknown |= _placeholders(requirement.legacy_ref) - set(current)
        if unknown:
            raise document.error(("requirements", index, "ref"),
                                 f"unknown paragraph placeholder(s) {', '.join(sorted(unknown))}; "
                                 f"define them under 'paragraphs'")
        derived_legacy = None
        if requirement.legacy_ref:
            derived_legacy = requirement.legacy_ref.format(**legacy)
        elif _placeholders(requirement.ref) and any(p.legacy for p in baseline.paragraphs.values()):
            derived_legacy = requirement.ref.format(**legacy)
        requirements.append(requirement.model_copy(update={"ref": requirement.ref.format(**current),
                                                           "legacy_ref": derived_legacy}))
    return baseline.model_copy(update={"requirements": requirements})


def builtin_baseline_files() -> list[Traversable]:
    """The YAML files shipped in ``auditor.baselines`` (package data)."""
    folder = files("auditor.baselines")
    return sorted((entry for entry in folder.iterdir() if entry.name.endswith((".yaml", ".yml"))),
                  key=lambda entry: entry.name)


def _expand(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(f"{path}: no such baseline file or folder")
    return out


def _is_baseline(document: YamlDocument) -> bool:
    return isinstance(document.data, dict) and "requirements" in document.data


def load_baselines(extra: Iterable[Path] = (), registry: Registry | None = None) -> dict[str, LoadedBaseline]:
    """The shipped baselines plus those in ``extra`` (files or folders), by id.

    A user baseline with the id of a shipped one replaces it (a local
    correction of the legal text must not need a new release).
    """
    registry = registry or default_registry()
    documents: list[tuple[YamlDocument, str]] = []
    for entry in builtin_baseline_files():
        documents.append((parse_yaml_text(entry.read_text(encoding="utf-8"), Path("baselines") / entry.name),
                          "built-in"))
    for path in _expand(extra):
        documents.append((load_yaml_with_lines(path), str(path)))
    loaded: dict[str, LoadedBaseline] = {}
    for document, origin in documents:
        if not _is_baseline(document):
            continue
        baseline = load_baseline_document(document, registry)
        if baseline.id in loaded and loaded[baseline.id].origin != "built-in":
            raise YamlFileError(document.path, document.line_of(("id",)),
                                f"baseline id {baseline.id!r} is also defined in {loaded[baseline.id].origin}")
        loaded[baseline.id] = LoadedBaseline(baseline, origin)
    return loaded


def select_baselines(available: dict[str, LoadedBaseline], requested: Iterable[str],
                     entity_class: str | None) -> list[Baseline]:
    """The baselines asked for by id, or by default all that apply to the organisation's entity class."""
    requested = list(requested)
    if requested:
        unknown = [bid for bid in requested if bid not in available]
        if unknown:
            raise InputError(f"unknown baseline {', '.join(unknown)}; known: {', '.join(sorted(available))}")
        return [available[bid].baseline for bid in dict.fromkeys(requested)]
    cls = EntityClass(entity_class or EntityClass.NONE)
    return [lb.baseline for lb in available.values() if cls in lb.baseline.applies_to]
