"""The formal audit report as a neutral document: numbered sections of headings, paragraphs, tables, lists.

Built from the run's analysis (``auditor.analysis``: numbers, classes,
ranking and follow-up are computed there, once) in one language; the DOCX,
ODT and PDF writers and the workflow sections of the HTML report only lay
these blocks out, so the five outputs cannot disagree.  Structure (a KRI/KSC audit report): who audited what, when,
under whose authorisation and in what scope; management summary; numbered
non-conformities with legal basis, evidence and remediation; observations and
recommendations; accepted risks; remediation plan; follow-up of the previous
audit; methodology; signatures.  Pure: values in, values out.
"""

from __future__ import annotations

from datetime import datetime

from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from importlib.resources import files
from typing import Any, ClassVar, Union

import yaml

from auditor.analysis import RANKING_RULES, Analysis, AuditRules, NonConformity
from auditor.model import Acceptance, Finding, ScanRun
from auditor.scoring import SCORING_RULES
from auditor.terminal import strip_control


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    kind: ClassVar[str] = "para"
    text: str
    style: str = ""
    """``""`` body text, ``note`` (emphasised), ``pre`` (commands, keep line breaks), ``alert``."""


@dataclass(frozen=True)
class Fields:
    """Label–value pairs (a two-column table)."""

    kind: ClassVar[str] = "fields"
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Bullets:
    kind: ClassVar[str] = "bullets"
    items: tuple[str, ...]


Block = Union[Heading, Para, Fields, Table, Bullets]


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class AuditDocument:
    lang: str
    title: str
    subtitle: str
    organisation: str
    date: str
    sections: list[Section]
    labels: dict[str, Any]
    author: str = ""
    """Who signs the audit (the authorisation's auditor), else who ran the scan."""
    created: datetime | None = None
    """When the audit's evidence was collected (the run's end), for the document's metadata."""

    @property
    def language_tag(self) -> str:
        """BCP 47 tag for the document's proofing language (``pl-PL``, ``en-GB``)."""
        return {"pl": "pl-PL", "en": "en-GB"}.get(self.lang, self.lang)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)


