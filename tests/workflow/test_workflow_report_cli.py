"""`auditor report` with a store: a snapshot's formal report follows up the previous audit; trends in HTML."""

from __future__ import annotations

import docx
from click.testing import CliRunner

from auditor.cli import main
from auditor.model import scan_run_to_json
from auditor.store import Store
from workflow_helpers import audited_pair


def test_snapshot_report_with_follow_up_and_trends(tmp_path):
    previous, current = audited_pair()
    store = tmp_path / "store.sqlite"
    with Store(store) as opened:
        opened.save(previous)
        opened.save(current)
    out = tmp_path / "audit.docx"
    done = CliRunner().invoke(main, ["report", "--store", str(store), "--snapshot", "latest", "--format", "docx",
                                     "-o", str(out)])
    assert done.exit_code == 0, done.output
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(out)).tables]
    followup = next(t for t in tables if "Stan" in t[0])
    assert followup[1][0] == "N-01" and followup[1][-1] == "przeterminowane"

    html = tmp_path / "latest.html"
    done = CliRunner().invoke(main, ["report", "--store", str(store), "--snapshot", "latest", "-o", str(html)])
    assert done.exit_code == 0, done.output
    text = html.read_text(encoding="utf-8")
    assert '<section id="trends">' in text and "Porównanie z audytem z dnia 2026-09-28" in text

    # a ScanRun file reported against the store: the previous snapshot of its office is found
    run_json = tmp_path / "run.json"
    run_json.write_text(scan_run_to_json(current), encoding="utf-8")
    done = CliRunner().invoke(main, ["report", str(run_json), "--store", str(store), "--format", "plan-csv",
                                     "-o", "-"])
    assert done.exit_code == 0 and done.output.splitlines()[1].startswith("\"N-01\";\"Niezgodność\";")


def test_bad_invocations_exit_2(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["report", "--snapshot", "latest"]).exit_code == 2
    assert runner.invoke(main, ["report"]).exit_code == 2
    missing = runner.invoke(main, ["report", "--store", str(tmp_path / "none.sqlite"), "--snapshot", "latest"])
    assert missing.exit_code == 2 and "no store" in missing.output
