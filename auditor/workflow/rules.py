"""The audit rules as data (``baselines/audit.yaml``): classes, severity rules, deadlines, owners, effort.

Validated strictly on load, with file and line: an unknown class in a
classification rule, an unknown owner role, a missing severity in
``deadline_days`` or a rule set that leaves some failing check without a
class or owner is an error, so the formal report never silently drops a
failing check.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from auditor.model import Severity
from auditor.plugin import Bilingual
from auditor.yamlfile import YamlDocument, load_yaml_with_lines, parse_yaml_text, validate_mapping

RULES_FILE = "audit.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClassInfo(_Strict):
    prefix: str = Field(pattern=r"^[A-Z]{1,3}$")
    """Numbering prefix: ``N`` gives N-01, N-02 …"""
    title: Bilingual
    plural: Bilingual


class ClassRule(_Strict):
    status: list[Literal["fail", "warn"]] = Field(min_length=1)
    min_severity: Severity
    cls: str = Field(alias="class")


class OwnerRule(_Strict):
    prefix: str
    """Check-id prefix (``doc.missing.``); the empty prefix matches every check."""
    owner: str
    base_hours: float = Field(ge=0)
    per_target_hours: float = Field(ge=0)


class AuditRules(_Strict):
    version: str = Field(min_length=1)
    classes: dict[str, ClassInfo] = Field(min_length=1)
    classification: list[ClassRule] = Field(min_length=1)
    deadline_days: dict[Severity, int]
    owner_roles: dict[str, Bilingual] = Field(min_length=1)
    owners: list[OwnerRule] = Field(min_length=1)

    def classify(self, status: str, severity: Severity) -> str:
        for rule in self.classification:
            if status in rule.status and severity.at_least(rule.min_severity):
                return rule.cls
        raise LookupError(f"no classification rule for {status}/{severity.value}")  # excluded by validation

    def owner_of(self, check_id: str) -> OwnerRule:
        return next(rule for rule in self.owners if check_id.startswith(rule.prefix))


def _validate(document: YamlDocument) -> AuditRules:
    rules = validate_mapping(document, AuditRules, "audit rules are a mapping with 'classes', 'classification' ...")
    for index, rule in enumerate(rules.classification):
        if rule.cls not in rules.classes:
            raise document.error(("classification", index, "class"),
                                 f"unknown class {rule.cls!r}; defined: {', '.join(rules.classes)}")
    missing = [s.value for s in Severity if s not in rules.deadline_days]
    if missing:
        raise document.error(("deadline_days",), f"no deadline for severity {', '.join(missing)}")
    uncovered = [f"{status}/{s.value}" for status in ("fail", "warn") for s in Severity
                 if not any(status in r.status and s.at_least(r.min_severity) for r in rules.classification)]
    if uncovered:
        raise document.error(("classification",), f"no rule classifies {', '.join(uncovered)}")
    for index, owner in enumerate(rules.owners):
        if owner.owner not in rules.owner_roles:
            raise document.error(("owners", index, "owner"),
                                 f"unknown owner role {owner.owner!r}; defined: {', '.join(rules.owner_roles)}")
    if not any(owner.prefix == "" for owner in rules.owners):
        raise document.error(("owners",), "add a last rule with prefix \"\" so every check has an owner")
    return rules


def load_audit_rules(path: Path | None = None) -> AuditRules:
    """The rules from ``path``, or the shipped ``baselines/audit.yaml``."""
    if path is not None:
        return _validate(load_yaml_with_lines(path))
    return _shipped()


@lru_cache(maxsize=1)
def _shipped() -> AuditRules:
    text = files("auditor.baselines").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return _validate(parse_yaml_text(text, Path("baselines") / RULES_FILE))
