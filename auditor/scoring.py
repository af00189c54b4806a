"""How findings become requirement statuses, baseline scores and grades.

The rules are written here once, in English and Polish; the report prints
them verbatim in its methodology section (``SCORING_RULES[lang]``).

[en]
Evidence
    A requirement lists checks (each with weight 1-3) and manual questions.
    The outcome of a check for a requirement is taken over all targets:
    fail if any finding of the check failed, otherwise warn if any warned,
    otherwise pass if any passed. Findings "error", "not applicable" and
    "manual" (from a check) are no evidence: a probe that did not run never
    counts as a pass. A manual question is evidence when the office answered
    it in attestations.yaml and the answer is not older than the question's
    period (period_months); its result is yes (pass), partial or no (fail).
    A stale answer is shown, marked stale, and counts as no answer.
Accepted risks
    A failing finding covered by an acceptance valid on the scan day
    (accepted-risks.yaml) is no evidence either: it neither lowers the score
    nor counts as a pass, it does not cap the grade, and a requirement with
    such a finding is never met (at best partial). From the day after the
    acceptance expires the finding counts as a failure again.
Requirement ratio
    Each evidenced item earns pass = 1, warn or partial = 0.5, fail = 0,
    times its weight; the ratio is the weighted mean over evidenced items.
Requirement status
    not assessed - no evidence and no question to ask; manual - no evidence
    yet, questions await an answer; met - ratio 1 and no question left
    unanswered; not met - ratio 0; partial - anything in between, including
    ratio 1 with unanswered or stale questions (never met on half the
    evidence).
Score
    Over assessed requirements (met, partial, not met): 100 x sum(weight x
    ratio) / sum(weight), one decimal; no assessed requirement, no score.
Coverage
    Share of the baseline's requirements that are assessed (automated or
    manual evidence), always shown beside the score; automated coverage
    counts automated evidence only.
Grade
    A >= 90, B >= 75, C >= 60, D >= 40, otherwise F; "-" without a score.
    A failing finding of severity critical in the evidence caps the grade
    at D, of severity high at C. Coverage below 50 % adds "*" (provisional).
    The overall grade of a report is the lowest baseline grade.
[pl]
Dowody
    Wymaganie wskazuje kontrole (każda z wagą 1-3) i pytania do ręcznej
    weryfikacji. Wynik kontroli dla wymagania liczy się ze wszystkich celów:
    niezgodność, jeśli którekolwiek ustalenie kontroli jest niezgodne, w
    przeciwnym razie ostrzeżenie, jeśli którekolwiek jest ostrzeżeniem, w
    przeciwnym razie zgodność, jeśli którekolwiek jest zgodne. Ustalenia
    "błąd", "nie dotyczy" i "ręczne" (z kontroli) nie są dowodem: sonda,
    która się nie wykonała, nigdy nie liczy się jako zgodność. Pytanie jest
    dowodem, gdy urząd odpowiedział na nie w attestations.yaml, a odpowiedź
    nie jest starsza niż okres pytania (period_months); wynik to tak
    (zgodne), częściowo albo nie (niezgodne). Nieaktualna odpowiedź jest
    pokazana z oznaczeniem i liczy się jak brak odpowiedzi.
Ryzyka zaakceptowane
    Niezgodne ustalenie objęte akceptacją ryzyka ważną w dniu skanowania
    (accepted-risks.yaml) również nie jest dowodem: nie obniża wyniku, nie
    liczy się jako zgodność i nie ogranicza oceny, a wymaganie z takim
    ustaleniem nigdy nie jest spełnione (najwyżej częściowo). Od dnia
    następującego po wygaśnięciu akceptacji ustalenie znów liczy się jako
    niezgodność.
Wskaźnik wymagania
    Każdy element z dowodem daje: zgodne = 1, ostrzeżenie lub częściowo =
    0,5, niezgodne = 0, razy waga; wskaźnik to średnia ważona z elementów z
    dowodem.
Status wymagania
    nieocenione - brak dowodów i pytań; do weryfikacji ręcznej - brak
    dowodów, pytania czekają na odpowiedź; spełnione - wskaźnik 1 i
    wszystkie pytania z odpowiedzią; niespełnione - wskaźnik 0; częściowo -
    pozostałe przypadki, także wskaźnik 1 przy pytaniach bez aktualnej
    odpowiedzi (wymaganie nigdy nie jest spełnione na połowie dowodów).
Wynik
    Z wymagań ocenionych (spełnione, częściowo, niespełnione): 100 x
    suma(waga x wskaźnik) / suma(wag), z jednym miejscem po przecinku; bez
    ocenionych wymagań nie ma wyniku.
Pokrycie
    Udział wymagań ocenionych (dowód automatyczny lub ręczny) we wszystkich
    wymaganiach wzorca, zawsze podawany obok wyniku; pokrycie automatyczne
    liczy tylko dowody automatyczne.
Ocena
    A >= 90, B >= 75, C >= 60, D >= 40, poniżej F; "-" bez wyniku.
    Niezgodne ustalenie o ważności krytycznej w dowodach ogranicza ocenę do
    D, o ważności wysokiej do C. Pokrycie poniżej 50 % dodaje "*" (ocena
    wstępna). Ocena ogólna raportu to najniższa z ocen wzorców.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from pydantic import TypeAdapter

from auditor import entity_class
from auditor.baseline import Basis, Baseline, ManualItem, Requirement
from auditor.model import (Attestation, BaselinePart, BaselineScore, CheckOutcome, Finding, LegalBasis,
                           ManualQuestion, ReqStatus, RequirementScore, ScanRun, Selection, Severity, Status)
from auditor.workflow.accepted import mark_accepted

#: Printed in the report's methodology section, per language.
SCORING_RULES = {
    "en": __doc__.split("[en]\n", 1)[1].split("[pl]\n", 1)[0].rstrip(),
    "pl": __doc__.split("[pl]\n", 1)[1].rstrip(),
}

ORGANISATION_TARGET = "organisation"
_SELECTION = TypeAdapter(Selection)
MANUAL_PREFIX = "manual."


ASSESSED = (ReqStatus.MET, ReqStatus.PARTIAL, ReqStatus.NOT_MET)

_OUTCOME_VALUE = {"pass": 1.0, "warn": 0.5, "partial": 0.5, "fail": 0.0}
_GRADES = ((90, "A"), (75, "B"), (60, "C"), (40, "D"))
_CAPS = {Severity.CRITICAL: "D", Severity.HIGH: "C"}
_GRADE_ORDER = "ABCDF"


@dataclass
class _Evidence:
    """What the scorer knows about one requirement while it adds items up."""

    earned: float = 0.0
    weight: float = 0.0
    automated: bool = False
    manual: bool = False
    pending: list[str] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)

    def add(self, outcome: str, weight: int) -> None:
        self.earned += _OUTCOME_VALUE[outcome] * weight
        self.weight += weight


def check_outcome(findings: Iterable[Finding]) -> str | None:
    """``fail`` / ``warn`` / ``pass`` over one check's findings, or ``None`` without evidence."""
    statuses = {f.status for f in findings}
    for status in (Status.FAIL, Status.WARN, Status.PASS):
        if status in statuses:
            return status.value
    return None


