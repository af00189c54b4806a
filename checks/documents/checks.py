"""Judging the documents evidence: is each expected document there, approved, current and complete?

Per document type (not per file): an office may keep an old draft next to
the approved policy, so a type is judged on its best document — the newest
approved one, else the newest one.  Dates are taken from the text (review,
approval, effective, document date); file metadata is used only when the
text has none, and the finding says so.  Everything is judged at
``JudgeContext.now``, the time of the scan.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from auditor.checks.documents.classify import matched_phrases
from auditor.checks.documents.family import FAMILY
from auditor.checks.documents.profiles import Profiles, profiles
from auditor.model import Evidence, Target
from auditor.plugin import CheckFunction, JudgeContext, Verdict, failed, manual, not_applicable, passed, warned

#: The type judged by ``doc.internal_audit_overdue`` rather than ``doc.stale``.
INTERNAL_AUDIT = "internal_audit"
_TEXT_DATES = ("last_review", "approval", "effective", "document")


# ------------------------------------------------------------------ evidence helpers


def readable(evidence: Evidence) -> list[dict[str, Any]]:
    return [f for f in evidence.get("files", []) if f.get("text_extracted")]


def documents_of(evidence: Evidence, type_id: str) -> list[dict[str, Any]]:
    return [f for f in readable(evidence) if type_id in f.get("classification", {}).get("types", [])]


def is_approved(doc: dict[str, Any]) -> bool:
    return bool(doc.get("dates", {}).get("approval")) and not doc.get("draft_markers")


def approval_judged(doc: dict[str, Any]) -> bool:
    """Records and reports (a training register, an audit report) are kept and dated, not enacted."""
    return bool(doc.get("classification", {}).get("approval_judged", True))


def near_misses(evidence: Evidence, type_id: str) -> list[dict[str, Any]]:
    """Readable files that mention the type but were not taken for it, with the reason why not."""
    found = []
    for doc in readable(evidence):
        classification = doc.get("classification", {})
        why = classification.get("why") or {}
        if type_id in classification.get("mentioned", []) and type_id not in classification.get("types", []):
            found.append({"path": doc["path"], "kind": why.get("kind"), "code": why.get("code"), "line": why.get("kind_line") or why.get("subject")})
    return found


def _describe(misses: list[dict[str, Any]], language: str) -> str:
    """"Petycja_NIS2.pdf (petycja: „PETYCJA”)" for each near miss, in the report's language."""
    kinds = profiles().kinds
    parts = []
    for miss in misses[:_NEAR_MISSES_SHOWN]:
        kind = kinds.get(miss["kind"] or "")
        name = getattr(kind.name, language) if kind else miss["kind"]
        reason = _WHY_TEXT[language].get(miss["code"], "")
        line = f" „{miss['line'][:80]}”" if miss.get("line") else ""
        parts.append(f"{miss['path']} ({name}{line}{reason})")
    more = len(misses) - _NEAR_MISSES_SHOWN
    if more > 0:
        parts.append(f"+{more}")
    return "; ".join(parts)


_NEAR_MISSES_SHOWN = 5
_WHY_TEXT = {
    "pl": {
        "kind_not_a_document": "",
        "act_introduces_nothing": " — akt nie wprowadza dokumentu",
        "kind_not_allowed": " — ten rodzaj dokumentu nie może nim być",
        "title_names_no_type": " — tytuł go nie nazywa, wspomina o nim tylko treść",
        "no_title": " — brak tytułu",
    },
    "en": {
        "kind_not_a_document": "",
        "act_introduces_nothing": " — the act introduces no document",
        "kind_not_allowed": " — a document of this kind cannot be it",
        "title_names_no_type": " — only its body mentions it, not its title",
        "no_title": " — no title",
    },
}


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def reference_date(doc: dict[str, Any], today: date) -> tuple[date | None, str]:
    """The latest date the text vouches for (not in the future), else file metadata, and its source."""
    dates = doc.get("dates", {})
    candidates = []
    for key in _TEXT_DATES:
        value = dates.get(key)
        value = value.get("date") if isinstance(value, dict) else value
        parsed = _iso_date(value)
        if parsed is not None and parsed <= today:
            candidates.append((parsed, key))
    if candidates:
        return max(candidates)
    metadata = doc.get("metadata", {})
    for key in ("modified", "created"):
        parsed = _iso_date(metadata.get(key))
        if parsed is not None and parsed <= today:
            return parsed, "metadata"
    return None, "none"


