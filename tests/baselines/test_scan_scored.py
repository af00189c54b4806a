"""End to end: ``auditor scan --baseline`` on loopback writes scores and manual findings into the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.demo.services import banner_service

pytestmark = pytest.mark.e2e


@pytest.fixture
def ssh_server(loopback_address, port_on):
    port = port_on(loopback_address)
    service = banner_service("ssh", loopback_address, port, b"SSH-2.0-OpenSSH_9.6\r\n")
    yield loopback_address, port
    service.stop()


def test_scan_scores_selected_baseline_with_attestations(write_inventory, ssh_server, tmp_path: Path):
    address, port = ssh_server
    (tmp_path / "attestations.yaml").write_text(
        "attestations:\n"
        "  - id: internal_audit\n    result: yes\n    answer: Audyt wewnętrzny, raport nr 3/2026\n"
        "    by: Jan Kowalski\n    date: 2026-05-12\n",
        encoding="utf-8")
    inventory = write_inventory(hosts=[{"name": "srv.testowa.test", "addresses": [address], "ports": [port]}],
                                extensions={"attestations": "attestations.yaml"})
    out = tmp_path / "run.json"
    result = CliRunner().invoke(main, ["scan", str(inventory), "-o", str(out), "--baseline", "kri", "-q",
                                       "--only", "network", "--fail-on", "none"])
    assert result.exit_code == 0, result.output + result.stderr
    run = json.loads(out.read_text(encoding="utf-8"))
    assert set(run["scores"]) == {"kri"}
    kri = run["scores"]["kri"]
    pkt7c = kri["requirements"]["szbi.pkt7c"]
    # the scan passed, but the manual question is unanswered: never "met" on half the evidence
    assert {"id": "network.risky_service", "weight": 3, "outcome": "pass"} in pkt7c["checks"]
    assert pkt7c["status"] == "partial" and pkt7c["manual_pending"] == ["access_control_layers"]
    assert kri["requirements"]["szbi.pkt14"]["status"] == "met"
    assert kri["requirements"]["szbi.pkt14"]["findings"] == ["manual.internal_audit|organisation|"]
    assert 0 < kri["coverage"] < 1 and kri["score"] is not None
    assert run["extras"]["attestations"][0]["by"] == "Jan Kowalski"


def test_scan_refuses_unknown_baseline_before_scanning(write_inventory):
    inventory = write_inventory()
    result = CliRunner().invoke(main, ["scan", str(inventory), "--baseline", "iso", "-q"])
    assert result.exit_code == 2 and "nieznany wzorzec iso" in result.stderr


def test_scan_refuses_bad_baseline_file_before_scanning(write_inventory, tmp_path: Path):
    bad = tmp_path / "local.yaml"
    bad.write_text("id: local\nversion: '1'\ntitle: {pl: L, en: L}\nsource: s\napplies_to: [none]\nrequirements:\n"
                   "  - id: r\n    ref: R\n    title: {pl: T, en: T}\n    description: {pl: D, en: D}\n"
                   "    remediation: {pl: R, en: R}\n    checks: [{id: network.risky_servise}]\n", encoding="utf-8")
    inventory = write_inventory(hosts=[{"name": "a.testowa.test", "addresses": ["127.0.0.1"]}])
    result = CliRunner().invoke(main, ["scan", str(inventory), "--baselines", str(bad), "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 2
    assert f"{bad}:12" in result.stderr and "network.risky_servise" in result.stderr
    assert not (tmp_path / "r.json").exists()
