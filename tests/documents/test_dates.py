"""Dates and approval from Polish document text."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.checks.documents.dates import document_dates, parse_date
from auditor.demo.doccorpus import pl_date


@pytest.mark.parametrize("month", range(1, 13))
def test_every_genitive_month_with_and_without_diacritics(month: int) -> None:
    day = date(2025, month, 3)
    written = pl_date(day)
    assert parse_date(written) == day
    assert parse_date(written.replace("ś", "s").replace("ź", "z")) == day


@pytest.mark.parametrize(
    "text, expected",
    [
        ("03.03.2025", date(2025, 3, 3)),
        ("3-3-2025", date(2025, 3, 3)),
        ("2025-03-03", date(2025, 3, 3)),
        ("3 III 2025", date(2025, 3, 3)),
        ("March 3, 2025", date(2025, 3, 3)),
        ("marzec 2025", date(2025, 3, 1)),
        ("31.02.2025", None),
        ("wersja 1.2", None),
    ],
)
def test_date_spellings(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_zarzadzenie_from_the_issue() -> None:
    text = (
        "Zarządzenie Nr 15/2025 Wójta Gminy X z dnia 3 marca 2025 r. w sprawie wprowadzenia Polityki bezpieczeństwa informacji\n"
        "§ 2. Zarządzenie wchodzi w życie z dniem 1 kwietnia 2025 r."
    )
    facts = document_dates(text)
    assert facts["approval"]["kind"] == "zarządzenie"
    assert facts["approval"]["number"] == "15/2025"
    assert facts["approval"]["issuer"] == "Wójta Gminy X"
    assert facts["approval"]["date"] == "2025-03-03"
    assert facts["effective"] == "2025-04-01"
    assert facts["effective_from_signing"] is False


def test_annex_header_counts_as_approval_and_signing_sets_effective_date() -> None:
    text = (
        "Załącznik nr 1 do Zarządzenia nr OR.0050.7.2024 Burmistrza Miasta Y z dnia 12.01.2024 r.\n"
        "Procedura\n§ 5. Procedura obowiązuje z dniem podpisania."
    )
    facts = document_dates(text)
    assert facts["approval"]["number"] == "OR.0050.7.2024"
    assert facts["approval"]["date"] == "2024-01-12"
    assert facts["effective"] == "2024-01-12" and facts["effective_from_signing"]


def test_revision_table_and_next_review() -> None:
    text = "\n".join(
        [
            "Polityka",
            "Historia zmian",
            "Wersja | Data | Opis zmian",
            "1.0 | 15.05.2019 | Wersja pierwotna",
            "1.1 | 20.06.2023 | Przegląd",
            "2.0 | 2025-02-10 | Aktualizacja",
            "Następny przegląd: 10 lutego 2026 r.",
        ]
    )
    facts = document_dates(text)
    assert facts["revisions"] == ["2019-05-15", "2023-06-20", "2025-02-10"]
    assert facts["last_review"] == "2025-02-10"
    assert facts["next_review"] == "2026-02-10"


def test_signature_approval_but_not_a_negated_one() -> None:
    assert document_dates("Zatwierdzam\nWójt Gminy, 20.05.2019")["approval"]["date"] == "2019-05-20"
    assert document_dates("Dokumentu nie zatwierdzono, 20.05.2019")["approval"] is None


def test_act_referenced_deep_in_the_body_is_not_approval() -> None:
    body = "Treść polityki. " * 400
    text = f"Polityka\n{body}zgodnie z Zarządzeniem Nr 3/2010 Wójta z dnia 4 maja 2010 r. w sprawie instrukcji kancelaryjnej\n{body}"
    assert document_dates(text)["approval"] is None


def test_document_date_from_place_and_date_line() -> None:
    assert document_dates("Raport\nŁąka, dnia 15 maja 2019 r.")["document"] == "2019-05-15"


def test_repealed_act_is_not_the_approval() -> None:
    text = "Polityka kopii zapasowych\nKopie wykonuje się codziennie.\n§ 4. Traci moc Zarządzenie Nr 5/2019 Wójta Gminy X z dnia 2 stycznia 2019 r."
    assert document_dates(text)["approval"] is None
