"""Check texts in one report language, and how a finding's target is named.

Check texts come from the registry (``CheckSpec``); a check the registry no
longer knows (a run from another version) or a manual answer falls back to
the finding's own message, so an old run still renders.  Requirement texts
come from ``run.scores`` (the scorer copies them there), so neither the
analysis nor rendering needs baseline files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping


from auditor.model import Finding, ScanRun
from auditor.wording import MAX_FACT_CHARS, fact_label, fact_value, report_labels
from auditor.registry import Registry
from auditor.scoring import MANUAL_PREFIX

_STEP_NUMBER = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s*")


def reader_facts(facts: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """A finding's evidence as (label, value) in the reader's language, each value bounded in length.

    A ``key_pl``/``key_en`` pair is shown once, in the reader's language,
    under ``key``'s label, in place of a bare ``key`` (the code it spells out).
    """
    other = "en" if lang == "pl" else "pl"
    shown: list[tuple[str, str]] = []
    for key, value in facts.items():
        if key.endswith("_" + other) or f"{key}_{lang}" in facts:
            continue
        base = key[: -len(lang) - 1] if key.endswith("_" + lang) else key
        text = fact_value(value, lang)
        shown.append((fact_label(base, lang), text if len(text) <= MAX_FACT_CHARS else text[: MAX_FACT_CHARS - 1] + "…"))
    return shown


def status_word(status: str, lang: str) -> str:
    """A finding's status (``fail``) as the reader's word (``niezgodne``)."""
    return str(report_labels()[lang]["statuses"][status])


def severity_word(severity: str, lang: str) -> str:
    """A severity (``high``) as the reader's word (``wysoka``)."""
    return str(report_labels()[lang]["severities"][severity])


@dataclass(frozen=True)
class Texts:
    registry: Registry
    lang: str

    def check_title(self, check_id: str, fallback: Finding | None = None) -> str:
        spec = self.registry.checks.get(check_id)
        if spec is not None:
            return spec.title(self.lang)
        if fallback is not None and check_id.startswith(MANUAL_PREFIX):
            return fallback.message.get(self.lang, "").split(" — ")[0]
        title = fallback.facts.get("title") if fallback is not None else None
        if isinstance(title, dict) and title.get(self.lang):
            # findings made by the scorer itself (baseline.entity_class) carry their own title
            return str(title[self.lang])
        return check_id

    def remediation(self, check_id: str) -> str:
        spec = self.registry.checks.get(check_id)
        return spec.remediation(self.lang).strip() if spec is not None else ""

    def message(self, finding: Finding) -> str:
        return finding.message.get(self.lang) or finding.message.get("en", "")

    def facts(self, finding: Finding) -> list[tuple[str, str]]:
        """The finding's technical evidence in the reader's words (``reader_facts``)."""
        return reader_facts(finding.facts, self.lang)

    def status(self, finding: Finding) -> str:
        return status_word(finding.status.value, self.lang)

    def severity(self, finding: Finding) -> str:
        return severity_word(finding.severity.value, self.lang)


def first_step(remediation: str) -> str:
    """The first concrete step of a remediation text: its first line without the step number."""
    for line in remediation.splitlines():
        if line.strip():
            return _STEP_NUMBER.sub("", line).strip()
    return ""


def per_subject_sources(run: ScanRun, registry: Registry) -> frozenset[str]:
    """Evidence sources whose subjects are separate hosts (a folder of configuration bundles)."""
    return frozenset(t.id for t in run.targets
                     if getattr(registry.source_types.get(t.kind), "findings_per_subject", False))


def target_label(finding: Finding, per_subject: frozenset[str]) -> str:
    """The target an action lists: the host (subject) of a per-subject source, else the target id."""
    return finding.subject if finding.subject and finding.target_id in per_subject else finding.target_id
