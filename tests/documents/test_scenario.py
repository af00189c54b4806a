"""End to end through the inventory and the scan engine: the issue's must-show scenarios and the demo folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.demo.doccorpus import pbi, risk_2019, scanned_pbi
from auditor.demo.docwriter import write
from auditor.demo.lab import inventory_document
from auditor.demo.parts import documents as demo_documents
from auditor.inventory import load_inventory
from auditor.model import Finding, Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
from auditor.yamlfile import YamlFileError

pytestmark = pytest.mark.e2e


def scan(inventory: Path) -> dict[tuple[str, str], Finding]:
    run = run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"documents"}))
    assert all(a.completed for a in run.attempts), [a.error for a in run.attempts]
    return {(f.check_id, f.subject): f for f in run.findings}


def source(path: str, **extra: Any) -> list[dict[str, Any]]:
    return [{"type": "documents", "name": "szbi", "path": path, **extra}]


def test_must_show_current_policy_stale_risk_analysis_missing_incident_procedure(
    tmp_path: Path, write_inventory, today: date
) -> None:
    write(pbi(today), tmp_path / "dokumenty")  # DOCX, approved two months ago
    write(risk_2019(), tmp_path / "dokumenty")  # PDF from 2019
    findings = scan(write_inventory(sources=source("dokumenty")))

    assert findings[("doc.missing.pbi", "pbi")].status is Status.PASS
    assert findings[("doc.unapproved", "pbi")].status is Status.PASS
    assert findings[("doc.stale", "pbi")].status is Status.PASS
    stale = findings[("doc.stale", "risk_analysis")]
    assert stale.status is Status.FAIL and stale.facts["date"] == "2019-05-20"
    assert "2019-05-20" in stale.message["pl"] and "2019-05-20" in stale.message["en"]
    missing = findings[("doc.missing.incident_procedure", "incident_procedure")]
    assert missing.status is Status.FAIL
    assert "Procedura zarządzania incydentami" in missing.message["pl"]


def test_must_show_scanned_pdf_is_manual_not_fail(tmp_path: Path, write_inventory, today: date) -> None:
    write(scanned_pbi(today), tmp_path / "skany")
    findings = scan(write_inventory(sources=source("skany")))
    unreadable = findings[("doc.unreadable", "Skan_PBI_podpisany.pdf")]
    assert unreadable.status is Status.MANUAL and unreadable.facts["reason"] == "no_text_layer"
    assert findings[("doc.missing.pbi", "pbi")].status is Status.MANUAL  # the file name says it may be the policy
    assert not any(
        f.status is Status.FAIL for (check, _), f in findings.items() if check in ("doc.unreadable", "doc.missing.pbi")
    )


def test_demo_folder_gives_the_documented_mix(tmp_path: Path) -> None:
    part = demo_documents.start(tmp_path)
    document = inventory_document([part])
    document["scope"] = {"cidrs": ["127.0.0.0/8"], "domains": []}
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    findings = scan(inventory)
    statuses = {key: f.status for key, f in findings.items()}
    assert statuses[("doc.missing.pbi", "pbi")] is Status.PASS
    assert statuses[("doc.stale", "risk_analysis")] is Status.FAIL
    assert statuses[("doc.sections.incident_procedure", "incident_procedure")] is Status.WARN
    assert statuses[("doc.unapproved", "backup_policy")] is Status.FAIL
    assert statuses[("doc.internal_audit_overdue", "internal_audit")] is Status.FAIL
    assert statuses[("doc.unreadable", "Instrukcja_kancelaryjna.doc")] is Status.MANUAL
    assert statuses[("doc.unreadable", "Skan_PBI_podpisany.pdf")] is Status.MANUAL
    for missing in ("bcp_drp", "crypto_policy", "remote_work_rules", "incident_register"):
        assert statuses[(f"doc.missing.{missing}", missing)] is Status.FAIL


@pytest.mark.parametrize(
    "sources, message",
    [
        (source("dokumenty", review_months={"polityka": 6}), "unknown document type"),
        ([{"type": "documents", "name": "szbi"}], "path"),
    ],
)
def test_bad_documents_source_is_reported_with_its_line(write_inventory, sources, message: str) -> None:
    with pytest.raises(YamlFileError, match=message) as info:
        load_inventory(write_inventory(sources=sources))
    assert info.value.line is not None


def test_example_inventory_is_valid() -> None:
    loaded = load_inventory(Path(__file__).parents[2] / "examples" / "inventory-documents.yaml")
    [target] = [t for t in loaded.targets if t.kind == "documents"]
    assert target.attrs["path"].endswith("examples/dokumenty/szbi")
    assert target.attrs["review_months"] == {"asset_inventory": 6, "pbi": 12}
