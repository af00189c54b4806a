"""The small, safe condition language of configuration rules.

A condition is data, never code: a *leaf* names one fact by its dotted path
and one operator, and *compounds* combine conditions::

    {fact: ssh.permit_root_login, in: ["no", prohibit-password]}
    {any: [{fact: password.min_length, min: 12},
           {all: [{fact: password.min_length, min: 8}, {fact: auth.mfa, equals: true}]}]}

Operators: ``equals``, ``in``, ``not_in``, ``min``, ``max``, ``regex``,
``exists``.  On a list-valued fact ``in`` means every element is allowed,
``not_in`` means no element is forbidden, ``min``/``max`` bound the list's
length and ``regex`` must match every element.

Evaluation is three-valued: a leaf whose fact the evidence lacks is
*unknown* (``None``), never false, so a missing fact can never become a
failing finding.  ``any`` is true if one part is true, ``all`` false if one
part is false; otherwise unknown wins over the remaining value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from auditor.wording import fact_label, fact_value

OPERATORS = ("equals", "in", "not_in", "min", "max", "regex", "exists")
COMPOUNDS = ("all", "any", "not")

_SYMBOLS = {"equals": "=", "in": "∈", "not_in": "∉", "min": "≥", "max": "≤", "regex": "~"}


class ConditionError(ValueError):
    """A condition is malformed; ``path`` locates it inside the rule."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        self.path = path
        super().__init__(message)


@dataclass(frozen=True)
class Leaf:
    fact: str
    op: str
    value: Any

    def describe(self, lang: str) -> str:
        if self.op == "exists":
            if lang == "pl":
                return f"{fact_label(self.fact, lang)} {'jest ustawione' if self.value else 'nie jest ustawione'}"
            return f"{fact_label(self.fact, lang)} {'is set' if self.value else 'is not set'}"
        value = (", ".join(fact_value(v, lang) for v in self.value) if isinstance(self.value, list)
                 else fact_value(self.value, lang))
        return f"{fact_label(self.fact, lang)} {_SYMBOLS[self.op]} {value}"


@dataclass(frozen=True)
class Compound:
    kind: str
    parts: tuple["Condition", ...]

    def describe(self, lang: str) -> str:
        if self.kind == "not":
            return ("nie " if lang == "pl" else "not ") + f"({self.parts[0].describe(lang)})"
        joiner = {"all": {"pl": " oraz ", "en": " and "}, "any": {"pl": " lub ", "en": " or "}}[self.kind][lang]
        return joiner.join(f"({p.describe(lang)})" if isinstance(p, Compound) else p.describe(lang) for p in self.parts)


Condition = Leaf | Compound


@dataclass
class Outcome:
    """The result of evaluating a condition, with what it looked at."""

    value: bool | None
    observed: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    offending: list[Any] = field(default_factory=list)


def parse_condition(raw: Any, lists: Mapping[str, list[Any]], path: tuple[str | int, ...] = ()) -> Condition:
    """Validates one condition mapping; ``{list: name}`` values refer to shared ``lists``."""
    if not isinstance(raw, dict):
        raise ConditionError(path, "a condition is a mapping such as {fact: a.b, equals: 1}")
    compounds = [k for k in raw if k in COMPOUNDS]
    if compounds:
        kind = compounds[0]
        if len(raw) != 1:
            raise ConditionError(path, f"'{kind}' must be the only key of its mapping")
        if kind == "not":
            return Compound("not", (parse_condition(raw[kind], lists, path + (kind,)),))
        items = raw[kind]
        if not isinstance(items, list) or not items:
            raise ConditionError(path + (kind,), f"'{kind}' takes a non-empty list of conditions")
        return Compound(kind, tuple(parse_condition(item, lists, path + (kind, i)) for i, item in enumerate(items)))
    fact = raw.get("fact")
    if not isinstance(fact, str) or not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*", fact):
        raise ConditionError(path + ("fact",), "'fact' must be a dotted lower-case path such as ssh.permit_root_login")
    ops = [k for k in raw if k != "fact"]
    unknown = [k for k in ops if k not in OPERATORS]
    if unknown:
        raise ConditionError(path + (unknown[0],), f"unknown operator {unknown[0]!r}; use one of {', '.join(OPERATORS)}")
    if len(ops) != 1:
        raise ConditionError(path, f"a leaf needs exactly one operator besides 'fact', got {len(ops)}")
    op = ops[0]
    value = _resolve_list(raw[op], lists, path + (op,))
    _check_operand(op, value, path + (op,))
    return Leaf(fact, op, value)


