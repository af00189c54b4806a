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
the 2012 one) are written once per file in ``paragraphs``, each with its
confirmation state; requirement references use placeholders such as
``{szbi}``, and ``legacy_ref`` is derived from the same template with the
legacy numbers.  A correction is then a one-line change.

Every statement of law carries a ``basis``: where it was checked and how
sure that is (``confirmed`` — the legal text itself was read in a stored
source; ``secondary`` — only commentary states it; ``unconfirmed`` — no
source found).  A requirement takes the basis of its ``part`` unless it
has its own; the loader refuses a requirement without one, so nothing
unverified is ever shown as certain.  A paragraph placeholder that is less
than confirmed makes the requirement's effective confirmation no better
than the paragraph's.

``parts`` group a baseline's requirements the way the act does (annex 4
Parts I, III, IV; the head's duties; contact persons; incidents), and
``selection`` says in words why the baseline applies to a declared entity
class — the report prints it next to the score.

A YAML file in a baselines folder is a baseline when its top level has a
``requirements`` key; other files there (knowledge data such as end-of-life
tables) are left alone.
"""

from __future__ import annotations

import difflib
import string
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field

from auditor.errors import InputError
from auditor.i18n import _
from auditor.inventory import EntityClass
from auditor.plugin import Bilingual
from auditor.registry import Registry, default_registry
from auditor.yamlfile import YamlDocument, YamlFileError, load_yaml_with_lines, parse_yaml_text, validate_mapping

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Confirmation(StrEnum):
    """How sure a legal statement is (ordered from best to worst)."""

    CONFIRMED = "confirmed"
    """The legal text itself was read in a stored source."""
    SECONDARY = "secondary"
    """Only commentary or secondary sources state it; the Dz.U. text was not read."""
    UNCONFIRMED = "unconfirmed"
    """No stored source confirms it; kept because the brief or REFERENCE.md states it."""

    @property
    def rank(self) -> int:
        return list(Confirmation).index(self)


def weakest(*states: Confirmation) -> Confirmation:
    return max(states, key=lambda state: state.rank)


class Basis(_Strict):
    """Where a legal statement was checked, and how sure it is."""

    confirmation: Confirmation
    source: str = Field(min_length=3)
    """The stored source(s): URL, Dz.U. citation, search date."""
    note: Bilingual | None = None
    """What is uncertain, in words (printed in the report)."""


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
    part: str | None = None
    """Id of the baseline part this requirement belongs to (its basis is the default)."""
    basis: Basis | None = None
    """The requirement's own basis; filled on load from its part or the baseline when omitted."""


class Paragraph(_Strict):
    """One renumbered provision: how it is cited now and in the act it replaced."""

    ref: str = Field(min_length=1)
    legacy: str | None = None
    confirmation: Confirmation
    """Whether the current number (``ref``) was read in the act itself."""


class Part(_Strict):
    """A group of requirements as the act arranges them (e.g. annex 4 Part III)."""

    id: str = Field(pattern=ID_PATTERN)
    ref: str = Field(min_length=1)
    title: Bilingual
    basis: Basis


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
    selection: Bilingual | None = None
    """Why the baseline applies to those classes, in words (the legal rule), shown in the report."""
    basis: Basis | None = None
    """Default basis of requirements that have neither their own nor a part's."""
    paragraphs: dict[str, Paragraph] = Field(default_factory=dict)
    parts: list[Part] = Field(default_factory=list)
    requirements: list[Requirement] = Field(min_length=1)

    def part(self, part_id: str) -> Part:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

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
    baseline = validate_mapping(document, Baseline, "a baseline is a mapping with 'id', 'version', 'requirements' ...")
    _check_unique(document, baseline)
    _check_known_checks(document, baseline, registry)
    baseline = _with_references(document, baseline)
    return _with_bases(document, baseline)


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
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


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
    parts = []
    for index, part in enumerate(baseline.parts):
        unknown = _placeholders(part.ref) - set(current)
        if unknown:
            raise document.error(("parts", index, "ref"),
                                 f"unknown paragraph placeholder(s) {', '.join(sorted(unknown))}; "
                                 f"define them under 'paragraphs'")
        parts.append(part.model_copy(update={"ref": part.ref.format(**current)}))
    return baseline.model_copy(update={"requirements": requirements, "parts": parts})


def _with_bases(document: YamlDocument, baseline: Baseline) -> Baseline:
    """Gives every requirement an effective basis: its own, else its part's, else the baseline's.

    A requirement citing a paragraph number that is less than confirmed is
    no better confirmed than that number.
    """
    parts = {part.id: part for part in baseline.parts}
    seen_parts: set[str] = set()
    for index, part in enumerate(baseline.parts):
        if part.id in seen_parts:
            raise document.error(("parts", index, "id"), f"duplicate part id {part.id!r}")
        seen_parts.add(part.id)
    raw = document.data.get("requirements", []) if isinstance(document.data, dict) else []
    requirements = []
    for index, requirement in enumerate(baseline.requirements):
        if requirement.part is not None and requirement.part not in parts:
            raise document.error(("requirements", index, "part"),
                                 f"unknown part {requirement.part!r}; known: {', '.join(sorted(parts)) or 'none'}")
        basis = requirement.basis or (parts[requirement.part].basis if requirement.part else None) or baseline.basis
        if basis is None:
            raise document.error(("requirements", index, "id"),
                                 f"requirement {requirement.id!r} has no source note: give it a 'basis' "
                                 f"(confirmation + source), a 'part' with one, or a baseline-level 'basis'")
        template = raw[index].get("ref", "") if index < len(raw) and isinstance(raw[index], dict) else ""
        cited = [baseline.paragraphs[name].confirmation for name in _placeholders(str(template))
                 if name in baseline.paragraphs]
        effective = weakest(basis.confirmation, *cited)
        if effective is not basis.confirmation:
            basis = basis.model_copy(update={"confirmation": effective})
        requirements.append(requirement.model_copy(update={"basis": basis}))
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
            raise InputError(_("{path}: no such baseline file or folder").format(path=path))
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
            raise InputError(_("unknown baseline {names}; known: {known}").format(names=", ".join(unknown),
                                                                             known=", ".join(sorted(available))))
        return [available[bid].baseline for bid in dict.fromkeys(requested)]
    cls = EntityClass(entity_class or EntityClass.NONE)
    return [lb.baseline for lb in available.values() if cls in lb.baseline.applies_to]
