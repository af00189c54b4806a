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
    assert "polityk* bezpieczenstw* informac*" in result["matched"]


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
        "projekt"
    ]
    late = DocumentText(
        blocks=[
            "Polityka kopii zapasowych",
            "Kopie wykonuje się codziennie w ramach całego urzędu i wszystkich jego systemów.",
            "projekt",
        ]
    )
    assert classifier.examine(late)["draft_markers"] == []
