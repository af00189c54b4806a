"""The demo lab's backups part: a real restic repository with one stale and one fresh system."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backup_helpers import only
from auditor.demo.lab import inventory_document
from auditor.demo.parts import backups
from auditor.inventory import load_inventory
from auditor.model import Status, scan_run_to_json
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

pytestmark = pytest.mark.e2e


def test_demo_part_shows_stale_and_good_system(tmp_path: Path):
    part = backups.start(tmp_path)
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(yaml.safe_dump(inventory_document([part]), allow_unicode=True), encoding="utf-8")
    run = run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"backups"}))
    assert only(run, "backup.stale", "system:ewidencja").status is Status.FAIL
    assert only(run, "backup.stale", "system:kadry").status is Status.PASS
    assert only(run, "backup.missing", "system:bip").status is Status.FAIL
    assert only(run, "backup.stale", "system:poczta").status is Status.PASS
    password = (tmp_path / "backups" / backups.DEMO_PASSWORD_FILE).read_text(encoding="utf-8").strip()
    assert password not in scan_run_to_json(run)
