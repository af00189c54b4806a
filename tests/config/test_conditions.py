"""The condition language: operators, three-valued logic, validation."""

from __future__ import annotations

import pytest

from auditor.checks.config.conditions import ConditionError, evaluate, parse_condition

FACTS = {
    "ssh": {"permit_root_login": "no", "ciphers": ["aes256-ctr", "3des-cbc"], "present": True},
    "password": {"min_length": 10},
    "admins": {"accounts": ["a", "b"]},
}


def value(raw: dict, facts: dict = FACTS) -> bool | None:
    return evaluate(parse_condition(raw, {"weak": ["3des-cbc", "arcfour"]}), facts).value


@pytest.mark.parametrize(("raw", "expected"), [
    ({"fact": "ssh.permit_root_login", "equals": "no"}, True),
    ({"fact": "ssh.permit_root_login", "in": ["yes"]}, False),
    ({"fact": "ssh.ciphers", "not_in": {"list": "weak"}}, False),
    ({"fact": "ssh.ciphers", "in": ["aes256-ctr", "3des-cbc", "x"]}, True),
    ({"fact": "password.min_length", "min": 12}, False),
    ({"fact": "password.min_length", "max": 12}, True),
    ({"fact": "admins.accounts", "max": 1}, False),
    ({"fact": "ssh.ciphers", "regex": "-(ctr|cbc)$"}, True),
    ({"fact": "ssh.missing", "exists": False}, True),
    ({"fact": "ssh.present", "exists": True}, True),
])
def test_leaf_operators(raw: dict, expected: bool) -> None:
    assert value(raw) is expected


def test_missing_fact_is_unknown_never_false() -> None:
    assert value({"fact": "auth.mfa", "equals": True}) is None
    assert value({"not": {"fact": "auth.mfa", "equals": True}}) is None


def test_three_valued_compounds() -> None:
    unknown = {"fact": "auth.mfa", "equals": True}
    true = {"fact": "ssh.present", "equals": True}
    false = {"fact": "password.min_length", "min": 12}
    assert value({"any": [unknown, true]}) is True
    assert value({"any": [unknown, false]}) is None
    assert value({"all": [unknown, false]}) is False
    assert value({"all": [unknown, true]}) is None


def test_offending_elements_are_reported() -> None:
    outcome = evaluate(parse_condition({"fact": "ssh.ciphers", "not_in": ["3des-cbc"]}, {}), FACTS)
    assert outcome.offending == ["3des-cbc"]
    assert outcome.observed == {"ssh.ciphers": ["aes256-ctr", "3des-cbc"]}


@pytest.mark.parametrize(("raw", "message", "path"), [
    ({"fact": "a.b", "contains": 1}, "unknown operator", ("contains",)),
    ({"fact": "a.b", "min": 1, "max": 2}, "exactly one operator", ()),
    ({"fact": "A B", "equals": 1}, "dotted lower-case", ("fact",)),
    ({"fact": "a.b", "regex": "("}, "invalid regular expression", ("regex",)),
    ({"fact": "a.b", "not_in": {"list": "nope"}}, "unknown shared list", ("not_in",)),
    ({"fact": "a.b", "min": "12"}, "takes a number", ("min",)),
    ({"all": []}, "non-empty list", ("all",)),
    ({"any": [{"fact": "a.b", "equals": 1}], "fact": "x"}, "only key", ()),
])
def test_malformed_conditions_name_the_place(raw: dict, message: str, path: tuple) -> None:
    with pytest.raises(ConditionError, match=message) as info:
        parse_condition(raw, {})
    assert info.value.path == path
