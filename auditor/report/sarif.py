"""SARIF 2.1.0: findings as results, checks as rules, for code-scanning dashboards.

Every finding is a result: ``fail``/``warn`` are ``kind: fail`` with a level
from the severity, ``pass`` is ``kind: pass``, ``manual`` is ``kind:
review``, ``not_applicable`` is ``kind: notApplicable``.  A probe that could
not run is a tool execution notification, not a result.  Targets are not
files, so a result is located by a logical location (the target id) and
identified across runs by ``partialFingerprints`` (the finding key).
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from auditor.analysis import Analysis, NonConformity
from auditor.model import Finding, ScanRun, Severity, Status
from auditor.report.sariftext import sarif_text

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.INFO: "note"}
#: GitHub's convention: a CVSS-like number in rule properties drives its severity display.
_SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                      Severity.LOW: "3.0", Severity.INFO: "0.0"}
_KIND = {Status.FAIL: "fail", Status.WARN: "fail", Status.PASS: "pass", Status.MANUAL: "review",
         Status.NOT_APPLICABLE: "notApplicable"}


def _rule(analysis: Analysis, check_id: str, example: Finding) -> dict[str, Any]:
    texts = analysis.texts
    spec = texts.registry.checks.get(check_id)
    severity = spec.severity if spec else example.severity
    rule: dict[str, Any] = {
        "id": check_id,
        "name": check_id.replace(".", "_"),
        "shortDescription": {"text": sarif_text(texts.check_title(check_id, example))},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {
            "tags": ["security", check_id.split(".")[0]],
            "security-severity": _SECURITY_SEVERITY[severity],
            "requirements": sorted({ref.ref for ref in analysis.requirements_of.get(check_id, ())}),
        },
    }
    remediation = texts.remediation(check_id)
    if remediation:
        rule["help"] = {"text": sarif_text(remediation)}
    return rule


def _result(analysis: Analysis, finding: Finding, rule_index: int,
            numbers: Mapping[str, NonConformity]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index,
        "kind": _KIND[finding.status],
        "level": _level(finding),
        "message": {"text": sarif_text(analysis.texts.message(finding) or finding.check_id)},
        "locations": [{"logicalLocations": [{"name": finding.target_id, "kind": "resource",
                                             "fullyQualifiedName": f"{finding.target_id}/{finding.subject}"
                                             if finding.subject else finding.target_id}]}],
        "partialFingerprints": {"auditorFindingKey/v1": finding.key},
        "properties": {"severity": finding.severity.value, "status": finding.status.value,
                       "facts": finding.facts},
    }
    acceptance = analysis.acceptance(finding)
    if acceptance is not None and acceptance.active:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"{acceptance.reason} ({acceptance.approver.name}, "
                                                    f"{acceptance.approver.role}; until {acceptance.expires})"}]
    item = numbers.get(finding.key)
    if item is not None:
        result["properties"]["action"] = {"number": item.number, "rank": item.rank}
        result["rank"] = round(100.0 * (len(analysis.actions) - item.rank + 1) / len(analysis.actions), 1)
    return result


def _level(finding: Finding) -> str:
    """A failure takes the level of its severity; a warning is never more than ``warning``."""
    if finding.status is Status.FAIL:
        return _LEVEL[finding.severity]
    if finding.status is Status.WARN:
        return "note" if _LEVEL[finding.severity] == "note" else "warning"
    return "none"


def _notifications(run: ScanRun) -> list[dict[str, Any]]:
    return [{"level": "warning",
             "message": {"text": sarif_text(f"{a.probe} on {a.target_id}: "
                                            f"{a.error_reason.value if a.error_reason else a.status.value}"
                                            f"{': ' + a.error if a.error else ''}")},
             "descriptor": {"id": f"probe.{a.probe}"}}
            for a in run.attempts if not a.completed]


def build(analysis: Analysis) -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serialises it).

    A validly accepted finding carries an accepted suppression; an open
    failing one its action number and rank (``result.rank``, 100 = fix first).
    """
    run, lang = analysis.run, analysis.lang
    numbers = {key: item for item in analysis.actions for key in item.keys}
    findings = [f for f in run.findings if f.status is not Status.ERROR]
    rule_index: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    for finding in findings:
        if finding.check_id not in rule_index:
            rule_index[finding.check_id] = len(rules)
            rules.append(_rule(analysis, finding.check_id, finding))
    invocation: dict[str, Any] = {
        "executionSuccessful": not run.meta.interrupted,
        "startTimeUtc": run.meta.started.isoformat().replace("+00:00", "Z"),
        "toolExecutionNotifications": _notifications(run),
    }
    if run.meta.finished:
        invocation["endTimeUtc"] = run.meta.finished.isoformat().replace("+00:00", "Z")
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "auditor", "version": run.meta.tool_version,
                                "language": lang, "rules": rules}},
            "automationDetails": {"id": f"auditor/{run.meta.run_id}"},
            "invocations": [invocation],
            "language": lang,
            "results": [_result(analysis, f, rule_index[f.check_id], numbers) for f in findings],
            "properties": {"organisation": run.organisation.get("name", ""),
                           "scores": {bid: {"score": e.score, "coverage": e.coverage, "grade": e.grade}
                                      for bid, e in run.scores.items()},
                           "failingBySeverity": dict(analysis.failing_by_severity),
                           "topActions": [{"number": a.number, "checkId": a.check_id, "title": a.title,
                                           "severity": a.severity.value, "targets": len(a.targets)}
                                          for a in analysis.top]},
        }],
    }


def render(analysis: Analysis) -> str:
    return json.dumps(build(analysis), ensure_ascii=False, indent=2) + "\n"
