"""Registers one check per rule id found in ``baselines/config/`` — no code per rule.

Each check judges every subject of its probe's evidence (a host of a bundle
folder, or an address:port seen remotely) with the rule for that subject's
platform; a subject whose platform has no rule for the check (SMBv1 on a
Linux host) is ``not_applicable``.
"""

from __future__ import annotations

from typing import Iterable

from auditor.checks.config.family import FAMILY
from auditor.checks.config.rules import RuleSet, shipped_rules
from auditor.model import Evidence, Target
from auditor.plugin import CheckFunction, JudgeContext, Verdict, not_applicable


def rule_check(rules: RuleSet, check_id: str) -> CheckFunction:
    """The check function judging ``check_id`` with ``rules``."""

    def evaluate(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
        for subject in evidence.get("subjects", []):
            rule = rules.rule_for(check_id, subject["platform"])
            if rule is None:
                yield not_applicable(subject["subject"], "no_rule", host=subject["subject"], platform=subject["platform"])
            else:
                yield rule.judge(subject["subject"], subject.get("facts", {}))

    evaluate.__name__ = evaluate.__qualname__ = check_id.replace(".", "_")
    evaluate.__doc__ = f"Rule-driven check {check_id} (see baselines/config/)."
    return evaluate


def register(rules: RuleSet) -> None:
    for check_id in rules.by_check:
        FAMILY.check(check_id, reads=rules.probe_of(check_id))(rule_check(rules, check_id))


register(shipped_rules())
