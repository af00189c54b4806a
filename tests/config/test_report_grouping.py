"""The report groups configuration findings per host and collapses one failure across hosts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from auditor.inventory import load_inventory
from auditor.registry import default_registry
from auditor.analysis import analyse
from auditor.scan import ScanOptions, run_scan

EXAMPLES = Path(__file__).parents[2] / "examples/config/windows"


def test_findings_grouped_per_host_and_actions_count_hosts(tmp_path: Path) -> None:
    folder = shutil.copytree(EXAMPLES, tmp_path / "bundles")
    twin = json.loads((folder / "pc-kancelaria-01.json").read_text(encoding="utf-8"))
    twin["host"] = "PC-KANCELARIA-02"
    (folder / "pc-kancelaria-02.json").write_text(json.dumps(twin), encoding="utf-8")
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Testowa", "kind": "gmina"}, "scope": {"cidrs": ["127.0.0.0/8"]},
        "sources": [{"type": "config_bundles", "name": "stacje", "path": str(folder)}]}), encoding="utf-8")
    run = run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"config"}))
    analysis = analyse(run, lang="pl")
    groups = {g.name: g for g in analysis.groups}
    assert set(groups) == {"PC-KANCELARIA-01", "PC-KANCELARIA-02", "SRV-AD-01"}
    assert {f.subject for f in groups["SRV-AD-01"].findings} == {"SRV-AD-01"}
    assert groups["PC-KANCELARIA-01"].kind == "config_bundles · stacje"
    actions = {a.check_id: a for a in analysis.actions}
    assert sorted(actions["config.firewall"].targets) == ["PC-KANCELARIA-01", "PC-KANCELARIA-02"]
    assert actions["config.firewall"].evidence_total == 2
    assert "SRV-AD-01" not in actions["config.smb1"].targets