def best_document(docs: list[dict[str, Any]], today: date) -> dict[str, Any]:
    """The newest approved document of a type, else the newest one."""
    pool = [d for d in docs if is_approved(d)] or docs
    return max(pool, key=lambda d: (reference_date(d, today)[0] or date.min, d["path"]))


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(start)


def _type_facts(data: Profiles, type_id: str) -> dict[str, Any]:
    names = data.types[type_id].name
    return {"type": type_id, "type_pl": names.pl, "type_en": names.en}


def _doc_facts(doc: dict[str, Any], type_id: str) -> dict[str, Any]:
    """Path, title and why the document counts as ``type_id`` (it may be its second type)."""
    classification = doc.get("classification", {})
    candidate = next((c for c in classification.get("candidates", []) if c.get("type") == type_id), None)
    if candidate is None:
        confidence, matched = classification.get("confidence"), classification.get("matched", [])
    else:
        confidence, matched = candidate["confidence"], matched_phrases(candidate)
    why = classification.get("why") or {}
    source = "filename" if why.get("code") == "typed_by_filename" else why.get("subject_source")
    return {
        "path": doc["path"],
        "title": doc.get("title"),
        "confidence": confidence,
        "matched": matched,
        "kind": why.get("kind"),
        "typed_by": source,
        "typed_by_pl": _TYPED_BY["pl"].get(source or "", ""),
        "typed_by_en": _TYPED_BY["en"].get(source or "", ""),
        "title_subject": why.get("subject"),
    }


_TYPED_BY = {
    "pl": {
        "act": "przedmiot aktu wprowadzającego",
        "title": "tytuł dokumentu",
        "metadata": "tytuł w metadanych pliku",
        "filename": "nazwa pliku potwierdzona treścią",
    },
    "en": {
        "act": "the subject of the introducing act",
        "title": "the document's title",
        "metadata": "the file's metadata title",
        "filename": "the file name, backed by the body",
    },
}


def _overrides(target: Target) -> dict[str, int]:
    return dict(target.attrs.get("review_months", {}) or {})


# ------------------------------------------------------------------ checks


