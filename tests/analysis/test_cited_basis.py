"""How a requirement's legal basis is cited in every output: its confirmation state, never shown as certain."""

from __future__ import annotations

from auditor.analysis.nonconformity import RequirementRef


def _ref(confirmation: str | None, legacy: str | None = None) -> RequirementRef:
    return RequirementRef("kri", "K-04", "KRI §19 ust. 2 pkt 4", "not_met", confirmation, legacy)


def test_a_confirmed_number_stands_alone_even_with_a_former_one():
    assert _ref("confirmed", "KRI §20 ust. 2 pkt 4").cited("pl") == "KRI §19 ust. 2 pkt 4"


def test_an_unconfirmed_number_says_so_and_gives_the_former_acts_number():
    ref = _ref("unconfirmed", "KRI §20 ust. 2 pkt 4")
    assert ref.cited("pl") == "KRI §19 ust. 2 pkt 4 (niepotwierdzone; dawniej KRI §20 ust. 2 pkt 4)"
    assert ref.cited("en") == "KRI §19 ust. 2 pkt 4 (unconfirmed; formerly KRI §20 ust. 2 pkt 4)"


def test_secondary_sources_without_a_former_number():
    assert _ref("secondary").cited("pl") == "KRI §19 ust. 2 pkt 4 (wg źródeł wtórnych)"
    assert _ref(None, "KRI §20 ust. 2 pkt 4").cited("en") == "KRI §19 ust. 2 pkt 4"


def test_a_former_number_equal_to_the_current_one_is_not_repeated():
    assert _ref("unconfirmed", "KRI §19 ust. 2 pkt 4").cited("pl") == "KRI §19 ust. 2 pkt 4 (niepotwierdzone)"


def test_where_the_page_gives_the_former_number_once_a_row_cites_without_it():
    ref = _ref("unconfirmed", "KRI §20 ust. 2 pkt 4")
    assert ref.cited("pl", former=False) == "KRI §19 ust. 2 pkt 4 (niepotwierdzone)"
