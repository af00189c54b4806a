"""Folding and phrase matching: Polish inflection and missing diacritics."""

from __future__ import annotations

import pytest

from auditor.checks.documents.text import PhraseError, Words, compile_phrase, fold


def test_fold_strips_diacritics_and_keeps_offsets() -> None:
    text = "Zażółć GĘŚLĄ jaźń, Łąka"
    folded = fold(text)
    assert folded == "zazolc gesla jazn, laka"
    assert len(folded) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "Polityka bezpieczeństwa informacji",
        "POLITYKI BEZPIECZENSTWA INFORMACJI",
        "w sprawie wprowadzenia Polityki Bezpieczeństwa Informacji",
        "polityką bezpieczeństwa i ochrony informacji",  # two words between, within max_gap
    ],
)
def test_phrase_matches_inflected_forms(text: str) -> None:
    assert compile_phrase("polityk* bezpieczeństw* informac*").occurs_in(Words(text), max_gap=2)


def test_phrase_respects_order_gap_and_exact_words() -> None:
    phrase = compile_phrase("polityk* bezpieczenstw* informac*")
    assert not phrase.occurs_in(Words("informacja o polityce bezpieczeństwa"), max_gap=2)
    assert not phrase.occurs_in(Words("polityka w zakresie ochrony fizycznej bezpieczeństwa informacji"), max_gap=2)
    assert not compile_phrase("=projekt").occurs_in(Words("w sprawie projektu budżetu"), max_gap=2)
    assert compile_phrase("projekt").occurs_in(Words("w sprawie projektu budżetu"), max_gap=2)
    assert compile_phrase("24 h").occurs_in(Words("w ciągu 24 h od wykrycia"), max_gap=0)


def test_alternatives_in_one_slot() -> None:
    phrase = compile_phrase("procedur*|instrukcj* obslug*|zarzadzani* incydent*")
    assert phrase.occurs_in(Words("Instrukcja obsługi incydentów"), max_gap=2)
    assert phrase.occurs_in(Words("Procedura zarządzania incydentami"), max_gap=2)
    assert not phrase.occurs_in(Words("Regulamin obsługi incydentów"), max_gap=2)


@pytest.mark.parametrize("bad", ["", "polityk* bez-pieczenstwa", "**", "a|"])
def test_bad_phrases_are_refused(bad: str) -> None:
    with pytest.raises(PhraseError):
        compile_phrase(bad)


def test_plain_words_match_every_form_of_their_lemma() -> None:
    """Forms come from simplemma's Polish dictionary, folded, so missing diacritics still match."""
    phrase = compile_phrase("polityka kopia zapasowa")
    for text in ("polityki kopii zapasowych", "polityką kopii zapasowej", "polityke kopii zapasowych"):
        assert phrase.occurs_in(Words(text), max_gap=2), text
    assert not phrase.occurs_in(Words("politycy kopali zapasy"), max_gap=2)


def test_verbal_nouns_match_in_every_case() -> None:
    """simplemma files "przyjęcie" under the verb and "przyjęcia" under the noun: both must match."""
    assert compile_phrase("przyjęcie").occurs_in(Words("w sprawie przyjęcia Instrukcji"), max_gap=0)
    assert compile_phrase("wdrożenie").occurs_in(Words("w sprawie wdrożenia polityki"), max_gap=0)