def manual_check_id(item_id: str) -> str:
    return f"{MANUAL_PREFIX}{item_id}"


def _manual_outcome(finding: Finding | None) -> str | None:
    if finding is None or finding.facts.get("stale"):
        return None
    return {"yes": "pass", "partial": "partial", "no": "fail"}[finding.facts["result"]]


def _requirement_evidence(requirement: Requirement, by_check: Mapping[str, list[Finding]],
                          accepted: frozenset[str] = frozenset()) -> _Evidence:
    evidence = _Evidence()
    for ref in requirement.checks:
        findings = by_check.get(ref.id, [])
        evidence.findings.extend(f.key for f in findings if f.status is not Status.NOT_APPLICABLE)
        evidence.accepted.extend(f.key for f in findings if f.key in accepted)
        outcome = check_outcome(f for f in findings if f.key not in accepted)
        evidence.checks[ref.id] = outcome or "no_evidence"
        if outcome:
            evidence.automated = True
            evidence.add(outcome, ref.weight)
    for item in requirement.manual:
        answers = by_check.get(manual_check_id(item.id), [])
        answer = answers[0] if answers else None
        if answer is not None:
            evidence.findings.append(answer.key)
        outcome = _manual_outcome(answer)
        if outcome is None:
            evidence.pending.append(item.id)
        else:
            evidence.manual = True
            evidence.add(outcome, item.weight)
    return evidence


