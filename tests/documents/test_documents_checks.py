"""Check logic on recorded evidence (the probe's fact shape), judged at a fixed time."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from auditor.model import Status
from auditor.registry import default_registry
from auditor.plugin import Verdict

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)


def doc(
    path: str,
    *types: str,
    approved: str | None = None,
    review: str | None = None,
    document: str | None = None,
    draft: bool = False,
    missing_sections: tuple[str, ...] = (),
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A readable file as the probe records it."""
    return {
        "path": path,
        "format": "docx",
        "text_extracted": True,
        "error": None,
        "title": path.split(".")[0],
        "classification": {
            "types": list(types),
            "type": types[0] if types else None,
            "confidence": 0.9 if types else 0.0,
            "matched": ["polityk* bezpieczenstw* informac*"] if types else [],
            "candidates": [],
        },
        "sections": {
            t: {"found": [], "missing_required": list(missing_sections), "missing_optional": []} for t in types
        },
        "draft_markers": ["projekt"] if draft else [],
        "dates": {
            "approval": (
                {
                    "kind": "zarządzenie",
                    "number": "15/2025",
                    "issuer": "Wójta Gminy X",
                    "date": approved,
                    "text": f"Zarządzenie Nr 15/2025 z dnia {approved}",
                }
                if approved
                else None
            ),
            "effective": None,
            "effective_from_signing": False,
            "document": document,
            "revisions": [],
            "last_review": review,
            "next_review": None,
        },
        "metadata": metadata or {},
    }


def unreadable(path: str, reason: str = "no_text_layer", hints: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "path": path,
        "format": "pdf",
        "pages": 2,
        "text_extracted": False,
        "error": {"reason": reason, "detail": "0 letters of text found"},
        "hint_types": list(hints),
    }


def evidence(*files: dict[str, Any], truncated: bool = False) -> dict[str, Any]:
    return {"files": list(files), "truncated": truncated, "limits": {"max_files": 2000}}


def run(judge_check, check_id: str, ev: dict[str, Any], **attrs: Any) -> list[Verdict]:
    verdicts = judge_check(check_id, ev, NOW, attrs)
    spec = default_registry().checks[check_id]
    for verdict in verdicts:  # every message template must be fillable from the verdict's facts
        for lang, text in spec.render_message(verdict).items():
            assert "?" not in text, f"{check_id}/{verdict.message}/{lang}: {text}"
    return verdicts


def by_subject(verdicts: list[Verdict]) -> dict[str, Verdict]:
    return {v.subject: v for v in verdicts}


PBI_2026 = doc("PBI.docx", "pbi", approved="2026-01-14")
RISK_2019 = doc("Analiza_ryzyka_2019.pdf", "risk_analysis", approved="2019-05-20", document="2019-05-15")


def test_missing_passes_fails_and_defers_to_unreadable_scans(judge_check) -> None:
    ev = evidence(PBI_2026, RISK_2019, unreadable("Skan_procedura_incydenty.pdf", hints=("incident_procedure",)))
    assert run(judge_check, "doc.missing.pbi", ev)[0].status is Status.PASS
    [incident] = run(judge_check, "doc.missing.incident_procedure", ev)
    assert incident.status is Status.MANUAL and incident.facts["files"] == ["Skan_procedura_incydenty.pdf"]
    [crypto] = run(judge_check, "doc.missing.crypto_policy", ev)
    assert crypto.status is Status.FAIL and crypto.facts["unreadable"] == 1


def test_unapproved_judges_the_type_not_each_file(judge_check) -> None:
    ev = evidence(
        PBI_2026,
        doc("PBI_projekt.docx", "pbi", draft=True),
        doc("Kopie.docx", "backup_policy", draft=True),
        doc("Dostep.docx", "access_control_policy"),
        doc("Raport_audyt.pdf", "internal_audit", document="2026-09-01"),
    )
    verdicts = by_subject(run(judge_check, "doc.unapproved", ev))
    assert "internal_audit" not in verdicts  # a report is dated, not enacted
    assert verdicts["pbi"].status is Status.PASS
    assert verdicts["backup_policy"].status is Status.FAIL and verdicts["backup_policy"].message == "draft"
    assert (
        verdicts["access_control_policy"].status is Status.FAIL and verdicts["access_control_policy"].message == "fail"
    )


def test_stale_reports_the_date(judge_check) -> None:
    verdicts = by_subject(run(judge_check, "doc.stale", evidence(PBI_2026, RISK_2019)))
    assert verdicts["pbi"].status is Status.PASS
    risk = verdicts["risk_analysis"]
    assert risk.status is Status.FAIL
    assert (
        risk.facts["date"] == "2019-05-20"
        and risk.facts["date_source"] == "approval"
        and risk.facts["due"] == "2020-05-20"
    )


