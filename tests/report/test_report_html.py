"""The HTML audit: content, escaping, the trends hook, and a real headless Chromium rendering it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.analysis import RANKING_RULES, TOP_ACTIONS, analyse
from auditor.analysis.ranking import rank_key
from auditor.registry import default_registry
from auditor.report import ReportFormat, render
from auditor.scoring import SCORING_RULES, overall_grade

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def html_pl(hostile_run) -> str:
    return render(analyse(hostile_run, lang="pl"), ReportFormat.HTML)


def test_summary_shows_grade_scores_coverage_and_top_actions(hostile_run, html_pl):
    summary = html_pl.split('<section id="requirements">')[0]
    assert "Podsumowanie dla kierownictwa" in summary
    assert f'grade-{overall_grade(hostile_run.scores)[0]}">{overall_grade(hostile_run.scores)}<' in summary
    for entry in hostile_run.scores.values():
        assert entry.title["pl"] in summary
        assert f"{entry.coverage * 100:.0f}%" in summary
    actions = analyse(hostile_run, lang="pl").actions
    assert summary.count('<li><span class="badge sev-') == min(TOP_ACTIONS, len(actions)) > 0
    keys = [rank_key(a.severity, a.known_exploited, a.internet, len(a.targets), len(a.requirements), a.status,
                     a.check_id) for a in actions]
    assert keys == sorted(keys) and [a.rank for a in actions] == list(range(1, len(actions) + 1))
    assert SCORING_RULES["pl"].splitlines()[0] in html_pl and RANKING_RULES["pl"].splitlines()[0] in html_pl
    # order: summary, non-conformities (with their remediation), requirements, findings, methodology
    positions = [html_pl.index(f'<section id="{s}"') for s in ("summary", "audit-nonconformities", "requirements",
                                                                "findings", "methodology")]
    assert positions == sorted(positions)


def test_check_and_requirement_remediation_are_both_present(hostile_run, html_pl):
    failing = next(f for f in hostile_run.findings if f.status.value == "fail")  # remediation is shown for failures
    spec = default_registry().checks[failing.check_id]
    first_step = spec.remediation("pl").strip().splitlines()[0]
    assert first_step.replace("<", "&lt;").replace(">", "&gt;") in html_pl
    kri = hostile_run.scores["kri"].requirements["szbi.pkt14"]
    assert kri.remediation["pl"].splitlines()[0] in html_pl


def test_english_report_uses_english_texts(hostile_run):
    html = render(analyse(hostile_run, lang="en"), ReportFormat.HTML)
    assert 'lang="en"' in html and "Executive summary" in html and "Podsumowanie" not in html
    assert SCORING_RULES["en"].splitlines()[0] in html


def test_markup_from_targets_is_escaped(html_pl, hostile_text):
    assert hostile_text not in html_pl
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html_pl
    assert len(re.findall(r"<script\b", html_pl)) == 1                 # only our own, nonce-bound script
    # self-contained: nothing is loaded from the network (remediation text may quote URLs, e.g. nginx lines)
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""",
                         html_pl)


def test_trends_hook_renders_our_svg_and_escapes_captions(hostile_run, hostile_text):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="5"/></svg>'
    html = render(analyse(hostile_run, lang="pl"), ReportFormat.HTML, trends={hostile_text: svg})
    assert '<section id="trends">' in html and svg in html and hostile_text not in html
    assert '<section id="trends">' not in render(analyse(hostile_run, lang="pl"), ReportFormat.HTML)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Makefile APT_PACKAGES installs it)")
def test_headless_chromium_renders_without_console_errors(html_pl, hostile_text, tmp_path: Path):
    page = tmp_path / "audit.html"
    page.write_text(html_pl, encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-extensions", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    assert 'data-ready="1"' in dom                                      # our filter script ran
    assert len(re.findall(r"<script\b", dom)) == 1                      # the banner's <script> is no element
    assert "<img src=\"x\"" not in dom and "&lt;script&gt;alert(\"xss\")&lt;/script&gt;" in dom


def test_unscored_empty_run_still_renders(hostile_run):
    from dataclasses import replace

    empty = replace(hostile_run, scores={}, findings=(), attempts=())
    html = render(analyse(empty, lang="en"), ReportFormat.HTML)
    assert "This run was not scored against any baseline." in html and 'class="grade grade--">-<' in html
    assert "No failures requiring action." in html
