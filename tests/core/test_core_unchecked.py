"""A family or a whole scan without one verdict is named, and the CLI exits 3 for it (pure part)."""

from __future__ import annotations

import pytest

from auditor.model import Finding, Severity, Status
from auditor.i18n import translation
from auditor.plural import counted
from auditor.unchecked import unchecked

FAMILIES = {"tls.grade": "tls", "tls.cert.expired": "tls", "web.hsts": "web", "patch.eol": "patching"}


def finding(check_id: str, status: Status, text: str = "x") -> Finding:
    return Finding(check_id, "host:bip", status, Severity.HIGH, {"pl": f"pl {text}", "en": f"en {text}"})


def test_a_family_of_errors_is_named_while_the_rest_is_checked():
    gaps = unchecked([finding("tls.grade", Status.ERROR, "CA file"), finding("tls.cert.expired", Status.ERROR),
                      finding("web.hsts", Status.FAIL)], FAMILIES)
    assert bool(gaps) and not gaps.everything
    assert [(g.family, g.findings) for g in gaps.families] == [("tls", 2)]
    assert "en CA file" in gaps.lines("en")[0] and "pl CA file" in gaps.lines("pl")[0]


def test_a_scan_without_any_verdict_checked_nothing():
    gaps = unchecked([finding("tls.grade", Status.ERROR), finding("patch.eol", Status.NOT_APPLICABLE)], FAMILIES)
    assert gaps.everything
    assert gaps.lines("en")[0].startswith("NOTHING COULD BE CHECKED")
    assert gaps.lines("pl")[0].startswith("NIC NIE ZOSTAŁO SPRAWDZONE")


def test_an_inventory_with_nothing_to_scan_is_not_an_unchecked_scan():
    assert not unchecked([], FAMILIES)


def test_a_family_with_nothing_to_judge_is_not_a_failure():
    gaps = unchecked([finding("tls.grade", Status.PASS), finding("web.hsts", Status.NOT_APPLICABLE)], FAMILIES)
    assert not gaps and gaps.lines("pl") == []


def test_one_verdict_is_enough_for_a_family():
    gaps = unchecked([finding("tls.grade", Status.ERROR), finding("tls.cert.expired", Status.WARN)], FAMILIES)
    assert not gaps


def test_unknown_check_ids_count_under_their_prefix():
    gaps = unchecked([finding("plugin.thing", Status.ERROR), finding("web.hsts", Status.PASS)], FAMILIES)
    assert [g.family for g in gaps.families] == ["plugin"]


@pytest.mark.parametrize("count, form", [(1, 0), (2, 1), (4, 1), (5, 2), (10, 2), (12, 2), (14, 2), (21, 2),
                                         (22, 1), (25, 2), (0, 2), (104, 1), (112, 2)])
def test_polish_plural_forms(count, form):
    """The catalogue's Plural-Forms: one / few / many."""
    assert translation("pl").ngettext("{n} target", "{n} targets", count) == ("{n} cel", "{n} cele", "{n} celów")[form]


def test_counted_nouns():
    assert [counted(n, "host") for n in (1, 3, 10)] == ["1 host", "3 hosty", "10 hostów"]
    assert counted(2, "domain") == "2 domeny" and counted(1, "domain", "en") == "1 domain"
    assert counted(10, "host", "en") == "10 hosts"
    assert counted(2, "restic") == "2 źródła typu restic" and counted(2, "restic", "en") == "2 restic sources"
