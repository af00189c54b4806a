"""``auditor fleet report`` opened in headless Chromium: the matrix is visible and an office's link opens its report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.model import Severity

from fleet_store import check_ids, office_run, store_with

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Makefile APT_PACKAGES installs it)")]


@pytest.fixture(scope="module")
def fleet_html(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("zestawienie")
    checks = check_ids()
    store = store_with(folder / "audits.db", [
        office_run("Gmina Wólka", "0202011", {checks[0]: Severity.HIGH}),
        office_run("Miasto Łąkowo", "0202022", {}),
        office_run("Starostwo Powiatowe w Borach", "0202033", {checks[0]: Severity.HIGH, checks[1]: Severity.CRITICAL}),
    ])
    out = folder / "zestawienie.html"
    result = CliRunner().invoke(main, ["fleet", "report", "--store", str(store), "-o", str(out),
                                       "--csv", str(folder / "zestawienie.csv")])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_matrix_and_ranking_are_visible(fleet_html, page) -> None:
    page.goto(fleet_html.as_uri())
    assert page.locator("#matrix-table").is_visible()
    header_cells = page.locator("#matrix-table thead th")
    assert header_cells.count() == 1 + 3  # the requirement column and one per office
    assert page.locator("#matrix-table tbody tr").count() > 10
    assert page.locator("#matrix-table td.st-not_met, #matrix-table td.st-partial").count() >= 1
    first = page.locator("#offices tbody tr").first.inner_text()
    assert "Starostwo Powiatowe w Borach" in first  # the worst office first
    assert page.errors == []  # type: ignore[attr-defined]


def test_an_offices_link_opens_its_own_report(fleet_html, page) -> None:
    page.goto(fleet_html.as_uri())
    row = page.locator("#offices tbody tr", has_text="Miasto Łąkowo")
    with page.expect_navigation():
        row.locator("a.office-report").click()
    assert page.url.startswith(fleet_html.with_name("zestawienie_jednostki").as_uri())
    assert "Miasto Łąkowo" in page.content()
    assert page.locator("h1").first.is_visible()
