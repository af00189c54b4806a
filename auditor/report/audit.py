"""The formal audit report as a neutral document: numbered sections of headings, paragraphs, tables, lists.

Built once from a run (and optionally the previous snapshot of the same
office) in one language; the DOCX, ODT and PDF writers and the workflow
sections of the HTML report only lay these blocks out, so the five outputs
cannot disagree.  Structure (a KRI/KSC audit report): who audited what, when,
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

from auditor.model import ScanRun
from auditor.registry import Registry, default_registry
from auditor.scoring import SCORING_RULES, overall_grade
from auditor.terminal import strip_control
from auditor.workflow.followup import FollowUp, follow_up
from auditor.workflow.nonconformity import Classified, NonConformity, non_conformities
from auditor.workflow.rules import AuditRules, load_audit_rules


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


def _info(run: ScanRun, L: dict[str, Any]) -> list[Block]:
    org = run.organisation
    auth = run.extras.get("authorisation")
    meta = run.meta
    pairs = [(L["organisation"], str(org.get("name", "")))]
    if org.get("teryt"):
        pairs.append((L["teryt"], str(org["teryt"])))
    if auth and auth.get("auditor"):
        pairs.append((L["auditor"], f"{auth['auditor']['name']} — {auth['auditor']['role']}"))
    pairs.append((L["operator"], f"{meta.operator or '-'} @ {meta.hostname or '-'}"))
    finished = f" – {meta.finished:%Y-%m-%d %H:%M}" if meta.finished else ""
    pairs.append((L["scan_period"], f"{meta.started:%Y-%m-%d %H:%M}{finished} UTC"))
    blocks: list[Block] = []
    if auth:
        pairs += [(L["authorised_by"], f"{auth['by']['name']} — {auth['by']['role']}"),
                  (L["authorisation_document"], auth["document"]),
                  (L["authorisation_window"], f"{auth['window']['start']} – {auth['window']['end']}")]
        if auth.get("scope_note"):
            pairs.append((L["scope"], auth["scope_note"]))
    pairs.append((L["baselines"], ", ".join(f"{e['title'][L['_lang']]} v{e['version']}" for e in run.scores.values())
                  or "-"))
    pairs.append((L["tool"], f"auditor {meta.tool_version} · {meta.run_id}"))
    blocks.append(Fields(tuple(pairs)))
    if not auth:
        blocks.append(Para(L["no_authorisation"], "alert"))
    if run.extras.get("authorisation_window_ignored"):
        blocks.append(Para(L["window_ignored"], "alert"))
    blocks.append(Heading(L["targets"], 2))
    blocks.append(Table((L["target"], L["kind"], L["addresses"]),
                        tuple((t.name, t.kind, ", ".join(t.addresses)) for t in run.targets)))
    return blocks


def _summary(run: ScanRun, classified: Classified, rules: AuditRules, L: dict[str, Any]) -> list[Block]:
    lang = L["_lang"]
    blocks: list[Block] = []
    if run.scores:
        blocks.append(Table((L["baseline"], L["score"], L["coverage"], L["grade"]), tuple(
            (e["title"][lang], "-" if e["score"] is None else f"{e['score']:.1f}", f"{e['coverage'] * 100:.0f}%",
             e["grade"]) for e in run.scores.values())))
        blocks.append(Para(L["overall_grade"] % overall_grade(run.scores)))
    else:
        blocks.append(Para(L["no_scores"], "note"))
    counts = [len(classified.of_class(cls)) for cls in rules.classes]
    blocks.append(Para(L["counts"] % (*(counts + [0, 0, 0])[:3], len(classified.accepted))))
    worst = [item for item in classified.items if item.cls == next(iter(rules.classes))][:5]
    if worst:
        blocks.append(Bullets(tuple(f"{i.number} {i.title} ({L['severities'][i.severity]}; "
                                    f"{L['deadline'].lower()}: {i.deadline.isoformat()})" for i in worst)))
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


def _items(items: list[NonConformity], rules: AuditRules, L: dict[str, Any]) -> list[Block]:
    if not items:
        return [Para(L["none_found"])]
    return [block for item in items for block in _item_blocks(item, rules, L)]


def _accepted(run: ScanRun, classified: Classified, L: dict[str, Any]) -> list[Block]:
    entries = run.extras.get("accepted") or {}
    headers = (L["check"], L["target"], L["reason"], L["approver"], L["accepted_on"], L["valid_until"])

    def row(key: str, entry: dict[str, Any]) -> tuple[str, ...]:
        check, target, subject = key.split("|", 2)
        return (check, target + (f" ({subject})" if subject else ""), entry["reason"],
                f"{entry['approver']['name']} — {entry['approver']['role']}", str(entry["date"]), str(entry["expires"]))

    active = [row(f.key, entries[f.key]) for f in classified.accepted]
    expired = [row(k, e) for k, e in sorted(entries.items()) if e["state"] == "expired"]
    if not active and not expired:
        return [Para(L["none_found"])]
    blocks: list[Block] = []
    if active:
        blocks += [Para(L["accepted_intro"]), Table(headers, tuple(active))]
    if expired:
        blocks += [Para(L["accepted_expired_intro"], "alert"), Table(headers, tuple(expired))]
    return blocks


def plan_rows(classified: Classified, rules: AuditRules, lang: str) -> list[dict[str, str]]:
    """One row per non-conformity: the remediation plan (also the ``plan-csv`` export)."""
    return [{"number": i.number, "class": getattr(rules.classes[i.cls].title, lang), "title": i.title,
             "check_id": i.check_id, "severity": i.severity, "targets": str(len(i.targets)),
             "owner": i.owner_label, "deadline": i.deadline.isoformat(), "effort_hours": _hours(i.effort_hours),
             "legal_basis": "; ".join(i.legal_basis)} for i in classified.items]


def _plan(classified: Classified, rules: AuditRules, L: dict[str, Any]) -> list[Block]:
    if not classified.items:
        return [Para(L["none_found"])]
    rows = plan_rows(classified, rules, L["_lang"])
    return [Para(L["plan_intro"], "note"),
            Table((L["number"], L["title_col"], L["severity"], L["targets_count"], L["owner"], L["deadline"], L["effort"]),
                  tuple((r["number"], r["title"], L["severities"][r["severity"]], r["targets"], r["owner"],
                         r["deadline"], L["hours"] % r["effort_hours"]) for r in rows))]


def _followup(previous: ScanRun | None, items: list[FollowUp], L: dict[str, Any]) -> list[Block]:
    if previous is None:
        return [Para(L["no_previous"], "note")]
    blocks: list[Block] = [Para(L["followup_intro"] % (f"{previous.meta.started:%Y-%m-%d}", previous.meta.run_id))]
    if not items:
        return blocks + [Para(L["none_found"])]
    return blocks + [Table((L["number"], L["title_col"], L["targets_count"], L["previous_deadline"], L["state"]),
                           tuple((f.item.number, f.item.title, str(len(f.item.targets)), f.item.deadline.isoformat(),
                                  L["states"][f.state]) for f in items))]


def _methodology(run: ScanRun, rules: AuditRules, L: dict[str, Any]) -> list[Block]:
    lang = L["_lang"]
    rule_lines = [L["classification_rule"] % (getattr(rules.classes[r.cls].title, lang),
                                              "/".join(L["statuses"][s] for s in r.status),
                                              L["severities"][r.min_severity.value])
                  for r in rules.classification]
    rule_lines.append(L["deadline_rule"] % ", ".join(f"{L['severities'][s.value]} {d}"
                                                     for s, d in rules.deadline_days.items()))
    blocks: list[Block] = [Para(L["methodology_intro"] % rules.version), Bullets(tuple(rule_lines)),
                           Para(SCORING_RULES[lang], "pre")]
    if run.meta.data_versions:
        blocks += [Heading(L["data_versions"], 2),
                   Table(("", ""), tuple((k, v) for k, v in sorted(run.meta.data_versions.items())))]
    return blocks


def build_audit(run: ScanRun, *, lang: str = "pl", registry: Registry | None = None,
                rules: AuditRules | None = None, previous: ScanRun | None = None) -> AuditDocument:
    """The formal report of ``run``; ``previous`` is the last earlier snapshot of the same office, if any."""
    registry = registry or default_registry()
    rules = rules or load_audit_rules()
    L = {**audit_labels()[lang], "_lang": lang}
    classified = non_conformities(run, registry, rules, lang)
    first, *rest = list(rules.classes)
    earlier = (follow_up(non_conformities(previous, registry, rules, lang).items, run)
               if previous is not None else [])
    sections = [
        Section("info", L["s_info"], _info(run, L)),
        Section("summary", L["s_summary"], _summary(run, classified, rules, L)),
        Section("nonconformities", L["s_nonconformities"], _items(classified.of_class(first), rules, L)),
        Section("observations", L["s_observations"],
                _items([i for i in classified.items if i.cls in rest], rules, L)),
        Section("accepted", L["s_accepted"], _accepted(run, classified, L)),
        Section("plan", L["s_plan"], _plan(classified, rules, L)),
        Section("followup", L["s_followup"], _followup(previous, earlier, L)),
        Section("methodology", L["s_methodology"], _methodology(run, rules, L)),
        Section("signatures", L["s_signatures"], [Fields(((L["signature_auditor"], "\n\n"),
                                                          (L["signature_head"], "\n\n")))]),
    ]
    for section in sections:
        section.blocks = [_without_control(block) for block in section.blocks]
    org = strip_control(str(run.organisation.get("name", "")))
    auth = run.extras.get("authorisation") or {}
    return AuditDocument(lang=lang, title=L["title"], subtitle=L["subtitle"] % org, organisation=org,
                         date=f"{run.meta.started:%Y-%m-%d}", sections=sections, labels=L,
                         author=_clean(str(auth.get("auditor") or run.meta.operator or "")),
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
