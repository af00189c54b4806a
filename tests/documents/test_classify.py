"""Classification on text: titles count, passing mentions do not."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.checks.documents.classify import Classifier, DocumentText
from auditor.checks.documents.profiles import profiles


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(profiles())


def classify(classifier: Classifier, doc: DocumentText) -> dict[str, Any]:
    return classifier.examine(doc)["classification"]


def test_act_title_names_the_policy(classifier: Classifier) -> None:
    doc = DocumentText(
        blocks=[
            "Zarządzenie Nr 15/2025 Wójta Gminy X z dnia 3 marca 2025 r. w sprawie wprowadzenia Polityki bezpieczeństwa informacji",
            "§ 1. Wprowadza się politykę zapewniającą poufność, integralność i dostępność informacji.",
        ]
    )
    result = classify(classifier, doc)
    assert result["types"] == ["pbi"]
    assert result["confidence"] >= 0.6
    assert "polityka bezpieczeństwa informacji" in result["matched"]
    assert result["why"]["code"] == "typed_by_act"


def test_passing_mention_does_not_count(classifier: Classifier) -> None:
    doc = DocumentText(
        blocks=[
            "Regulamin organizacyjny Urzędu Gminy",
            "Pracownicy przestrzegają polityki bezpieczeństwa informacji oraz instrukcji kancelaryjnej.",
            "Polityka bezpieczeństwa informacji jest dostępna w sekretariacie.",
        ]
    )
    result = classify(classifier, doc)
    assert result["types"] == []
    assert any(c["type"] == "pbi" and c["confidence"] < 0.5 for c in result["candidates"])


@pytest.mark.parametrize(
    "heading",
    [
        "Sprawozdanie z wdrożenia polityki bezpieczeństwa informacji",
        "Protokół z posiedzenia zespołu ds. polityki bezpieczeństwa informacji",
        "Raport z audytu wewnętrznego SZBI",
    ],
)
def test_a_document_about_the_policy_is_not_the_policy(classifier: Classifier, heading: str) -> None:
    assert "pbi" not in classify(classifier, DocumentText(blocks=[heading]))["types"]


def test_file_name_needs_body_support(classifier: Classifier) -> None:
    weak = DocumentText(blocks=["Dokument wewnętrzny"], filename="Polityka_kopii_zapasowych.pdf")
    assert classify(classifier, weak)["types"] == []
    supported = DocumentText(
        blocks=[
            "Dokument wewnętrzny",
            "Kopie zapasowe (backup) wykonuje się codziennie; retencja 30 dni; nośniki poza siedzibą; test odtworzenia co kwartał.",
        ],
        filename="Polityka_kopii_zapasowych.pdf",
    )
    assert classify(classifier, supported)["types"] == ["backup_policy"]


def test_sections_of_an_incident_procedure(classifier: Classifier) -> None:
    complete = DocumentText(
        blocks=[
            "Procedura zgłaszania incydentów",
            "Wczesne ostrzeżenie do CSIRT NASK w ciągu 24 godzin, zgłoszenie w ciągu 72 godzin.",
        ]
    )
    partial = DocumentText(blocks=["Procedura zgłaszania incydentów", "Incydent zgłasza się niezwłocznie Wójtowi."])
    assert classifier.examine(complete)["sections"]["incident_procedure"]["missing_required"] == []
    assert classifier.examine(partial)["sections"]["incident_procedure"]["missing_required"] == [
        "early_warning_24h",
        "notification_72h",
        "csirt",
    ]


def test_draft_marker_only_in_title_zone(classifier: Classifier) -> None:
    assert classifier.examine(DocumentText(blocks=["PROJEKT", "Polityka kopii zapasowych"]))["draft_markers"] == [
        "=projekt"
    ]
    late = DocumentText(
        blocks=[
            "Polityka kopii zapasowych",
            "Kopie wykonuje się codziennie w ramach całego urzędu i wszystkich jego systemów.",
            "projekt",
        ]
    )
    assert classifier.examine(late)["draft_markers"] == []


# ------------------------------------------------------------------ what a document IS (issue 19)


@pytest.mark.parametrize(
    "blocks, kind",
    [
        (["Szanowny Pan Wójt Gminy X", "PETYCJA", "w sprawie wdrożenia Polityki bezpieczeństwa informacji"], "petition"),
        (["Petycja wielokrotna dotycząca cyfryzacji i polityki bezpieczeństwa informacji"], "petition"),
        (["Wniosek o udostępnienie informacji publicznej", "Proszę o Politykę bezpieczeństwa informacji."], "information_request"),
        (["Znak sprawy: ZP.271.2.2026", "ZAPYTANIE OFERTOWE", "na opracowanie Polityki bezpieczeństwa informacji"], "procurement"),
        (["Specyfikacja Warunków Zamówienia – polityka bezpieczeństwa informacji"], "procurement"),
        (["Uchwała Nr V/12/2026 Rady Gminy X w sprawie przyjęcia polityki bezpieczeństwa informacji"], "resolution"),
        (["Protokół Nr XII/2026 z XII sesji Rady Gminy X", "Omówiono politykę bezpieczeństwa informacji."], "minutes"),
        (["X, dnia 3 marca 2026 r.", "Szanowni Państwo,", "przesyłam Politykę bezpieczeństwa informacji."], "correspondence"),
        (["Odpowiedź na petycję w sprawie polityki bezpieczeństwa informacji"], "correspondence"),
    ],
)
def test_paper_that_talks_about_the_policy_is_not_the_policy(classifier: Classifier, blocks: list[str], kind: str) -> None:
    result = classify(classifier, DocumentText(blocks=blocks))
    assert result["types"] == []
    assert result["kind"] == kind
    assert result["why"]["code"] == "kind_not_a_document"
    assert "pbi" in result["mentioned"]


def test_an_act_introduces_what_its_subject_names(classifier: Classifier) -> None:
    enacting = classify(
        classifier,
        DocumentText(blocks=["ZARZĄDZENIE NR 7/2026", "WÓJTA GMINY X", "z dnia 12 stycznia 2026 r.", "w sprawie wprowadzenia Planu ciągłości działania"]),
    )
    assert enacting["types"] == ["bcp_drp"] and enacting["why"]["code"] == "typed_by_act"
    appointing = classify(
        classifier,
        DocumentText(blocks=["Zarządzenie Nr 8/2026 Wójta Gminy X w sprawie powołania Pełnomocnika ds. Polityki bezpieczeństwa informacji"]),
    )
    assert appointing["types"] == [] and appointing["why"]["code"] == "act_introduces_nothing"


def test_an_annex_note_is_neither_title_nor_kind(classifier: Classifier) -> None:
    result = classify(
        classifier,
        DocumentText(blocks=["Załącznik nr 4 do Polityki bezpieczeństwa informacji", "Instrukcja wykonywania kopii zapasowych"]),
    )
    assert result["types"] == ["backup_policy"]
    assert result["why"]["subject"] == "Instrukcja wykonywania kopii zapasowych"


def test_a_register_is_a_record_and_its_table_rows_are_not_titles(classifier: Classifier) -> None:
    result = classify(
        classifier,
        DocumentText(
            blocks=["Rejestr szkoleń 2026", "Data | Temat | Uczestnik", "12.03.2026 | Regulamin pracy zdalnej | A. Nowak"]
        ),
    )
    assert result["types"] == ["training"]
    assert result["kind"] == "record" and result["approval_judged"] is False


def test_a_record_kind_cannot_be_a_policy_type(classifier: Classifier) -> None:
    result = classify(classifier, DocumentText(blocks=["Protokół odbioru laptopów do pracy zdalnej"]))
    assert result["types"] == [] and result["why"]["code"] == "kind_not_allowed"


@pytest.mark.parametrize(
    "heading",
    ["Polityką bezpieczeństwa informacji", "POLITYKE BEZPIECZENSTWA INFORMACJI", "Polityce bezpieczeństwa informacji"],
)
def test_inflection_comes_from_the_lemmatiser(classifier: Classifier, heading: str) -> None:
    assert classify(classifier, DocumentText(blocks=[heading]))["types"] == ["pbi"]