def _missing(type_id: str) -> CheckFunction:
    """The ``doc.missing.<type>`` check of one type (one per type in the profile data)."""

    def check(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
        data = profiles()
        facts = _type_facts(data, type_id)
        if not data.types[type_id].required:
            yield not_applicable(type_id, message="not_required", **facts)
            return
        docs = documents_of(evidence, type_id)
        if docs:
            best = best_document(docs, ctx.now.date())
            found = _doc_facts(best, type_id)
            message = "pass_why" if found["title_subject"] else "pass"
            yield passed(type_id, message=message, documents=[d["path"] for d in docs], **facts, **found)
            return
        unreadable = [f for f in evidence.get("files", []) if f.get("error")]
        hinted = [f["path"] for f in unreadable if type_id in f.get("hint_types", [])]
        if hinted:
            yield manual(type_id, message="maybe_unreadable", files=hinted, **facts)
            return
        misses = near_misses(evidence, type_id)
        yield failed(
            type_id,
            message="fail_near_misses" if misses else "fail",
            examined=len(evidence.get("files", [])),
            unreadable=len(unreadable),
            near_misses=misses,
            near_misses_pl=_describe(misses, "pl"),
            near_misses_en=_describe(misses, "en"),
            **facts,
        )

    return check


for _type_id in profiles().types:
    FAMILY.check(f"doc.missing.{_type_id}")(_missing(_type_id))


def _judged_types(evidence: Evidence) -> Iterable[tuple[str, list[dict[str, Any]]]]:
    """Required types that have at least one document (missing ones are doc.missing.*'s job)."""
    for type_id, profile in profiles().types.items():
        docs = documents_of(evidence, type_id)
        if profile.required and docs:
            yield type_id, docs


@FAMILY.check("doc.unapproved")
def unapproved(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    data = profiles()
    judged = False
    for type_id, docs in _judged_types(evidence):
        if not data.types[type_id].needs_approval:
            continue
        docs = [d for d in docs if approval_judged(d)]
        if not docs:
            continue  # only records of the type (a register): doc.stale judges them
        judged = True
        facts = _type_facts(data, type_id)
        approved = [d for d in docs if is_approved(d)]
        if approved:
            act = best_document(approved, ctx.now.date())["dates"]["approval"]
            yield passed(type_id, act=act.get("text"), act_date=act.get("date"), **facts)
            continue
        drafts = [d["path"] for d in docs if d.get("draft_markers")]
        yield failed(
            type_id,
            message="draft" if drafts else "fail",
            documents=[d["path"] for d in docs],
            drafts=drafts,
            **facts,
        )
    if not judged:
        yield not_applicable(message="no_documents")


@FAMILY.check("doc.stale")
def stale(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    data = profiles()
    today = ctx.now.date()
    judged = False
    for type_id, docs in _judged_types(evidence):
        if type_id == INTERNAL_AUDIT:
            continue
        judged = True
        best = best_document(docs, today)
        verdict = _freshness(best, data.review_months(type_id, _overrides(target)), today)
        yield Verdict(
            verdict.status, {**_type_facts(data, type_id), **verdict.facts}, type_id, verdict.message, verdict.severity
        )
    if not judged:
        yield not_applicable(message="no_documents")


def _freshness(doc: dict[str, Any], months: int, today: date) -> Verdict:
    """Pass when the document's reference date is within ``months``; metadata-only dates only warn."""
    when, source = reference_date(doc, today)
    facts = {"path": doc["path"], "title": doc.get("title"), "review_months": months, "date_source": source}
    if when is None:
        return manual(message="no_date", **facts)
    due = add_months(when, months)
    facts.update(date=when.isoformat(), due=due.isoformat())
    if due >= today:
        return passed(message="metadata_pass" if source == "metadata" else "pass", **facts)
    if source == "metadata":
        return warned(message="metadata", **facts)
    return failed(**facts)


@FAMILY.check("doc.internal_audit_overdue")
def internal_audit_overdue(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    data = profiles()
    today = ctx.now.date()
    facts = _type_facts(data, INTERNAL_AUDIT)
    docs = documents_of(evidence, INTERNAL_AUDIT)
    if not docs:
        yield failed(message="none", **facts)
        return
    verdict = _freshness(best_document(docs, today), data.review_months(INTERNAL_AUDIT, _overrides(target)), today)
    yield Verdict(verdict.status, {**facts, **verdict.facts}, INTERNAL_AUDIT, verdict.message, verdict.severity)


@FAMILY.check("doc.unreadable")
def unreadable(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    problems = [f for f in evidence.get("files", []) if f.get("error")]
    for doc in problems:
        error = doc["error"]
        yield manual(
            doc["path"],
            message=error["reason"] if error["reason"] in _UNREADABLE_MESSAGES else "manual",
            path=doc["path"],
            format=doc.get("format") or "?",
            reason=error["reason"],
            detail=error.get("detail", ""),
            pages=doc.get("pages"),
            hint_types=doc.get("hint_types", []),
        )
    special = [s for s in evidence.get("skipped", []) if s.get("code") == "not_regular_file"]
    for entry in special:
        yield manual(entry["path"], message="not_regular_file", path=entry["path"], detail=entry["reason"])
    for folder in evidence.get("missing_roots", []):
        yield manual(folder, message="missing_root", folder=folder)
    if evidence.get("truncated"):
        yield manual(message="truncated", limits=evidence.get("limits", {}))
    if not problems and not special and not evidence.get("truncated") and not evidence.get("missing_roots"):
        yield passed(examined=len(evidence.get("files", [])))


_UNREADABLE_MESSAGES = frozenset({"no_text_layer", "encrypted", "unsupported_format"})


def _sections(type_id: str) -> CheckFunction:
    """The ``doc.sections.<type>`` check: does the type's best document have its required sections?"""

    def check(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
        data = profiles()
        profile = data.types[type_id]
        docs = documents_of(evidence, type_id)
        if not any(s.required for s in profile.sections) or not docs:
            yield not_applicable(type_id, message="no_document", **_type_facts(data, type_id))
            return
        best = best_document(docs, ctx.now.date())
        coverage = best.get("sections", {}).get(type_id, {})
        names = {s.id: s.name for s in profile.sections}
        missing = coverage.get("missing_required", [])
        facts = {
            **_type_facts(data, type_id),
            "path": best["path"],
            "found": coverage.get("found", []),
            "missing": missing,
            "missing_pl": [names[m].pl for m in missing if m in names],
            "missing_en": [names[m].en for m in missing if m in names],
        }
        yield (warned if missing else passed)(type_id, **facts)

    return check


for _type_id in profiles().types:
    FAMILY.check(f"doc.sections.{_type_id}")(_sections(_type_id))
