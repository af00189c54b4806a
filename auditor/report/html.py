"""The HTML audit: one self-contained, printable file (CSS and JS inlined, no fetches).

Everything that came from a target or a document (banners, titles, facts,
answers) is escaped by Jinja2's autoescape; the only markup passed through
unescaped is the optional ``trends`` SVG, which our own code draws from
numbers.  A Content-Security-Policy with a per-report nonce stops any script
but ours from running even if an escaping bug slipped through.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, Mapping

from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup

from auditor.analysis import RANKING_RULES, STATUS_ORDER, Analysis, RequirementRef
from auditor.analysis.texts import report_labels
from auditor.model import Finding, Severity
from auditor.report.audit import build_audit
from auditor.scoring import SCORING_RULES
from auditor.terminal import strip_control

TEMPLATE = "report.html.j2"


def _load_template(name: str) -> str:
    return files("auditor.report_templates").joinpath(name).read_text(encoding="utf-8")


def css_string(value: object) -> Markup:
    """Text for a CSS ``content: "…"`` string: anything but letters, digits and spaces as a CSS escape."""
    return Markup("".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in str(value)))


def _printable(value: Any) -> Any:
    """Target text without terminal escapes, so ``cat report.html`` cannot drive a terminal either."""
    return strip_control(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FunctionLoader(_load_template), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, finalize=_printable)
    env.filters["fact"] = fact_text
    env.filters["pct"] = lambda value: "-" if value is None else f"{value * 100:.0f}%"
    env.filters["css_string"] = css_string
    return env


labels = report_labels


#: Longest rendered fact value; evidence beyond this is cut (the JSON report has it all).
MAX_FACT_CHARS = 2000


def _plain(value: Any) -> str:
    """A nested fact value as words a reader can follow (``key: value; …``), not JSON."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in sorted(value.items(), key=lambda kv: str(kv[0])))
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return "" if value is None else str(value)


def fact_text(value: Any) -> str:
    """A fact value as one readable string, bounded in length."""
    text = _plain(value)
    return text if len(text) <= MAX_FACT_CHARS else text[: MAX_FACT_CHARS - 1] + "…"


@dataclass(frozen=True)
class FindingRow:
    """One row of the findings table: a finding with the words the filters and search need.

    Nothing here is counted or ranked — order and numbers come from the analysis.
    """

    anchor: str
    finding: Finding
    host: str
    family: str
    requirements: tuple[RequirementRef, ...]


def anchor_of(finding: Finding) -> str:
    """A stable HTML id for a finding's permalink: its key (check, target, subject) in id-safe characters."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", finding.key).strip("-")


def finding_rows(analysis: Analysis) -> list[FindingRow]:
    """Every finding in the analysis' order (target by target, worst first), with host, family and requirements."""
    checks = analysis.texts.registry.checks
    rows: list[FindingRow] = []
    seen: set[str] = set()
    for group in analysis.groups:
        for finding in group.findings:
            anchor = anchor_of(finding)
            while anchor in seen:  # two keys can collapse to one id only through punctuation
                anchor += "-"
            seen.add(anchor)
            spec = checks.get(finding.check_id)
            rows.append(FindingRow(anchor, finding, group.name, spec.family if spec else "",
                                   tuple(analysis.requirements_of.get(finding.check_id, ()))))
    return rows


def _options(rows: list[FindingRow]) -> dict[str, list[str]]:
    """The values each filter offers, in first-seen order (hosts, families, requirement references)."""
    def unique(values: Any) -> list[str]:
        return list(dict.fromkeys(v for v in values if v))

    return {"host": unique(r.host for r in rows), "family": sorted(unique(r.family for r in rows)),
            "requirement": sorted(unique(ref.ref for r in rows for ref in r.requirements))}


#: Sections of the formal audit document (``auditor.report.audit``) the HTML report shows too.
AUDIT_SECTIONS = ("info", "nonconformities", "observations", "accepted", "plan", "followup")


def render(analysis: Analysis, *, trends: Mapping[str, str] | None = None) -> str:
    """The report; ``trends`` maps a caption to SVG markup generated by auditor's own code.

    The follow-up section is there when the analysis has the previous snapshot of the office.
    """
    run, lang = analysis.run, analysis.lang
    audit = build_audit(analysis)
    rows = finding_rows(analysis)
    return _environment().get_template(TEMPLATE).render(
        lang=lang,
        L=labels()[lang],
        run=run,
        meta=run.meta,
        org=run.organisation,
        a=analysis,
        texts=analysis.texts,
        scores=run.scores,
        severities=[s.value for s in Severity],
        statuses=[s.value for s in STATUS_ORDER],
        rules=SCORING_RULES[lang],
        ranking=RANKING_RULES[lang],
        # Safe only because our own code draws these SVGs from numbers (never from target text).
        trends={name: Markup(svg) for name, svg in (trends or {}).items()},
        audit_sections=[audit.section(section_id) for section_id in AUDIT_SECTIONS],
        # The non-conformity headings of the audit document carry the anchors findings link to (remediation once).
        item_anchors={f"{item.number}. {item.title}": f"action-{item.check_id}" for item in analysis.items},
        action_ids={item.check_id: item.number for item in analysis.items},
        rows=rows,
        options=_options(rows),
        AL=audit.labels,
        nonce=secrets.token_urlsafe(16),
        css=Markup(_load_template("report.css")),
        js=Markup(_load_template("report.js")),
    )
