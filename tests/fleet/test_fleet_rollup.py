"""The fleet roll-up from a store: ranking, worse-off offices, common non-conformities, the matrix."""

from __future__ import annotations


import pytest

from auditor.fleet.rollup import build_rollup
from auditor.report.cells import read_spreadsheet
from auditor.model import Severity
from auditor.report.fleet import render_csv, render_html
from auditor.store import Store

from fleet_store import check_ids, office_run, store_with

HIGH, CRIT, MED = Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM


@pytest.fixture(scope="module")
def checks() -> tuple[str, ...]:
    return check_ids()


@pytest.fixture(scope="module")
def store(tmp_path_factory, checks):
    a, b, c = checks[0], checks[1], checks[2]
    runs = [
        office_run("Gmina Dobra", "0201011", {}),
        office_run("Gmina Średnia", "0201022", {a: HIGH}),
        office_run("Gmina Słaba", "0201033", {a: HIGH, b: CRIT, c: MED}, hosts=3),
        # Gmina Zmienna: first clean, then a new failure — it got worse
        office_run("Gmina Zmienna", "0201044", {}, day=0),
        office_run("Gmina Zmienna", "0201044", {b: CRIT}, day=7),
        # an interrupted later run never replaces the last complete audit
        office_run("Gmina Dobra", "0201011", {a: HIGH, b: HIGH}, day=9, interrupted=True),
    ]
    return store_with(tmp_path_factory.mktemp("fleet") / "audits.db", runs)


@pytest.fixture(scope="module")
def rollup(store):
    with Store(store, create=False) as opened:
        return build_rollup(opened)


def test_offices_are_ranked_lowest_score_first_and_interrupted_runs_are_skipped(rollup) -> None:
    names = [office.name for office in rollup.offices]
    assert names[0] == "Gmina Słaba" and names[-1] == "Gmina Dobra"
    assert len(names) == 4
    scores = [office.scores[rollup.ranking_baseline].score for office in rollup.offices]
    assert scores == sorted(scores)
    dobra = rollup.offices[-1]
    assert dobra.failing_by_severity == {}  # the interrupted run with two failures was not taken


def test_an_office_with_a_new_failure_got_worse_and_others_did_not(rollup, checks) -> None:
    assert [office.name for office in rollup.worse] == ["Gmina Zmienna"]
    zmienna = rollup.worse[0]
    assert zmienna.new_failures == 2 and zmienna.previous is not None  # one check on two hosts
    assert zmienna.score_drops  # and the score fell


def test_common_non_conformities_count_offices_and_hosts_worst_first(rollup, checks) -> None:
    by_check = {p.check_id: p for p in rollup.common}
    assert rollup.common[0].check_id == checks[1] and rollup.common[0].severity == "critical"
    assert len(by_check[checks[1]].offices) == 2 and by_check[checks[1]].hosts == 3 + 2
    assert len(by_check[checks[0]].offices) == 2 and by_check[checks[0]].hosts == 2 + 3
    assert len(by_check[checks[2]].offices) == 1


def test_the_matrix_has_every_requirement_and_a_status_per_office(rollup, store) -> None:
    with Store(store, create=False) as opened:
        latest = opened.load(rollup.offices[0].snapshot.id)
    expected = {(b, r) for b, data in latest.scores.items() for r in data.requirements}
    assert {(row.baseline, row.requirement) for row in rollup.matrix} == expected
    slaba = {(row.baseline, row.requirement): row.statuses[0] for row in rollup.matrix}
    assert slaba == {(b, r): data.requirements[r].status for b, data in latest.scores.items()
                     for r in data.requirements}
    assert "not_met" in slaba.values() or "partial" in slaba.values()


def test_old_snapshots_without_the_requirement_index_are_read_from_the_run(store, rollup, tmp_path) -> None:
    import shutil
    import sqlite3

    copy = tmp_path / "old.db"
    shutil.copy(store, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("DELETE FROM requirements")
    with Store(copy, create=False) as opened:
        again = build_rollup(opened, now=rollup.generated)
    assert again.matrix == rollup.matrix


def test_html_escapes_office_names_and_runs_no_script(tmp_path, checks) -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    path = store_with(tmp_path / "h.db", [office_run(hostile, "0201055", {checks[0]: HIGH})])
    with Store(path, create=False) as opened:
        html = render_html(build_rollup(opened), lang="pl")
    assert "<script" not in html and "<img src=x" not in html and "&lt;script&gt;alert(1)" in html
    assert "script-src" not in html and "default-src 'none'" in html


def test_csv_ranking_neutralises_formulas_and_lists_every_office(tmp_path, checks, rollup) -> None:
    path = store_with(tmp_path / "c.db", [office_run("=cmd|' /C calc'!A0", "0201066", {checks[0]: HIGH}),
                                          office_run("Gmina Spokojna", "0201077", {})])
    with Store(path, create=False) as opened:
        text = render_csv(build_rollup(opened), lang="pl")
    rows = read_spreadsheet(text)
    assert rows[0][:2] == ["rank", "office"] and len(rows) == 3
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
