"""Configuration rules kept as data: loading, validation and judging.

Rules live in ``baselines/config/<platform>.yaml`` (one file per platform,
in the spirit of Wazuh SCA policies) and ``lists.yaml`` (shared value lists
such as weak SSH algorithms).  Each rule names a stable check id, its text
in Polish and English, the condition on normalised facts (see
``conditions``) and its baseline mapping.  The same check id may appear
once per platform (``config.firewall`` on Linux and on Windows): the checks
share one id and one text, the rule matching a bundle's platform judges it.

A bad rule file is a ``YamlFileError`` with file and line, raised at import,
so a broken rule can never silently drop a check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditor.model import Severity
from auditor.plugin import Bilingual, CheckText, Verdict, failed, manual, not_applicable, passed, warned
from auditor.wording import fact_label, fact_value
from auditor.yamlfile import YamlDocument, YamlFileError, load_yaml_with_lines
from auditor.checks.config.conditions import Condition, ConditionError, evaluate, facts_of, parse_condition

#: File of shared value lists; every other ``*.yaml`` in the folder is a rule file.
LISTS_FILE = "lists.yaml"
#: Probe read by rules that do not name one: the evidence-bundle reader.
DEFAULT_PROBE = "config_bundle"
#: Platform of rules that judge every bundle (e.g. how old it is).
ANY_PLATFORM = "any"
_FRAMEWORK_LABEL = {"kri": "KRI", "nis2": "NIS2", "ksc": "KSC"}
#: Long fact lists (algorithms) are shortened in messages; the full list stays in the facts.
_LIST_SHOWN = 4


class RuleModel(BaseModel):
    """One rule as written in a rule file (conditions are parsed separately)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^config(\.[a-z0-9_]+)+$")
    severity: Severity
    title: Bilingual | None = None
    """Required on the first definition of a check id (files are read in name order)."""
    description: Bilingual | None = None
    remediation: Bilingual
    condition: dict[str, Any]
    expected: Bilingual | None = None
    """Human wording of the requirement; generated from the condition when absent."""
    applies_when: dict[str, Any] | None = None
    not_applicable_reason: Bilingual | None = None
    manual_when: dict[str, Any] | None = None
    manual_reason: Bilingual | None = None
    missing: Literal["manual", "not_applicable"] = "manual"
    on_fail: Literal["fail", "warn"] = "fail"
    probe: str | None = None
    messages: dict[str, Bilingual] = Field(default_factory=dict)
    baselines: dict[Literal["kri", "nis2", "ksc"], list[str]] = Field(default_factory=dict)


class RuleFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platform: str = Field(pattern=r"^[a-z0-9_]+$")
    probe: str = DEFAULT_PROBE
    rules: list[RuleModel] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    """A validated rule, ready to judge one subject's facts."""

    model: RuleModel
    platform: str
    probe: str
    condition: Condition
    applies_when: Condition | None
    manual_when: Condition | None
    where: str
    """``file:line`` of the rule, for error messages and documentation."""

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def facts(self) -> list[str]:
        return facts_of(self.condition)

    def expected(self, lang: str) -> str:
        if self.model.expected is not None:
            return getattr(self.model.expected, lang)
        return self.condition.describe(lang)

    def references(self) -> list[str]:
        return [f"{_FRAMEWORK_LABEL[fw]} {ref}" for fw, refs in self.model.baselines.items() for ref in refs]

    def judge(self, subject: str, facts: Mapping[str, Any]) -> Verdict:
        """Applicability first, then deferral to a person, then the condition itself.

        When applicability cannot be told (``applies_when`` unknown) a met
        condition still passes, but an unmet one becomes ``manual``: the rule
        may not apply to this host, so failing it could be false.
        """
        common: dict[str, Any] = {"host": subject, "platform": self.platform}
        applies = True if self.applies_when is None else evaluate(self.applies_when, facts).value
        if applies is False:
            reason = self.model.not_applicable_reason
            return not_applicable(subject, "not_applicable", **common, **_reason(reason, self.applies_when))
        if self.manual_when is not None and evaluate(self.manual_when, facts).value is True:
            return manual(subject, "deferred", **common, **_reason(self.model.manual_reason, self.manual_when))
        outcome = evaluate(self.condition, facts)
        details = {
            **common,
            "values": outcome.observed,
            "value": _show(outcome.observed[self.facts[0]]) if self.facts[0] in outcome.observed else "?",
            **{f"observed_{lang}": _observed(outcome.observed, lang) for lang in ("pl", "en")},
            "expected_pl": self.expected("pl"),
            "expected_en": self.expected("en"),
        }
        if outcome.offending:
            details["offending"] = outcome.offending
        if outcome.value is None:
            for lang in ("pl", "en"):
                details[f"missing_{lang}"] = ", ".join(fact_label(key, lang) for key in outcome.missing)
            verdict = manual if self.model.missing == "manual" else not_applicable
            return verdict(subject, "missing", **details)
        if outcome.value:
            return passed(subject, **details)
        if applies is None:
            return manual(subject, "applicability_unknown", **details,
                          **_reason(self.model.not_applicable_reason, self.applies_when))
        return (warned if self.model.on_fail == "warn" else failed)(subject, **details)