def test_stale_uses_the_newest_approved_document_and_review_dates(judge_check) -> None:
    old = doc("PBI_2019.docx", "pbi", approved="2019-02-01")
    reviewed = doc("PBI_2020.docx", "pbi", approved="2020-02-01", review="2026-03-01")
    verdicts = by_subject(run(judge_check, "doc.stale", evidence(old, reviewed)))
    assert verdicts["pbi"].status is Status.PASS and verdicts["pbi"].facts["date_source"] == "last_review"


def test_review_period_override_from_the_inventory(judge_check) -> None:
    ev = evidence(doc("Kryptografia.odt", "crypto_policy", approved="2025-06-01"))
    assert by_subject(run(judge_check, "doc.stale", ev))["crypto_policy"].status is Status.FAIL
    assert (
        by_subject(run(judge_check, "doc.stale", ev, review_months={"crypto_policy": 24}))["crypto_policy"].status
        is Status.PASS
    )


def test_metadata_only_warns_and_no_date_is_manual(judge_check) -> None:
    ev = evidence(
        doc("BCP.pdf", "bcp_drp", metadata={"modified": "2023-01-05T10:00:00"}), doc("Rejestr.odt", "incident_register")
    )
    verdicts = by_subject(run(judge_check, "doc.stale", ev))
    assert verdicts["bcp_drp"].status is Status.WARN and verdicts["bcp_drp"].facts["date_source"] == "metadata"
    assert verdicts["incident_register"].status is Status.MANUAL


def test_future_dates_are_not_a_review(judge_check) -> None:
    ev = evidence(doc("PBI.docx", "pbi", approved="2019-01-01", review="2027-12-01"))
    assert by_subject(run(judge_check, "doc.stale", ev))["pbi"].facts["date"] == "2019-01-01"


@pytest.mark.parametrize(
    "audit_date, status", [(None, Status.FAIL), ("2025-09-01", Status.FAIL), ("2026-09-01", Status.PASS)]
)
def test_internal_audit_at_least_once_a_year(judge_check, audit_date: str | None, status: Status) -> None:
    files = [doc("Raport_audyt.pdf", "internal_audit", document=audit_date)] if audit_date else []
    [verdict] = run(judge_check, "doc.internal_audit_overdue", evidence(*files))
    assert verdict.status is status
    if audit_date:
        assert verdict.facts["date"] == audit_date


def test_internal_audit_is_not_double_counted_as_stale(judge_check) -> None:
    ev = evidence(doc("Raport_audyt.pdf", "internal_audit", document="2024-01-01"))
    assert all(v.subject != "internal_audit" for v in run(judge_check, "doc.stale", ev))


def test_unreadable_files_are_manual_never_fail(judge_check) -> None:
    ev = evidence(PBI_2026, unreadable("Skan.pdf"), unreadable("stary.doc", "unsupported_format"), truncated=True)
    ev["missing_roots"] = ["/srv/udzial/brak"]
    verdicts = run(judge_check, "doc.unreadable", ev)
    assert {v.status for v in verdicts} == {Status.MANUAL}
    assert [v.message for v in verdicts] == ["no_text_layer", "unsupported_format", "missing_root", "truncated"]
    assert run(judge_check, "doc.unreadable", evidence(PBI_2026))[0].status is Status.PASS


def test_sections_are_judged_per_type(judge_check) -> None:
    ev = evidence(doc("Kopie.docx", "backup_policy", approved="2026-05-01", missing_sections=("separation",)), PBI_2026)
    [backup] = run(judge_check, "doc.sections.backup_policy", ev)
    assert backup.status is Status.WARN and backup.facts["missing_pl"] == [
        "Kopie odseparowane logicznie i fizycznie (KSC zał. 4 pkt 10)"
    ]
    assert run(judge_check, "doc.sections.pbi", ev)[0].status is Status.PASS
    assert run(judge_check, "doc.sections.crypto_policy", ev)[0].status is Status.NOT_APPLICABLE


def test_sections_warn_with_the_missing_names(judge_check) -> None:
    ev = evidence(
        doc(
            "Procedura.odt", "incident_procedure", approved="2026-05-01", missing_sections=("notification_72h", "csirt")
        )
    )
    [verdict] = run(judge_check, "doc.sections.incident_procedure", ev)
    assert verdict.status is Status.WARN
    assert verdict.facts["missing_en"] == [
        "Incident notification within 72 hours",
        "The competent CSIRT (NASK, GOV, MON) and contact details",
    ]


def test_no_documents_at_all(judge_check) -> None:
    ev = evidence()
    for check_id in ("doc.unapproved", "doc.stale", "doc.sections.incident_procedure"):
        assert [v.status for v in run(judge_check, check_id, ev)] == [Status.NOT_APPLICABLE]
    assert run(judge_check, "doc.missing.pbi", ev)[0].status is Status.FAIL


