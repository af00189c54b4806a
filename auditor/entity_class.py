"""Why a baseline applies to the office, and whether the declared KSC class fits the rule.

The entity class (``key`` / ``important`` / ``none``) is *declared* in the
inventory; the tool never derives it.  But the rule for the sector
"podmioty publiczne", as the sources state it, is data here
(``baselines/data/entity_classes.yaml``): a declaration that contradicts it
becomes one ``warn`` finding (``baseline.entity_class`` on the organisation)
whose message cites the rule, its reference and its confirmation state, so
the auditor looks twice instead of the tool overriding the office.

Both the choice of baselines and the warning are derived from the run's
``organisation`` alone, so a stored or re-judged run gets the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field

from auditor.baseline import Baseline, Basis, Confirmation
from auditor.inventory import EntityClass, OrganisationKind
from auditor.model import Finding, Severity, Status
from auditor.plugin import Bilingual
from auditor.yamlfile import parse_yaml_text, validate_mapping

RULES_FILE = "data/entity_classes.yaml"
CHECK_ID = "baseline.entity_class"
ORGANISATION_TARGET = "organisation"

_CLASS_NAMES = {
    EntityClass.KEY: ("kluczowy", "key"),
    EntityClass.IMPORTANT: ("ważny", "important"),
    EntityClass.NONE: ("nieobjęty", "not covered"),
}
_CONFIRMATION_TEXT = {
    Confirmation.CONFIRMED: ("potwierdzone w tekście aktu", "confirmed in the text of the act"),
    Confirmation.SECONDARY: ("potwierdzone tylko w źródłach wtórnych (komentarze), tekstu Dz.U. nie odczytano",
                             "confirmed only by secondary sources (commentary); the Dz.U. text was not read"),
    Confirmation.UNCONFIRMED: ("niepotwierdzone w źródłach", "not confirmed by any source"),
}

_SHORT_CONFIRMATION = {
    Confirmation.CONFIRMED: ("potwierdzonej", "confirmed"),
    Confirmation.SECONDARY: ("wg źródeł wtórnych", "per secondary sources"),
    Confirmation.UNCONFIRMED: ("NIEPOTWIERDZONEJ", "UNCONFIRMED"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClassRule(_Strict):
    """One statement of which class an office of some kind belongs to."""

    id: str = Field(pattern=r"^[a-z0-9_.-]+$")
    kinds: list[OrganisationKind] = Field(min_length=1)
    expected: EntityClass
    """The class when the office meets the rule (``staff_threshold`` reached, or no threshold)."""
    staff_threshold: int | None = Field(default=None, ge=1)
    below: EntityClass | None = None
    """The class below the threshold."""
    threshold_disputed: bool = False
    """Sources differ on "≥ threshold" versus "> threshold": exactly at it, either class fits."""
    statement: Bilingual
    ref: str = Field(min_length=1)
    basis: Basis


class ClassRules(_Strict):
    version: str = Field(min_length=1)
    rules: list[ClassRule] = Field(min_length=1)


@dataclass(frozen=True)
class ClassWarning:
    """A declaration that contradicts a rule."""

    rule: ClassRule
    declared: EntityClass
    expected: tuple[EntityClass, ...]
    kind: OrganisationKind
    staff: int | None


def load_rules(path: Path | None = None) -> ClassRules:
    """The shipped rules (or ``path``), validated; a bad file is an error with file and line."""
    if path is None:
        text = files("auditor.baselines").joinpath(RULES_FILE).read_text(encoding="utf-8")
        document = parse_yaml_text(text, Path("baselines") / RULES_FILE)
    else:
        document = parse_yaml_text(path.read_text(encoding="utf-8"), path)
    return validate_mapping(document, ClassRules, "entity class rules: a mapping with 'version' and 'rules'")


@lru_cache(maxsize=1)
def shipped_rules() -> ClassRules:
    return load_rules()


def _expected(rule: ClassRule, staff: int | None) -> tuple[EntityClass, ...] | None:
    """The classes the rule allows for this staff count; ``None`` when it cannot say (staff unknown)."""
    if rule.staff_threshold is None:
        return (rule.expected,)
    if staff is None:
        return None
    if rule.threshold_disputed and staff == rule.staff_threshold:
        return tuple(dict.fromkeys((rule.expected, rule.below or rule.expected)))
    if staff >= rule.staff_threshold:
        return (rule.expected,)
    return (rule.below,) if rule.below else None


def check_declaration(organisation: Mapping[str, Any], rules: ClassRules | None = None) -> list[ClassWarning]:
    """The rules the organisation's declared class contradicts (none when nothing can be said)."""
    rules = rules or shipped_rules()
    try:
        kind = OrganisationKind(str(organisation.get("kind")))
    except ValueError:
        return []
    declared = EntityClass(organisation.get("entity_class") or EntityClass.NONE)
    staff = organisation.get("staff")
    warnings = []
    for rule in rules.rules:
        if kind not in rule.kinds:
            continue
        expected = _expected(rule, staff)
        if expected is not None and declared not in expected:
            warnings.append(ClassWarning(rule, declared, expected, kind, staff))
    return warnings