def _resolve_list(value: Any, lists: Mapping[str, list[Any]], path: tuple[str | int, ...]) -> Any:
    if isinstance(value, dict) and set(value) == {"list"}:
        name = value["list"]
        if name not in lists:
            raise ConditionError(path, f"unknown shared list {name!r}; known: {', '.join(sorted(lists)) or 'none'}")
        return list(lists[name])
    return value


def _check_operand(op: str, value: Any, path: tuple[str | int, ...]) -> None:
    if op in ("in", "not_in") and not (isinstance(value, list) and value):
        raise ConditionError(path, f"'{op}' takes a non-empty list")
    if op in ("min", "max") and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ConditionError(path, f"'{op}' takes a number")
    if op == "exists" and not isinstance(value, bool):
        raise ConditionError(path, "'exists' takes true or false")
    if op == "equals" and not isinstance(value, (str, int, float, bool)):
        raise ConditionError(path, "'equals' takes a string, number or boolean")
    if op == "regex":
        if not isinstance(value, str):
            raise ConditionError(path, "'regex' takes a string")
        try:
            re.compile(value)
        except re.error as exc:
            raise ConditionError(path, f"invalid regular expression: {exc}") from None


def lookup(facts: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or ``None`` when any part is missing."""
    node: Any = facts
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def facts_of(condition: Condition) -> list[str]:
    """Every fact path a condition reads, in order, without repeats."""
    if isinstance(condition, Leaf):
        return [condition.fact]
    seen: list[str] = []
    for part in condition.parts:
        seen += [f for f in facts_of(part) if f not in seen]
    return seen


def evaluate(condition: Condition, facts: Mapping[str, Any]) -> Outcome:
    """Three-valued evaluation (see the module docstring)."""
    if isinstance(condition, Leaf):
        return _leaf(condition, facts)
    outcomes = [evaluate(part, facts) for part in condition.parts]
    merged = Outcome(None)
    for outcome in outcomes:
        merged.observed.update(outcome.observed)
        merged.missing += [m for m in outcome.missing if m not in merged.missing]
        merged.offending += [o for o in outcome.offending if o not in merged.offending]
    values = [o.value for o in outcomes]
    if condition.kind == "not":
        merged.value = None if values[0] is None else not values[0]
    elif condition.kind == "all":
        merged.value = False if False in values else (None if None in values else True)
    else:
        merged.value = True if True in values else (None if None in values else False)
    return merged


def _leaf(leaf: Leaf, facts: Mapping[str, Any]) -> Outcome:
    value = lookup(facts, leaf.fact)
    if leaf.op == "exists":
        return Outcome((value is not None) == leaf.value, {leaf.fact: value})
    if value is None:
        return Outcome(None, missing=[leaf.fact])
    observed = {leaf.fact: value}
    items = value if isinstance(value, list) else None
    if leaf.op == "equals":
        return Outcome(value == leaf.value, observed)
    if leaf.op in ("in", "not_in"):
        values = items if items is not None else [value]
        bad = [v for v in values if (v in leaf.value) == (leaf.op == "not_in")]
        return Outcome(not bad, observed, offending=bad)
    if leaf.op in ("min", "max"):
        number = len(items) if items is not None else value
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            return Outcome(None, observed, missing=[leaf.fact])
        return Outcome(number >= leaf.value if leaf.op == "min" else number <= leaf.value, observed)
    values = items if items is not None else [value]
    bad = [v for v in values if not re.search(leaf.value, str(v))]
    return Outcome(not bad, observed, offending=bad)