def _status(requirement: Requirement, evidence: _Evidence) -> tuple[ReqStatus, float | None]:
    if evidence.weight == 0:
        return (ReqStatus.MANUAL if requirement.manual else ReqStatus.NOT_ASSESSED), None
    ratio = evidence.earned / evidence.weight
    if ratio == 0:
        return ReqStatus.NOT_MET, ratio
    if ratio == 1 and not evidence.pending and not evidence.accepted:
        return ReqStatus.MET, ratio
    return ReqStatus.PARTIAL, ratio


def grade(score: float | None, coverage: float, worst: Severity | None) -> str:
    """Letter grade from the score, capped by the worst failing severity, ``*`` when coverage < 50 %."""
    if score is None:
        return "-"
    letter = next((g for limit, g in _GRADES if score >= limit), "F")
    cap = _CAPS.get(worst) if worst else None
    if cap and _GRADE_ORDER.index(letter) < _GRADE_ORDER.index(cap):
        letter = cap
    return letter + ("*" if coverage < 0.5 else "")


def _basis(basis: Basis | None) -> LegalBasis | None:
    if basis is None:
        return None
    return LegalBasis(basis.confirmation.value, basis.source,
                      {"pl": basis.note.pl, "en": basis.note.en} if basis.note else None)


def score_baseline(baseline: Baseline, findings: Iterable[Finding],
                   accepted: frozenset[str] = frozenset(),
                   organisation: Mapping[str, Any] | None = None) -> BaselineScore:
    """The ``ScanRun.scores[baseline.id]`` entry (shape documented in docs/baselines.md).

    ``accepted``: keys of failing findings under a valid risk acceptance (see the rules above).
    ``organisation``: the run's organisation, for why the baseline was chosen (``selection``).
    """
    by_check: dict[str, list[Finding]] = {}
    for finding in findings:
        by_check.setdefault(finding.check_id, []).append(finding)
    requirements: dict[str, RequirementScore] = {}
    counts: Counter[str] = Counter({status.value: 0 for status in ReqStatus})
    earned = total = 0.0
    automated = 0
    worst: Severity | None = None
    for requirement in baseline.requirements:
        evidence = _requirement_evidence(requirement, by_check, accepted)
        status, ratio = _status(requirement, evidence)
        counts[status.value] += 1
        automated += evidence.automated
        if status in ASSESSED and ratio is not None:
            earned += requirement.weight * ratio
            total += requirement.weight
        for ref in requirement.checks:
            for f in by_check.get(ref.id, []):
                if f.status is Status.FAIL and f.key not in accepted and (worst is None or f.severity.rank > worst.rank):
                    worst = f.severity
        requirements[requirement.id] = RequirementScore(
            status=status,
            ratio=None if ratio is None else round(ratio, 4),
            ref=requirement.ref,
            legacy_ref=requirement.legacy_ref,
            weight=requirement.weight,
            checks=tuple(CheckOutcome(ref.id, ref.weight, evidence.checks[ref.id]) for ref in requirement.checks),
            title={"pl": requirement.title.pl, "en": requirement.title.en},
            remediation={"pl": requirement.remediation.pl, "en": requirement.remediation.en},
            manual=tuple(ManualQuestion(item.id, {"pl": item.question.pl, "en": item.question.en},
                                        item.period_months) for item in requirement.manual),
            manual_pending=tuple(evidence.pending),
            findings=tuple(evidence.findings),
            accepted=tuple(evidence.accepted),
            part=requirement.part,
            basis=_basis(requirement.basis),
        )
    n = len(baseline.requirements)
    assessed = sum(counts[s.value] for s in ASSESSED)
    score = round(100 * earned / total, 1) if total else None
    coverage = assessed / n
    return BaselineScore(
        baseline=baseline.id,
        version=baseline.version,
        title={"pl": baseline.title.pl, "en": baseline.title.en},
        source=baseline.source,
        note={"pl": baseline.note.pl, "en": baseline.note.en} if baseline.note else None,
        score=score,
        coverage=round(coverage, 4),
        automated_coverage=round(automated / n, 4),
        grade=grade(score, coverage, worst),
        worst_failing_severity=worst,
        counts=dict(counts),
        requirements=requirements,
        parts=tuple(BaselinePart(part.id, part.ref, {"pl": part.title.pl, "en": part.title.en}, _basis(part.basis))
                    for part in baseline.parts),
        selection=_SELECTION.validate_python(entity_class.selection(baseline, organisation or {})),
    )


