"""Scoring rules (auditor.scoring docstring) on hand-made findings, and attestations end to end."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from auditor.attestations import load_attestations
from auditor.baseline import Baseline
from auditor.model import Finding, RunMeta, ScanRun, Severity, Status, run_inputs_from_dict
from auditor.scoring import SCORING_RULES, apply_baselines, grade, score_baseline
from auditor.yamlfile import YamlFileError

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)


def _text(value: str) -> dict[str, str]:
    return {"pl": value, "en": value}


def _req(rid: str, checks=(), manual=(), weight: int = 1) -> dict:
    return {"id": rid, "ref": f"X {rid}", "title": _text(rid), "description": _text(rid), "remediation": _text("fix"),
            "weight": weight, "checks": [{"id": c, "weight": w} for c, w in checks],
            "manual": [{"id": m, "question": _text(f"{m}?"), "period_months": 12} for m in manual]}


BASELINE = Baseline.model_validate({
    "id": "t", "version": "1", "title": _text("T"), "source": "test", "applies_to": ["none"],
    "requirements": [
        _req("all-pass", checks=[("a.pass", 1)]),
        _req("mixed", checks=[("a.pass", 1), ("b.fail", 3)]),
        _req("failing", checks=[("b.fail", 1)]),
        _req("pending", checks=[("a.pass", 1)], manual=["audit"]),
        _req("only-manual", manual=["policy"]),
        _req("nothing"),
        _req("errored", checks=[("c.error", 1)]),
    ],
})


def _finding(check: str, status: Status, severity: Severity = Severity.MEDIUM, target: str = "host:a") -> Finding:
    return Finding(check_id=check, target_id=target, status=status, severity=severity, message=_text(check))


FINDINGS = [
    _finding("a.pass", Status.PASS),
    _finding("a.pass", Status.PASS, target="host:b"),
    _finding("b.fail", Status.FAIL, Severity.HIGH),
    _finding("b.fail", Status.PASS, target="host:b"),
    _finding("c.error", Status.ERROR),
]


def _run(findings=FINDINGS, attestations=None) -> ScanRun:
    extras = {"attestations": attestations} if attestations is not None else {}
    return ScanRun(meta=RunMeta(run_id="r", tool_version="0", started=NOW), organisation={"name": "G"},
                   targets=(), attempts=(), findings=tuple(findings), extras=run_inputs_from_dict(extras))


def test_requirement_statuses_follow_the_rules():
    scores = score_baseline(BASELINE, FINDINGS)
    status = {rid: r.status for rid, r in scores.requirements.items()}
    assert status == {
        "all-pass": "met",
        "mixed": "partial",          # 1 pass + 3 fail → ratio 0.25
        "failing": "not_met",        # any failing finding makes the check fail
        "pending": "partial",        # automated evidence passes but a question is unanswered
        "only-manual": "manual",
        "nothing": "not_assessed",
        "errored": "not_assessed",   # an error is no evidence, never a pass
    }
    assert scores.requirements["mixed"].ratio == 0.25
    # score over assessed: (1 + 0.25 + 0 + 1) / 4
    assert scores.score == pytest.approx(56.25, abs=0.05)
    assert scores.coverage == round(4 / 7, 4)
    assert scores.grade == "D"
    assert scores.counts == {"met": 1, "partial": 2, "not_met": 1, "not_assessed": 2, "manual": 1}
    assert "b.fail|host:a|" in scores.requirements["failing"].findings


def test_grade_caps_and_provisional_marker():
    assert grade(95, 0.9, None) == "A"
    assert grade(95, 0.9, Severity.HIGH) == "C"
    assert grade(95, 0.9, Severity.CRITICAL) == "D"
    assert grade(30, 0.9, Severity.HIGH) == "F"
    assert grade(80, 0.3, None) == "B*"
    assert grade(None, 0.0, None) == "-"


def test_no_evidence_gives_no_score():
    scores = score_baseline(BASELINE, [])
    assert scores.score is None and scores.grade == "-" and scores.coverage == 0


def test_attestations_become_manual_findings_and_stale_ones_do_not_count():
    answers = [
        {"id": "audit", "result": "yes", "answer": "Audyt 2026-05-12, raport 3/2026", "by": "J. Kowalska",
         "date": "2026-05-12", "reference": None},
        {"id": "policy", "result": "yes", "answer": "PBI z 2024", "by": "J. Kowalska", "date": "2024-01-10",
         "reference": None},
    ]
    run = apply_baselines(_run(attestations=answers), [BASELINE])
    manual = {f.check_id: f for f in run.findings if f.status is Status.MANUAL}
    assert set(manual) == {"manual.audit", "manual.policy"}
    assert manual["manual.audit"].facts["stale"] is False and "J. Kowalska" in manual["manual.audit"].message["pl"]
    assert manual["manual.policy"].facts["stale"] is True and "NIEAKTUALNE" in manual["manual.policy"].message["pl"]
    requirements = run.scores["t"].requirements
    assert requirements["pending"].status == "met"
    assert requirements["only-manual"].status == "manual"   # stale answer counts as no answer
    assert run.meta.data_versions["baseline:t"] == "1"
    again = apply_baselines(run, [BASELINE])                   # idempotent
    assert again.findings == run.findings and again.scores == run.scores


def test_rules_text_is_exported_for_the_report():
    assert "Coverage" in SCORING_RULES["en"] and "caps the" in SCORING_RULES["en"]
    assert "Pokrycie" in SCORING_RULES["pl"] and "[en]" not in SCORING_RULES["pl"]


def test_attestations_file_rejects_unknown_question_with_line(tmp_path: Path):
    path = tmp_path / "attestations.yaml"
    path.write_text("attestations:\n  - id: audit\n    result: yes\n    answer: ok\n    by: A\n    date: 2026-05-12\n"
                    "  - id: audyt\n    result: yes\n    answer: ok\n    by: A\n    date: 2026-05-12\n", encoding="utf-8")
    with pytest.raises(YamlFileError) as err:
        load_attestations(path, [BASELINE])
    assert err.value.line == 7 and "audyt" in str(err.value)
    path.write_text("attestations:\n  - id: audit\n    result: yes\n    answer: ok\n    by: A\n    date: 2026-05-12\n",
                    encoding="utf-8")
    assert load_attestations(path, [BASELINE])[0].date.isoformat() == "2026-05-12"


DETAILED = Baseline.model_validate({
    "id": "d", "version": "2", "title": {"pl": "Wzorzec D", "en": "Baseline D"}, "source": "Dz.U. test",
    "note": {"pl": "uwaga", "en": "caveat"}, "applies_to": ["none"],
    "parts": [{"id": "p1", "ref": "Część I", "title": {"pl": "Część pierwsza", "en": "Part one"},
               "basis": {"confirmation": "secondary", "source": "komentarz 2026", "note": {"pl": "n", "en": "n"}}}],
    "requirements": [
        {**_req("third", checks=[("a.pass", 1), ("b.fail", 2)], manual=["ask"], weight=2), "legacy_ref": "§ 20",
         "part": "p1", "title": {"pl": "Tytuł", "en": "Title"}, "remediation": {"pl": "Napraw", "en": "Fix"},
         "basis": {"confirmation": "secondary", "source": "komentarz 2026"}},
        _req("nothing-here"),
    ],
})


def test_a_score_carries_what_the_baseline_says_and_exact_numbers():
    """Every field the report prints comes from the baseline; ratios and scores are rounded as documented."""
    scores = score_baseline(DETAILED, FINDINGS)
    req = scores.requirements["third"]
    assert (req.ref, req.legacy_ref, req.weight, req.part) == ("X third", "§ 20", 2, "p1")
    assert req.title == {"pl": "Tytuł", "en": "Title"} and req.remediation == {"pl": "Napraw", "en": "Fix"}
    assert [(q.id, q.question, q.period_months) for q in req.manual] == [("ask", {"pl": "ask?", "en": "ask?"}, 12)]
    assert req.manual_pending == ("ask",)
    assert [(c.id, c.weight, c.outcome) for c in req.checks] == [("a.pass", 1, "pass"), ("b.fail", 2, "fail")]
    assert req.basis is not None and (req.basis.confirmation, req.basis.source) == ("secondary", "komentarz 2026")
    assert req.ratio == 0.3333  # 1 of 3 weighted points, four decimals
    assert scores.score == 33.3  # one decimal
    assert (scores.baseline, scores.version, scores.source) == ("d", "2", "Dz.U. test")
    assert scores.title == {"pl": "Wzorzec D", "en": "Baseline D"} and scores.note == {"pl": "uwaga", "en": "caveat"}
    assert [(p.id, p.ref, p.title, p.basis.source if p.basis else None) for p in scores.parts] == \
        [("p1", "Część I", {"pl": "Część pierwsza", "en": "Part one"}, "komentarz 2026")]
    assert scores.automated_coverage == 0.5  # one of two requirements has automated evidence
    assert scores.counts == {"met": 0, "partial": 1, "not_met": 0, "not_assessed": 1, "manual": 0}
    assert scores.worst_failing_severity is Severity.HIGH


@pytest.mark.parametrize("score, letter", [(90, "A"), (89.9, "B"), (75, "B"), (74.9, "C"), (60, "C"), (59.9, "D"),
                                           (40, "D"), (39.9, "F")])
def test_grade_thresholds_are_inclusive(score, letter):
    """The rules say "A >= 90": a score exactly at a threshold earns that letter (`>=`), a tenth below does not."""
    assert grade(score, 0.9, None) == letter


def test_provisional_marker_boundary_is_half_coverage():
    assert grade(80, 0.5, None) == "B" and grade(80, 0.4999, None) == "B*"


@pytest.mark.parametrize("answer, status, ratio", [("yes", "met", 1.0), ("partial", "partial", 0.5),
                                                   ("no", "not_met", 0.0)])
def test_each_attestation_answer_counts_as_documented(answer, status, ratio):
    """"yes" earns the item, "partial" half of it, "no" nothing (the scoring rules)."""
    answers = [{"id": "policy", "result": answer, "answer": "PBI 2026", "by": "J. Kowalska", "date": "2026-05-12",
                "reference": None}]
    requirement = apply_baselines(_run(attestations=answers), [BASELINE]).scores["t"].requirements["only-manual"]
    assert (requirement.status, requirement.ratio) == (status, ratio)


DETAILED_WITH_NOTE = Baseline.model_validate({
    **DETAILED.model_dump(mode="json"),
    "requirements": [{**DETAILED.requirements[0].model_dump(mode="json"),
                      "basis": {"confirmation": "secondary", "source": "komentarz 2026", "note": {"pl": "n", "en": "m"}}}],
})


def test_the_legal_basis_is_carried_with_its_note():
    basis = score_baseline(DETAILED_WITH_NOTE, FINDINGS).requirements["third"].basis
    assert basis is not None
    assert (basis.confirmation, basis.source, basis.note) == ("secondary", "komentarz 2026", {"pl": "n", "en": "m"})
