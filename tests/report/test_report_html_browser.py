"""The HTML report worked in headless Chromium: search, each filter, the live count, sorting, permalinks and print.

The run is synthetic (100 findings on 10 hosts, real check ids and baselines) with markup in banners and in
the office's name; expected rows are computed from the run and the analysis, never from the rendered page.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from auditor.analysis import analyse
from auditor.model import Finding
from auditor.report import DocumentFormat, ReportFormat, render, render_document
from auditor.report.html import anchor_of, labels
from auditor.report.synthetic import synthetic_run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Makefile APT_PACKAGES installs it)")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
FOOTER = ('<div style="font-size:8px;width:100%;text-align:right;margin-right:12mm">'
          'Strona <span class="pageNumber"></span> z <span class="totalPages"></span></div>')


@pytest.fixture(scope="module")
def analysis():
    return analyse(synthetic_run(findings=100, targets=10, hostile=True), lang="pl")


@pytest.fixture(scope="module")
def report(analysis, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "raport.html"
    path.write_text(render(analysis, ReportFormat.HTML), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, report):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append("dialog: " + dialog.message))  # an alert() = escaping broke
    page.goto(report.as_uri())
    page.wait_for_selector("form#filters[data-ready='1']")
    yield page
    assert errors == []
    page.close()


def visible_ids(page) -> set[str]:
    return set(page.eval_on_selector_all("#findings-table tbody tr.f",
                                         "rows => rows.filter(r => r.offsetParent !== null).map(r => r.id)"))


def ids(findings) -> set[str]:
    return {anchor_of(f) for f in findings}


def shown(page) -> str:
    return page.locator("#shown").inner_text()


def test_every_finding_is_a_row_and_the_count_says_so(page, analysis) -> None:
    assert visible_ids(page) == ids(analysis.run.findings)
    assert shown(page) == "pokazano 100 z 100"


def test_search_narrows_rows_to_matching_findings(page, analysis) -> None:
    page.fill("#q", "1042/tcp")  # one port, in one finding's message and subject
    assert visible_ids(page) == ids(f for f in analysis.run.findings if f.subject == "1042/tcp")
    assert shown(page) == "pokazano 1 z 100"
    page.fill("#q", "SRV3.gmina.test")  # a host name, case-insensitive
    expected = ids(f for f in analysis.run.findings if f.target_id == "host:srv3.gmina.test")
    assert visible_ids(page) == expected and len(expected) == 10
    check_id = analysis.run.findings[0].check_id
    page.fill("#q", check_id)
    matching = ids(f for f in analysis.run.findings if f.check_id == check_id)
    assert matching <= visible_ids(page) < ids(analysis.run.findings)
    title = analysis.texts.check_title(check_id)
    page.fill("#q", title)
    assert matching <= visible_ids(page)
    page.fill("#q", "nic takiego nie ma")
    assert visible_ids(page) == set() and page.locator("#no-match").is_visible()
    assert shown(page) == "pokazano 0 z 100"


def _filter(page, analysis, select: str, value: str, keep) -> None:
    page.select_option(f"#filter-{select}", value)
    expected = ids(f for f in analysis.run.findings if keep(f))
    assert expected and expected != ids(analysis.run.findings)
    assert visible_ids(page) == expected
    assert shown(page) == f"pokazano {len(expected)} z 100"
    page.select_option(f"#filter-{select}", "")
    assert len(visible_ids(page)) == 100


def test_severity_filter(page, analysis) -> None:
    _filter(page, analysis, "sev", "high", lambda f: f.severity.value == "high")


def test_status_filter(page, analysis) -> None:
    _filter(page, analysis, "status", "fail", lambda f: f.status.value == "fail")


def test_family_filter(page, analysis) -> None:
    checks = analysis.texts.registry.checks
    _filter(page, analysis, "family", "tls", lambda f: checks[f.check_id].family == "tls")


def test_host_filter(page, analysis) -> None:
    _filter(page, analysis, "host", "srv2.gmina.test", lambda f: f.target_id == "host:srv2.gmina.test")


def test_requirement_filter(page, analysis) -> None:
    ref = "KRI §19 ust. 1"
    _filter(page, analysis, "req", ref,
            lambda f: any(r.ref == ref for r in analysis.requirements_of.get(f.check_id, ())))


def test_filters_combine_with_search_and_reset(page, analysis) -> None:
    page.select_option("#filter-status", "fail")
    page.select_option("#filter-sev", "critical")
    page.fill("#q", "srv1.")
    expected = ids(f for f in analysis.run.findings if f.status.value == "fail" and f.severity.value == "critical"
                   and f.target_id == "host:srv1.gmina.test")
    assert visible_ids(page) == expected
    page.click("#clear")
    page.wait_for_function("document.querySelectorAll('#findings-table tr.f.hidden').length === 0")
    assert shown(page) == "pokazano 100 z 100"


def _column(page, attribute: str) -> list[str]:
    return page.eval_on_selector_all("#findings-table tbody tr.f", f"rows => rows.map(r => r.getAttribute('{attribute}'))")


def test_sorting_a_column_reorders_rows(page, analysis) -> None:
    before = _column(page, "id")
    page.click("th[data-sort=sev]")
    ranks = [int(r) for r in _column(page, "data-sev-rank")]
    assert ranks == sorted(ranks, reverse=True) and _column(page, "id") != before
    page.click("th[data-sort=sev]")
    assert [int(r) for r in _column(page, "data-sev-rank")] == sorted(ranks)
    page.click("th[data-sort=host]")
    hosts = _column(page, "data-host")
    assert hosts == sorted(hosts) and hosts[0] != hosts[-1]
    page.click("th[data-sort=order]")
    assert _column(page, "id") == before  # back to the analysis' order


def test_permalink_targets_its_finding_even_when_filtered_out(page, report, analysis) -> None:
    finding: Finding = next(f for f in analysis.run.findings if f.status.value == "pass")
    anchor = anchor_of(finding)
    page.select_option("#filter-status", "fail")
    assert anchor not in visible_ids(page)
    page.goto(report.as_uri() + "#" + anchor)
    page.wait_for_function(f"document.getElementById('{anchor}').offsetParent !== null")
    assert page.evaluate("document.querySelector(':target').id") == anchor
    assert page.locator(f"#{anchor}").is_visible()
    assert page.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top") < 720
    link = page.locator(f"#{anchor} a.permalink")
    assert link.get_attribute("href") == "#" + anchor


def test_a_failing_finding_links_to_its_remediation_shown_once(page, analysis) -> None:
    item = analysis.items[0]
    finding = next(f for f in analysis.run.findings if f.check_id == item.check_id and f.failing)
    page.click(f"#{anchor_of(finding)} a.fix")
    assert page.evaluate("document.querySelector(':target').id") == f"action-{item.check_id}"

    def flat(text: str) -> str:
        return " ".join(text.split())

    # one remediation block per non-conformity, and none repeated in the findings table
    blocks = sorted(flat(t) for t in page.eval_on_selector_all("section.audit p.pre", "ps => ps.map(p => p.innerText)"))
    assert blocks == sorted(flat(i.remediation) for i in analysis.items if i.remediation)
    table = flat(page.locator("#findings-table").inner_text())
    assert not any(flat(i.remediation) in table for i in analysis.items if i.remediation)


def test_hostile_text_is_inert(page) -> None:
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 1
    assert '<img src=x onerror=alert(1)>' in page.locator("#findings-table").inner_text()


def test_reader_sees_words_not_field_names_or_enum_values(browser, analysis) -> None:
    for lang in ("pl", "en"):
        page = browser.new_page()
        page.set_content(render(analyse(analysis.run, lang=lang), ReportFormat.HTML))
        # the scoring/ranking rule texts of the methodology belong to auditor.scoring (quoted as written there)
        page.evaluate("document.querySelectorAll('pre.rules').forEach(p => p.remove())")
        text = page.locator("body").inner_text()
        for raw in ("not_applicable", "not_met", "not_assessed", "reason_pl", "why_en", '{"', "important\n"):
            assert raw not in text, (lang, raw)
        words = labels()[lang]["statuses"]
        options = page.eval_on_selector_all("#filter-status option", "o => o.map(x => x.textContent)")
        assert options[1:] == [words[s] for s in ("fail", "warn", "error", "manual", "pass", "not_applicable")]
        assert page.evaluate("document.documentElement.lang") == lang
        page.close()


def test_printed_html_is_a4_numbered_and_close_to_the_audit_pdf(browser, report, analysis, tmp_path) -> None:
    page = browser.new_page()
    page.goto(report.as_uri())
    page.select_option("#filter-status", "fail")  # filters do not apply on paper: every finding is printed
    printed = PdfReader(io.BytesIO(page.pdf(format="A4", display_header_footer=True,
                                            header_template="<span></span>", footer_template=FOOTER)))
    page.close()
    audit = PdfReader(io.BytesIO(render_document(analysis, DocumentFormat.PDF)))
    pages = len(printed.pages)
    assert pages <= 1.5 * len(audit.pages), (pages, len(audit.pages))
    box = printed.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4 in points
    for number in (1, pages // 2, pages):
        assert f"Strona {number} z {pages}" in printed.pages[number - 1].extract_text()
    text = "".join(p.extract_text() for p in printed.pages)
    assert labels()["pl"]["contents"] in printed.pages[1].extract_text() or labels()["pl"]["contents"] in text
    assert labels()["pl"]["search"] not in text  # the controls are not printed
    passing = next(f for f in analysis.run.findings if f.status.value == "pass")
    assert passing.subject in text