# --------------------------------------------------------------------------- manual evidence


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_RESULT_TEXT = {"yes": ("tak", "yes"), "partial": ("częściowo", "partially"), "no": ("nie", "no")}


def attestation_finding(answer: Attestation, item: ManualItem, now: datetime) -> Finding:
    """A ``manual`` finding showing the office's answer, who gave it and when; stale past the period."""
    answered = answer.date
    valid_until = _add_months(answered, item.period_months)
    stale = valid_until < now.date()
    pl_result, en_result = _RESULT_TEXT[answer.result]
    stale_pl = f" NIEAKTUALNE od {valid_until.isoformat()}." if stale else ""
    stale_en = f" STALE since {valid_until.isoformat()}." if stale else ""
    return Finding(
        check_id=manual_check_id(item.id),
        target_id=ORGANISATION_TARGET,
        status=Status.MANUAL,
        severity=Severity.INFO,
        message={
            "pl": f"{item.question.pl} — {pl_result}: {answer.answer} ({answer.by}, {answered.isoformat()}).{stale_pl}",
            "en": f"{item.question.en} — {en_result}: {answer.answer} ({answer.by}, {answered.isoformat()}).{stale_en}",
        },
        facts={
            "question_id": item.id,
            "answer": answer.answer,
            "result": answer.result,
            "by": answer.by,
            "date": answered.isoformat(),
            "reference": answer.reference,
            "period_months": item.period_months,
            "valid_until": valid_until.isoformat(),
            "stale": stale,
        },
    )


def _manual_items(baselines: Iterable[Baseline]) -> dict[str, ManualItem]:
    """Manual questions by id; a question shared by several baselines uses its shortest period."""
    items: dict[str, ManualItem] = {}
    for baseline in baselines:
        for item_id, item in baseline.manual_items().items():
            if item_id not in items or item.period_months < items[item_id].period_months:
                items[item_id] = item
    return items


def attestation_findings(run: ScanRun, baselines: Iterable[Baseline]) -> list[Finding]:
    """Manual findings for the answers stored in ``run.extras.attestations`` that a baseline asks."""
    items = _manual_items(baselines)
    return [
        attestation_finding(answer, items[answer.id], run.meta.started)
        for answer in run.extras.attestations
        if answer.id in items
    ]


def apply_baselines(run: ScanRun, baselines: Iterable[Baseline]) -> ScanRun:
    """The run with manual findings from its attestations and a score per baseline.

    Also adds the ``baseline.entity_class`` warning when the declared
    entity class contradicts the rule (``auditor.entity_class``).
    Idempotent: earlier manual and class findings are replaced, so a stored
    (or re-judged) run can be scored again against newer baselines.
    """
    baselines = list(baselines)
    findings = tuple(f for f in run.findings
                     if not f.check_id.startswith(MANUAL_PREFIX) and f.check_id != entity_class.CHECK_ID)
    findings += tuple(attestation_findings(run, baselines))
    findings += tuple(entity_class.class_findings(run.organisation))
    run = mark_accepted(run.with_findings(findings))
    accepted = run.extras.active_keys
    scores = {baseline.id: score_baseline(baseline, findings, accepted, run.organisation) for baseline in baselines}
    meta = replace(run.meta, data_versions={**run.meta.data_versions,
                                             **{f"baseline:{b.id}": b.version for b in baselines}})
    return replace(run.with_findings(findings, scores), meta=meta)


def overall_grade(scores: Mapping[str, BaselineScore]) -> str:
    """The lowest grade among the scored baselines (``-`` when none has a score)."""
    graded = [entry.grade for entry in scores.values() if entry.grade != "-"]
    if not graded:
        return "-"
    return max(graded, key=lambda g: (_GRADE_ORDER.index(g[0]), g.endswith("*")))
