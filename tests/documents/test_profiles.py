"""The profile data file is validated: typos come back with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.checks.documents.profiles import default_path, load_profiles, profiles
from auditor.registry import default_registry
from auditor.yamlfile import YamlFileError


def test_every_type_has_missing_and_sections_checks_with_bilingual_outline() -> None:
    checks = default_registry().checks
    for type_id in profiles().types:
        assert f"doc.sections.{type_id}" in checks
        spec = checks[f"doc.missing.{type_id}"]
        assert spec.remediation("pl").count("\n") >= 3, type_id  # an outline, not a one-liner
        assert spec.remediation("en").count("\n") >= 3, type_id


def test_types_cover_the_documents_an_audit_expects() -> None:
    assert set(profiles().types) == {
        "pbi",
        "risk_analysis",
        "incident_procedure",
        "bcp_drp",
        "backup_policy",
        "crypto_policy",
        "access_control_policy",
        "remote_work_rules",
        "asset_inventory",
        "training",
        "internal_audit",
        "incident_register",
    }


def _mutated(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "documents.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_bad_phrase_is_reported_with_its_line(tmp_path: Path) -> None:
    path = _mutated(tmp_path, lambda d: d["types"]["pbi"]["title"].append("polityk* bez-pieczenstwa"))
    with pytest.raises(YamlFileError) as info:
        load_profiles(path)
    assert info.value.line is not None and "bez-pieczenstwa" in str(info.value)


def test_unknown_field_and_bad_type_id_are_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlFileError, match="review_month"):
        load_profiles(_mutated(tmp_path, lambda d: d["types"]["pbi"].update(review_month=6)))
    with pytest.raises(YamlFileError, match="lower_snake_case"):
        load_profiles(_mutated(tmp_path, lambda d: d["types"].update({"Bad-Type": d["types"]["pbi"]})))