def _show(value: Any, lang: str = "en") -> str:
    """A fact value as a reader reads it: ``tak``/``nie``, a list cut after a few items."""
    if isinstance(value, list):
        shown = ", ".join(fact_value(v, lang) for v in value[:_LIST_SHOWN])
        more = f", … (+{len(value) - _LIST_SHOWN})" if len(value) > _LIST_SHOWN else ""
        return f"{shown}{more}" or "—"
    return fact_value(value, lang)


def _observed(observed: Mapping[str, Any], lang: str) -> str:
    """What the rule looked at, under the facts' reader labels (never the collector's key names)."""
    return "; ".join(f"{fact_label(key, lang)}: {_show(value, lang)}" for key, value in observed.items()) or "—"


def _reason(text: Bilingual | None, condition: Condition) -> dict[str, str]:
    if text is not None:
        return {"reason_pl": text.pl, "reason_en": text.en}
    return {"reason_pl": condition.describe("pl"), "reason_en": condition.describe("en")}


#: Message templates every rule check gets; a rule's ``messages`` override them.
DEFAULT_MESSAGES: dict[str, dict[str, str]] = {
    "pass": {"pl": "{host}: {observed_pl} — wymaganie spełnione ({expected_pl}).",
             "en": "{host}: {observed_en} — requirement met ({expected_en})."},
    "fail": {"pl": "{host}: {observed_pl}; wymagane: {expected_pl}.", "en": "{host}: {observed_en}; required: {expected_en}."},
    "warn": {"pl": "{host}: {observed_pl}; zalecane: {expected_pl}.", "en": "{host}: {observed_en}; recommended: {expected_en}."},
    "missing": {"pl": "{host}: w dowodach brak faktu: {missing_pl} — nie da się ocenić automatycznie, sprawdź ręcznie.",
                "en": "{host}: the evidence lacks: {missing_en} — cannot be judged automatically, verify by hand."},
    "deferred": {"pl": "{host}: {reason_pl}", "en": "{host}: {reason_en}"},
    "applicability_unknown": {
        "pl": "{host}: {observed_pl}; nie wiadomo, czy wymaganie dotyczy tego hosta ({reason_pl}) — sprawdź ręcznie.",
        "en": "{host}: {observed_en}; unknown whether the requirement applies to this host ({reason_en}) — verify by hand."},
    "not_applicable": {"pl": "{host}: nie dotyczy ({reason_pl}).", "en": "{host}: not applicable ({reason_en})."},
    "no_rule": {"pl": "{host}: brak reguły dla platformy {platform}.", "en": "{host}: no rule for platform {platform}."},
}


