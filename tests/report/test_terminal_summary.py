"""The admin's terminal summary at 80 and 120 columns and in a cron log (not a TTY).

``fixtures/terminal-80.txt`` is the recorded console text (the screenshot
equivalent) of the stored Gmina Zalesie run at 80 columns.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from auditor.analysis import analyse
from auditor.cli import main
from auditor.model import scan_run_from_json
from auditor.analysis.texts import severity_word
from auditor.terminal import print_summary, summary_text, targets_word
from stored_run import FIXTURE

RECORDED = Path(__file__).parent / "fixtures" / "terminal-80.txt"
BOX = re.compile(r"[─━│┃┌┐└┘├┤┬┴┼╭╮╯╰═║]")


@pytest.fixture(scope="module")
def analysis():
    return analyse(scan_run_from_json(FIXTURE.read_text(encoding="utf-8")), lang="pl")


def _console(width: int, *, tty: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=width, force_terminal=tty, color_system=None if not tty else "standard",
                   record=True), out


def _assert_every_failing_check_is_readable(text: str, analysis, width: int) -> None:
    flat = " ".join(text.split())
    for action in analysis.actions:
        severity = severity_word(action.severity.value, "pl")
        assert f"{action.number} {severity}" in flat                      # the full word, never "kryt" or "criti"
        assert targets_word(len(action.targets), "pl") in flat
        assert f"{' '.join(action.title.split())} ({action.check_id})" in flat
        for target in action.targets:
            assert target in text                                      # names wrap between, never inside
    assert all(len(line) <= width for line in text.splitlines())
    assert "Najpierw napraw:" in text and "pokrycie 30%" in flat


def test_non_tty_is_plain_text_with_every_failing_check(analysis):
    console, out = _console(80, tty=False)
    print_summary(console, analysis)
    text = out.getvalue()
    assert "\x1b[" not in text and not BOX.search(text)
    _assert_every_failing_check_is_readable(text, analysis, 80)
    assert text == RECORDED.read_text(encoding="utf-8")


def test_tty_at_80_columns_has_the_same_lines(analysis):
    console, _ = _console(80, tty=True)
    print_summary(console, analysis)
    text = console.export_text()
    assert not BOX.search(text)
    _assert_every_failing_check_is_readable(text, analysis, 80)
    assert [line.rstrip() for line in text.splitlines()] == RECORDED.read_text(encoding="utf-8").splitlines()


def test_120_columns_keep_one_line_per_failing_check(analysis):
    text = summary_text(analysis, width=120)
    _assert_every_failing_check_is_readable(text, analysis, 120)
    heads = [line for line in text.splitlines() if re.match(r"[NOZ]-\d\d ", line)]
    assert len(heads) == len(analysis.actions) and all(line.endswith(")") for line in heads)


def test_a_narrow_terminal_is_not_squeezed_below_60_columns(analysis):
    text = summary_text(analysis, width=20)
    assert "krytyczna" in text and all(len(line) <= 60 for line in text.splitlines())


def test_fix_first_lists_the_top_five_with_a_first_step(analysis):
    fix_first = summary_text(analysis, width=100).split("Najpierw napraw:")[1].split("Wyniki")[0]
    assert re.findall(r"^(\d)\. ([NOZ]-\d\d)", fix_first, re.MULTILINE) == [
        (str(i), a.number) for i, a in enumerate(analysis.top, 1)]
    assert fix_first.count("→ pierwszy krok: ") == 5
    assert "apt install --only-upgrade" in " ".join(fix_first.split())


def test_all_lists_every_finding(analysis):
    text = summary_text(analysis, width=100, show_all=True)
    every = text.split("Wszystkie ustalenia:")[1]
    for finding in analysis.run.findings:
        assert finding.check_id in every
    assert "zgodne" in every and "błąd" in every and "[zaakceptowane do 2027-03-31]" in every


def test_report_format_text_prints_the_same_summary_from_a_stored_run(tmp_path):
    run_json = tmp_path / "run.json"
    run_json.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(run_json), "--format", "text", "-o", "-"])
    assert result.exit_code == 0, result.output
    expected = summary_text(analyse(scan_run_from_json(FIXTURE.read_text(encoding="utf-8"))))
    assert result.output == expected
