"""The scan authorisation record: validated with lines, window enforced by `auditor scan`, stored in the run."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.errors import InputError
from auditor.workflow.authorisation import require_window, within_window, parse_authorisation
from auditor.yamlfile import YamlFileError, load_yaml_with_lines


def record(start, end):
    return {"by": {"name": "Jan Wójcik", "role": "Wójt Gminy Testowa"},
            "document": "zarządzenie nr 12/2026 Wójta Gminy Testowa", "scope_note": "Serwery urzędu i domena",
            "window": {"start": start, "end": end}}


def test_date_window_is_whole_days_in_polish_time(write_inventory):
    parsed = parse_authorisation(load_yaml_with_lines(write_inventory(
        extensions={"authorisation": record("2026-12-01", "2026-12-05")})))
    # 5 December 23:30 in Warsaw is 22:30 UTC: still inside; 6 December 00:30 Warsaw is outside
    assert within_window(parsed, datetime(2026, 12, 5, 22, 30, tzinfo=timezone.utc))
    assert not within_window(parsed, datetime(2026, 12, 5, 23, 30, tzinfo=timezone.utc))
    assert not within_window(parsed, datetime(2026, 11, 30, 22, 59, tzinfo=timezone.utc))
    with pytest.raises(InputError, match="zarządzenie nr 12/2026"):
        require_window(parsed, datetime(2026, 12, 7, tzinfo=timezone.utc), ignore=False)
    require_window(parsed, datetime(2026, 12, 7, tzinfo=timezone.utc), ignore=True)


def test_bad_record_reports_the_line(write_inventory):
    path = write_inventory(extensions={"authorisation": {**record("2026-12-05", "2026-12-01"), "scope": "x"}})
    with pytest.raises(YamlFileError) as err:
        parse_authorisation(load_yaml_with_lines(path))
    assert "extensions.authorisation.scope: unknown key" in str(err.value)
    assert "ends before it starts" in str(err.value)


def test_scan_refuses_outside_the_window_unless_overridden(write_inventory, tmp_path):
    past = date.today() - timedelta(days=10)
    inventory = write_inventory(extensions={"authorisation": record(past.isoformat(),
                                                                    (past + timedelta(days=2)).isoformat())})
    out = tmp_path / "run.json"
    refused = CliRunner().invoke(main, ["scan", str(inventory), "--only", "network", "-q", "-o", str(out)])
    assert refused.exit_code == 2 and "autoryzowany od" in refused.output and not out.exists()
    allowed = CliRunner().invoke(main, ["scan", str(inventory), "--only", "network", "-q", "-o", str(out),
                                        "--ignore-window"])
    assert allowed.exit_code == 0, allowed.output
    extras = json.loads(out.read_text())["extras"]
    assert extras["authorisation"]["document"].startswith("zarządzenie") and extras["authorisation_window_ignored"]


def test_shipped_audit_example_validates():
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "examples" / "inventory-audit.yaml"
    done = CliRunner().invoke(main, ["validate", str(example)])
    assert done.exit_code == 0, done.output
    assert "ryzyka zaakceptowane: 2" in done.output and "zarządzenie nr 40/2026" in done.output