@lru_cache(maxsize=1)
def audit_labels() -> dict[str, dict[str, Any]]:
    text = files("auditor.report_templates").joinpath("audit_labels.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _hours(value: float) -> str:
    return f"{value:g}"


def _info(analysis: Analysis, L: dict[str, Any]) -> list[Block]:
    run = analysis.run
    org = run.organisation
    auth = run.extras.authorisation
    meta = run.meta
    pairs = [(L["organisation"], str(org.get("name", "")))]
    if org.get("teryt"):
        pairs.append((L["teryt"], str(org["teryt"])))
    if auth and auth.auditor:
        pairs.append((L["auditor"], f"{auth.auditor.name} — {auth.auditor.role}"))
    pairs.append((L["operator"], f"{meta.operator or '-'} @ {meta.hostname or '-'}"))
    finished = f" – {analysis.time(meta.finished)}" if meta.finished else ""
    pairs.append((L["scan_period"], f"{analysis.time(meta.started)}{finished} ({analysis.zone.key})"))
    blocks: list[Block] = []
    if auth:
        pairs += [(L["authorised_by"], f"{auth.by.name} — {auth.by.role}"),
                  (L["authorisation_document"], auth.document),
                  (L["authorisation_window"], f"{auth.window.start} – {auth.window.end}")]
        if auth.scope_note:
            pairs.append((L["scope"], auth.scope_note))
    pairs.append((L["baselines"], ", ".join(f"{e.title[L['_lang']]} v{e.version}" for e in run.scores.values())
                  or "-"))
    pairs.append((L["tool"], f"auditor {meta.tool_version} · {meta.run_id}"))
    pairs += [(L["intrusive_tests"], entry.text) for entry in analysis.intrusive]
    blocks.append(Fields(tuple(pairs)))
    if not auth:
        blocks.append(Para(L["no_authorisation"], "alert"))
    if run.extras.authorisation_window_ignored:
        blocks.append(Para(L["window_ignored"], "alert"))
    blocks.append(Heading(L["targets"], 2))
    blocks.append(Table((L["target"], L["kind"], L["addresses"]),
                        tuple((t.name, t.kind, ", ".join(t.addresses)) for t in run.targets)))
    return blocks


def top_action_line(item: NonConformity, L: dict[str, Any]) -> str:
    """One of the top actions as every output words it: number, title, severity, targets, first step."""
    line = (f"{item.number} {item.title} ({L['severities'][item.severity]}; {L['targets_count'].lower()}: "
            f"{len(item.targets)}; {L['deadline'].lower()}: {item.deadline.isoformat()})")
    return line + (f" — {L['first_step'].lower()}: {item.first_step}" if item.first_step else "")


def _summary(analysis: Analysis, L: dict[str, Any]) -> list[Block]:
    lang = L["_lang"]
    run = analysis.run
    blocks: list[Block] = []
    if run.scores:
        blocks.append(Table((L["baseline"], L["score"], L["coverage"], L["grade"]), tuple(
            (e.title[lang], "-" if e.score is None else f"{e.score:.1f}", f"{e.coverage * 100:.0f}%",
             e.grade) for e in run.scores.values())))
        # The caveats a baseline carries (the unconfirmed 2024 KRI paragraph numbers) stand beside its score,
        # as in the HTML: a signed audit must not present a guessed numbering as the law's.
        blocks += [Para(f"{e.title[lang]}: {e.note[lang]}", "note") for e in run.scores.values() if e.note]
        blocks.append(Para(L["overall_grade"] % analysis.overall_grade))
    else:
        blocks.append(Para(L["no_scores"], "note"))
    counts = list(analysis.class_counts().values())
    blocks.append(Para(L["counts"] % (*(counts + [0, 0, 0])[:3], len(analysis.accepted))))
    blocks.append(Para(L["failing_counts"] % ", ".join(
        f"{L['severities'][sev]} {n}" for sev, n in analysis.failing_by_severity.items())))
    if analysis.top:
        blocks += [Para(L["fix_first"], "note"), Bullets(tuple(top_action_line(i, L) for i in analysis.top))]
    return blocks


def _item_blocks(item: NonConformity, rules: AuditRules, L: dict[str, Any]) -> list[Block]:
    lang = L["_lang"]
    blocks: list[Block] = [
        Heading(f"{item.number}. {item.title}", 2),
        Fields((
            (L["class"], getattr(rules.classes[item.cls].title, lang)),
            (L["severity"], L["severities"][item.severity]),
            (L["check"], item.check_id),
            (L["item_targets"], ", ".join(item.targets)),
            (L["legal_basis"], "; ".join(item.legal_basis) or "-"),
            (L["owner"], item.owner_label),
            (L["deadline"], item.deadline.isoformat()),
        )),
    ]
    for expired in item.expired_acceptances:
        blocks.append(Para(L["expired_note"] % expired, "alert"))
    blocks.append(Para(L["evidence"] + ":", "note"))
    lines = [f"{e.target}: {e.message}" for e in item.evidence]
    if item.evidence_total > len(item.evidence):
        lines.append(L["evidence_more"] % (item.evidence_total - len(item.evidence)))
    blocks.append(Bullets(tuple(lines)))
    if item.remediation:
        blocks += [Para(L["remediation"] + ":", "note"), Para(item.remediation, "pre")]
    return blocks


def _items(items: tuple[NonConformity, ...], rules: AuditRules, L: dict[str, Any]) -> list[Block]:
    if not items:
        return [Para(L["none_found"])]
    return [block for item in items for block in _item_blocks(item, rules, L)]


def _accepted(analysis: Analysis, L: dict[str, Any]) -> list[Block]:
    headers = (L["check"], L["target"], L["reason"], L["approver"], L["accepted_on"], L["valid_until"])

    def row(finding: Finding, entry: Acceptance) -> tuple[str, ...]:
        return (finding.check_id, finding.target_id + (f" ({finding.subject})" if finding.subject else ""),
                entry.reason, f"{entry.approver.name} — {entry.approver.role}", str(entry.date), str(entry.expires))

    active = [row(f, entry) for f in analysis.accepted if (entry := analysis.acceptance(f)) is not None]
    expired = [row(f, entry) for f, entry in sorted(analysis.expired, key=lambda pair: pair[0].key)]
    if not active and not expired:
        return [Para(L["none_found"])]
    blocks: list[Block] = []
    if active:
        blocks += [Para(L["accepted_intro"]), Table(headers, tuple(active))]
    if expired:
        blocks += [Para(L["accepted_expired_intro"], "alert"), Table(headers, tuple(expired))]
    return blocks


def plan_rows(analysis: Analysis) -> list[dict[str, str]]:
    """One row per non-conformity: the remediation plan (also the ``plan-csv`` export)."""
    classes = analysis.rules.classes
    return [{"number": i.number, "class": getattr(classes[i.cls].title, analysis.lang), "title": i.title,
             "check_id": i.check_id, "severity": i.severity.value, "targets": str(len(i.targets)),
             "owner": i.owner_label, "deadline": i.deadline.isoformat(), "effort_hours": _hours(i.effort_hours),
             "legal_basis": "; ".join(i.legal_basis), "rank": str(i.rank), "first_step": i.first_step}
            for i in analysis.items]


def _plan(analysis: Analysis, L: dict[str, Any]) -> list[Block]:
    if not analysis.items:
        return [Para(L["none_found"])]
    rows = plan_rows(analysis)
    return [Para(L["plan_intro"], "note"),
            Table((L["number"], L["title_col"], L["severity"], L["targets_count"], L["owner"], L["deadline"], L["effort"]),
                  tuple((r["number"], r["title"], L["severities"][r["severity"]], r["targets"], r["owner"],
                         r["deadline"], L["hours"] % r["effort_hours"]) for r in rows))]


def _followup(analysis: Analysis, L: dict[str, Any]) -> list[Block]:
    previous = analysis.previous
    if previous is None:
        return [Para(L["no_previous"], "note")]
    blocks: list[Block] = [Para(L["followup_intro"] % (analysis.time(previous.meta.started, date_only=True), previous.meta.run_id))]
    if not analysis.followup:
        return blocks + [Para(L["none_found"])]
    return blocks + [Table((L["number"], L["title_col"], L["targets_count"], L["previous_deadline"], L["state"]),
                           tuple((f.item.number, f.item.title, str(len(f.item.targets)), f.item.deadline.isoformat(),
                                  L["states"][f.state]) for f in analysis.followup))]


def _methodology(run: ScanRun, rules: AuditRules, L: dict[str, Any]) -> list[Block]:
    lang = L["_lang"]
    rule_lines = [L["classification_rule"] % (getattr(rules.classes[r.cls].title, lang),
                                              "/".join(L["statuses"][s] for s in r.status),
                                              L["severities"][r.min_severity.value])
                  for r in rules.classification]
    rule_lines.append(L["deadline_rule"] % ", ".join(f"{L['severities'][s.value]} {d}"
                                                     for s, d in rules.deadline_days.items()))
    blocks: list[Block] = [Para(L["methodology_intro"] % rules.version), Bullets(tuple(rule_lines)),
                           Para(RANKING_RULES[lang], "pre"), Para(SCORING_RULES[lang], "pre")]
    if run.meta.data_versions:
        blocks += [Heading(L["data_versions"], 2),
                   Table(("", ""), tuple((k, v) for k, v in sorted(run.meta.data_versions.items())))]
    return blocks


def build_audit(analysis: Analysis) -> AuditDocument:
    """The formal report of the analysed run (its follow-up included when the analysis has a previous run)."""
    lang = analysis.lang
    run, rules = analysis.run, analysis.rules
    L = {**audit_labels()[lang], "_lang": lang}
    first, *rest = list(rules.classes)
    sections = [
        Section("info", L["s_info"], _info(analysis, L)),
        Section("summary", L["s_summary"], _summary(analysis, L)),
        Section("nonconformities", L["s_nonconformities"], _items(analysis.of_class(first), rules, L)),
        Section("observations", L["s_observations"],
                _items(tuple(i for i in analysis.items if i.cls in rest), rules, L)),
        Section("accepted", L["s_accepted"], _accepted(analysis, L)),
        Section("plan", L["s_plan"], _plan(analysis, L)),
        Section("followup", L["s_followup"], _followup(analysis, L)),
        Section("methodology", L["s_methodology"], _methodology(run, rules, L)),
        Section("signatures", L["s_signatures"], [Fields(((L["signature_auditor"], "\n\n"),
                                                          (L["signature_head"], "\n\n")))]),
    ]
    for section in sections:
        section.blocks = [_without_control(block) for block in section.blocks]
    org = strip_control(str(run.organisation.get("name", "")))
    auth = run.extras.authorisation
    return AuditDocument(lang=lang, title=L["title"], subtitle=L["subtitle"] % org, organisation=org,
                         date=analysis.time(run.meta.started, date_only=True), sections=sections, labels=L,
                         author=_clean(str((auth.auditor if auth else "") or run.meta.operator or "")),
                         created=run.meta.finished or run.meta.started)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, tuple):
        return tuple(_clean(item) for item in value)
    return value


def _without_control(block: Block) -> Block:
    """Target text (banners, titles) without control characters: XML (DOCX, ODT) cannot carry them at all."""
    return replace(block, **{f.name: _clean(getattr(block, f.name)) for f in fields(block)})