def _names(classes: tuple[EntityClass, ...], lang: int) -> str:
    joiner = " lub " if lang == 0 else " or "
    return joiner.join(_CLASS_NAMES[c][lang] for c in classes)


def warning_finding(warning: ClassWarning) -> Finding:
    """The ``warn`` finding for one contradicted rule: the rule, its reference and how sure it is."""
    rule = warning.rule
    staff_pl = f", zatrudnienie {warning.staff}" if warning.staff is not None else ""
    staff_en = f", staff {warning.staff}" if warning.staff is not None else ""
    confirmation_pl, confirmation_en = _CONFIRMATION_TEXT[rule.basis.confirmation]
    note_pl = f" {rule.basis.note.pl}" if rule.basis.note else ""
    note_en = f" {rule.basis.note.en}" if rule.basis.note else ""
    short_pl, short_en = _SHORT_CONFIRMATION[rule.basis.confirmation]
    # the confirmation state comes first: terminals cut long messages, it must survive the cut
    message = {
        "pl": (f"Klasa zadeklarowana: {_CLASS_NAMES[warning.declared][0]}; według reguły ({short_pl}): "
               f"{_names(warning.expected, 0)} ({warning.kind.value}{staff_pl}). {rule.statement.pl[0].upper()}"
               f"{rule.statement.pl[1:]} [{rule.ref}; {confirmation_pl}.{note_pl}] "
               f"Sprawdź deklarację w inwentarzu; narzędzie jej nie zmienia."),
        "en": (f"Declared class: {_CLASS_NAMES[warning.declared][1]}; by the rule ({short_en}): "
               f"{_names(warning.expected, 1)} ({warning.kind.value}{staff_en}). {rule.statement.en[0].upper()}"
               f"{rule.statement.en[1:]} [{rule.ref}; {confirmation_en}.{note_en}] "
               f"Check the inventory's declaration; the tool does not change it."),
    }
    return Finding(
        check_id=CHECK_ID,
        target_id=ORGANISATION_TARGET,
        status=Status.WARN,
        severity=Severity.MEDIUM,
        message=message,
        subject=rule.id,
        facts={
            "title": {"pl": "Klasa podmiotu niezgodna z regułą KSC", "en": "Entity class contradicts the KSC rule"},
            "rule": rule.id,
            "declared": warning.declared.value,
            "expected": [c.value for c in warning.expected],
            "kind": warning.kind.value,
            "staff": warning.staff,
            "ref": rule.ref,
            "confirmation": rule.basis.confirmation.value,
            "source": rule.basis.source,
        },
    )


def class_findings(organisation: Mapping[str, Any]) -> list[Finding]:
    return [warning_finding(w) for w in check_declaration(organisation)]


# --------------------------------------------------------------------------- why a baseline applies


def selection(baseline: Baseline, organisation: Mapping[str, Any]) -> dict[str, Any]:
    """Why ``baseline`` scores this run: the declared class it applies to, or an explicit request.

    The default choice (``auditor.baseline.select_baselines``) takes exactly
    the baselines whose ``applies_to`` holds the declared class, so any other
    baseline in a run was asked for with ``--baseline``.
    """
    declared = EntityClass(organisation.get("entity_class") or EntityClass.NONE)
    pl_class, en_class = _CLASS_NAMES[declared]
    rule = baseline.selection
    if declared in baseline.applies_to:
        reason = {
            "pl": f"Zadeklarowana klasa podmiotu: {pl_class}." + (f" {rule.pl}" if rule else ""),
            "en": f"Declared entity class: {en_class}." + (f" {rule.en}" if rule else ""),
        }
        by = "entity_class"
    else:
        reason = {
            "pl": f"Wybrany jawnie (--baseline); zadeklarowana klasa podmiotu ({pl_class}) go nie obejmuje.",
            "en": f"Chosen explicitly (--baseline); the declared entity class ({en_class}) does not cover it.",
        }
        by = "requested"
    return {"by": by, "entity_class": declared.value,
            "applies_to": [c.value for c in baseline.applies_to], "reason": reason}
