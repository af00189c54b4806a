"""The demo lab's TLS part: one good and one bad endpoint, scanned with the lab's settings."""

from __future__ import annotations

import pytest
import yaml

from auditor.demo.lab import inventory_document
from auditor.demo.parts import tls as tls_part
from auditor.inventory import load_inventory
from auditor.model import Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

pytestmark = pytest.mark.probe


def test_lab_has_a_good_and_a_bad_tls_endpoint(tmp_path):
    part = tls_part.start(tmp_path)
    try:
        inventory = tmp_path / "inventory.yaml"
        inventory.write_text(yaml.safe_dump(inventory_document([part]), allow_unicode=True), encoding="utf-8")
        run = run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"tls"}))
    finally:
        for service in part.services:
            service.stop()
    grades = {f.target_id: f.facts["grade"] for f in run.findings if f.check_id == "tls.grade"}
    assert grades == {f"host:{tls_part.GOOD[1]}": "A+", f"host:{tls_part.BAD[1]}": "T"}
    bad = {f.check_id for f in run.findings if f.target_id == f"host:{tls_part.BAD[1]}" and f.status is Status.FAIL}
    assert {"tls.protocol.tls10", "tls.protocol.tls11", "tls.cert.expired", "tls.cert.weak_key",
            "tls.cipher.no_forward_secrecy", "tls.cipher.no_aead", "tls.hsts.missing"} <= bad
    good = [f for f in run.findings if f.target_id == f"host:{tls_part.GOOD[1]}" and f.status is Status.FAIL]
    assert good == []
