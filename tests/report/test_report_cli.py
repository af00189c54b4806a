"""``auditor report`` on a stored run: every format, default names, and bad input → exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.model import scan_run_to_json


@pytest.fixture
def stored_run(hostile_run, tmp_path: Path) -> Path:
    path = tmp_path / "run.json"
    path.write_text(scan_run_to_json(hostile_run), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt, suffix, marker", [
    ("html", ".html", "<!DOCTYPE html>"),
    ("sarif", ".sarif", '"version": "2.1.0"'),
    ("csv", ".csv", "\"Target\";\"Check id\""),
    ("json", ".json", '"schema_version"'),
])
def test_each_format_is_written(stored_run: Path, fmt: str, suffix: str, marker: str):
    result = CliRunner().invoke(main, ["report", str(stored_run), "--format", fmt, "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = stored_run.with_name("run-report" + suffix)
    assert marker in out.read_text(encoding="utf-8")


def test_output_option_and_polish_default(stored_run: Path, tmp_path: Path):
    target = tmp_path / "audit.html"
    result = CliRunner().invoke(main, ["report", str(stored_run), "-o", str(target)])
    assert result.exit_code == 0
    assert 'lang="pl"' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, message", [
    ("not json", "to nie jest ScanRun w JSON"),
    (json.dumps({"schema_version": "9.0"}), "schema_version '9.0'"),
])
def test_bad_run_file_exits_2(tmp_path: Path, content: str, message: str):
    path = tmp_path / "run.json"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(path)])
    assert result.exit_code == 2 and message in result.stderr


def test_missing_run_file_exits_2(tmp_path: Path):
    result = CliRunner().invoke(main, ["report", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "No such file" in result.stderr