def test_missing_explains_a_second_type_with_its_own_phrases(judge_check) -> None:
    act = doc("Zarzadzenie_SZBI.pdf", "pbi", "incident_procedure", approved="2026-10-01")
    act["classification"]["candidates"] = [
        {"type": "pbi", "confidence": 1.0, "title": ["polityk* bezpieczenstw* informac*"], "file": [], "body": []},
        {"type": "incident_procedure", "confidence": 0.9, "title": ["procedur*|instrukcj* ..."], "file": [], "body": ["csirt"]},
    ]
    [verdict] = run(judge_check, "doc.missing.incident_procedure", evidence(act))
    assert verdict.status is Status.PASS
    assert verdict.facts["confidence"] == 0.9 and verdict.facts["matched"] == ["procedur*|instrukcj* ...", "csirt"]


def test_a_register_is_judged_for_being_current_not_for_approval(judge_check) -> None:
    """Issue 19: a training register (a record) must not fail doc.unapproved."""
    register = doc("Rejestr_szkolen.docx", "training", document="2026-10-01")
    register["classification"]["kind"] = "record"
    register["classification"]["approval_judged"] = False
    verdicts = by_subject(run(judge_check, "doc.unapproved", evidence(PBI_2026, register)))
    assert "training" not in verdicts and verdicts["pbi"].status is Status.PASS
    assert by_subject(run(judge_check, "doc.stale", evidence(register)))["training"].status is Status.PASS
    unapproved_plan = doc("Plan_szkolen.docx", "training")
    assert by_subject(run(judge_check, "doc.unapproved", evidence(unapproved_plan)))["training"].status is Status.FAIL


def test_missing_says_why_a_mentioning_file_is_not_the_document(judge_check) -> None:
    petition = doc("Petycja_NIS2.pdf")
    petition["classification"].update(
        kind="petition",
        mentioned=["pbi", "bcp_drp"],
        why={"code": "kind_not_a_document", "kind": "petition", "kind_line": "PETYCJA", "subject": None},
    )
    [verdict] = run(judge_check, "doc.missing.pbi", evidence(petition))
    assert verdict.status is Status.FAIL and verdict.message == "fail_near_misses"
    assert verdict.facts["near_misses"] == [
        {"path": "Petycja_NIS2.pdf", "kind": "petition", "code": "kind_not_a_document", "line": "PETYCJA"}
    ]
    text = default_registry().checks["doc.missing.pbi"].render_message(verdict)
    assert "Petycja_NIS2.pdf (petycja „PETYCJA”)" in text["pl"] and "(petition “PETYCJA”)" not in text["pl"]


def test_a_special_file_is_reported_not_silently_dropped(judge_check) -> None:
    ev = evidence(PBI_2026)
    ev["skipped"] = [{"path": "/d/kopie.pdf", "reason": "not a regular file (FIFO), not read", "code": "not_regular_file"}]
    [verdict] = run(judge_check, "doc.unreadable", ev)
    assert verdict.status is Status.MANUAL and verdict.message == "not_regular_file" and verdict.facts["path"] == "/d/kopie.pdf"


@pytest.mark.parametrize("approved, status, due", [
    ("2025-11-26", Status.FAIL, "2026-11-26"),  # the review was due yesterday
    ("2025-11-27", Status.PASS, "2026-11-27"),  # due today: "next review due by {due}" — still in time
    ("2025-11-28", Status.PASS, "2026-11-28"),
])
def test_review_period_boundary_is_the_due_day_itself(judge_check, approved: str, status: Status, due: str) -> None:
    """PBI every 12 months, judged 2026-11-27: `due >= today` passes on the due day; `>` would fail it."""
    [verdict] = run(judge_check, "doc.stale", evidence(doc("PBI.docx", "pbi", approved=approved)))
    assert verdict.status is status and verdict.facts["due"] == due


@pytest.mark.parametrize("review, counted", [("2026-11-27", True), ("2026-11-28", False)])
def test_a_review_dated_today_counts_one_dated_tomorrow_does_not(judge_check, review: str, counted: bool) -> None:
    ev = evidence(doc("PBI.docx", "pbi", approved="2019-01-01", review=review))
    [verdict] = run(judge_check, "doc.stale", ev)
    assert verdict.facts["date"] == (review if counted else "2019-01-01")
    assert verdict.status is (Status.PASS if counted else Status.FAIL)


@pytest.mark.parametrize("audited, status", [("2025-11-26", Status.FAIL), ("2025-11-27", Status.PASS),
                                             ("2025-11-28", Status.PASS)])
def test_internal_audit_boundary_is_one_year_to_the_day(judge_check, audited: str, status: Status) -> None:
    [verdict] = run(judge_check, "doc.internal_audit_overdue",
                    evidence(doc("Raport_audyt.pdf", "internal_audit", document=audited)))
    assert verdict.status is status