class RuleSet:
    """Every rule by check id and platform."""

    def __init__(self, rules: list[Rule]) -> None:
        self.by_check: dict[str, dict[str, Rule]] = {}
        for rule in rules:
            per_platform = self.by_check.setdefault(rule.id, {})
            if rule.platform in per_platform:
                raise YamlFileError(rule.where.rsplit(":", 1)[0], _line(rule.where),
                                    f"rule {rule.id} defined twice for platform {rule.platform} "
                                    f"(first at {per_platform[rule.platform].where})")
            first = next(iter(per_platform.values()), None)
            if first is None and rule.model.title is None:
                raise YamlFileError(rule.where.rsplit(":", 1)[0], _line(rule.where),
                                    f"rule {rule.id}: 'title' is required where the check id first appears")
            if first is not None and (first.probe, first.model.severity) != (rule.probe, rule.model.severity):
                raise YamlFileError(rule.where.rsplit(":", 1)[0], _line(rule.where),
                                    f"rule {rule.id} must read the same probe and have the same severity on every "
                                    f"platform as at {first.where}")
            per_platform[rule.platform] = rule

    def probe_of(self, check_id: str) -> str:
        return next(iter(self.by_check[check_id].values())).probe

    def rule_for(self, check_id: str, platform: str) -> Rule | None:
        """The platform's own rule, else one written for every platform (``platform: any``)."""
        rules = self.by_check[check_id]
        return rules.get(platform) or rules.get(ANY_PLATFORM)

    def texts(self) -> dict[str, CheckText]:
        """The sidecar text of every check, generated from its rules."""
        return {check_id: _check_text(list(rules.values())) for check_id, rules in self.by_check.items()}


def _line(where: str) -> int | None:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _check_text(rules: list[Rule]) -> CheckText:
    first = rules[0].model
    description = next((r.model.description for r in rules if r.model.description), None)
    if len(rules) == 1:
        remediation = first.remediation.model_dump()
    else:
        remediation = {lang: "\n\n".join(f"{r.platform.capitalize()}:\n{getattr(r.model.remediation, lang).strip()}"
                                          for r in rules) for lang in ("pl", "en")}
    messages = {key: dict(text) for key, text in DEFAULT_MESSAGES.items()}
    for rule in rules:
        messages.update({key: text.model_dump() for key, text in rule.model.messages.items()})
    return CheckText.model_validate({
        "severity": first.severity,
        "title": first.title.model_dump() if first.title else None,
        "description": description.model_dump() if description else None,
        "remediation": remediation,
        "messages": messages,
    })


def _condition(doc: YamlDocument, raw: Any, key: tuple[str | int, ...], lists: Mapping[str, list[Any]]) -> Condition:
    try:
        return parse_condition(raw, lists)
    except ConditionError as exc:
        raise doc.error(key + exc.path, str(exc)) from None


def load_lists(path: Path) -> dict[str, list[Any]]:
    """Shared lists: ``lists: {name: [values]}``."""
    if not path.exists():
        return {}
    doc = load_yaml_with_lines(path)
    lists = doc.data.get("lists") if isinstance(doc.data, dict) else None
    if not isinstance(lists, dict) or not all(isinstance(v, list) and v for v in lists.values()):
        raise YamlFileError(path, 1, "expected 'lists:' mapping names to non-empty lists")
    return lists


def load_rule_file(path: Path, lists: Mapping[str, list[Any]]) -> list[Rule]:
    doc = load_yaml_with_lines(path)
    try:
        model = RuleFileModel.model_validate(doc.data)
    except ValidationError as exc:
        raise doc.error_from_validation(exc) from None
    rules = []
    for index, rule in enumerate(model.rules):
        key = ("rules", index)
        if rule.manual_when is not None and rule.manual_reason is None:
            raise doc.error(key + ("manual_when",), "a rule with 'manual_when' needs 'manual_reason' (pl, en)")
        rules.append(Rule(
            model=rule,
            platform=model.platform,
            probe=rule.probe or model.probe,
            condition=_condition(doc, rule.condition, key + ("condition",), lists),
            applies_when=_condition(doc, rule.applies_when, key + ("applies_when",), lists) if rule.applies_when else None,
            manual_when=_condition(doc, rule.manual_when, key + ("manual_when",), lists) if rule.manual_when else None,
            where=f"{path}:{doc.line_of(key) or '?'}",
        ))
    return rules


def load_rules(folder: Path) -> RuleSet:
    """Every rule file in ``folder`` (sorted by name, so text precedence is stable)."""
    lists = load_lists(folder / LISTS_FILE)
    rules: list[Rule] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name != LISTS_FILE:
            rules += load_rule_file(path, lists)
    return RuleSet(rules)


def rules_folder() -> Path:
    """``baselines/config`` as installed (``auditor.baselines.config``)."""
    return Path(str(resources.files("auditor.baselines.config")))


@lru_cache(maxsize=1)
def shipped_rules() -> RuleSet:
    return load_rules(rules_folder())
