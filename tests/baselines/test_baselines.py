"""The shipped baselines load, reference only registered checks, and bad files fail with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from auditor.baseline import builtin_baseline_files, load_baselines, select_baselines
from auditor.cli import main
from auditor.errors import InputError
from auditor.registry import default_registry
from auditor.yamlfile import YamlFileError


@pytest.fixture(scope="module")
def shipped():
    return load_baselines()


def test_every_shipped_baseline_loads_with_expected_requirements(shipped):
    assert set(shipped) == {"kri", "nis2", "ksc", "ksc-key", "ksc-duties"}
    kri = shipped["kri"].baseline
    ids = [r.id for r in kri.requirements]
    for point in ("1", "2", "3", "4", "5", "8", "9", "10", "11", "13", "14"):
        assert f"szbi.pkt{point}" in ids
    for point, letters in (("6", "abc"), ("7", "abc"), ("12", "abcdefgh")):
        for letter in letters:
            assert f"szbi.pkt{point}{letter}" in ids
    assert "logs" in ids
    ksc = shipped["ksc"].baseline
    assert [r.id for r in ksc.requirements if r.part == "part1"] == [f"pkt{n}" for n in range(1, 19)]
    assert {r.id for r in ksc.requirements if r.part in ("part3", "part4")} == {"part3.review", "part4.documentation"}
    nis2_ids = {r.id for r in shipped["nis2"].baseline.requirements}
    assert {f"art21.2{letter}" for letter in "abcdefghij"} <= nis2_ids
    assert {"art20.1", "art20.2", "art23"} <= nis2_ids


def test_referenced_checks_exist_and_ids_are_unique(shipped):
    registry = default_registry()
    for loaded in shipped.values():
        baseline = loaded.baseline
        requirement_ids = [r.id for r in baseline.requirements]
        assert len(requirement_ids) == len(set(requirement_ids)), baseline.id
        for requirement in baseline.requirements:
            check_ids = [c.id for c in requirement.checks]
            assert len(check_ids) == len(set(check_ids))
            assert set(check_ids) <= set(registry.checks), (baseline.id, requirement.id)
            assert requirement.title.pl and requirement.title.en
            assert requirement.remediation.pl.strip() and requirement.remediation.en.strip()


def test_kri_paragraph_numbers_are_templated_once(shipped):
    kri = shipped["kri"].baseline
    pkt12d = kri.requirement("szbi.pkt12d")
    assert pkt12d.ref == f"KRI {kri.paragraphs['szbi'].ref} ust. 2 pkt 12 lit. d"
    assert pkt12d.legacy_ref == "KRI §20 ust. 2 pkt 12 lit. d"
    assert kri.requirement("logs").legacy_ref == "KRI §21"
    raw = next(f for f in builtin_baseline_files() if f.name == "kri.yaml").read_text(encoding="utf-8")
    # the 2024 numbers appear in the data only in the 'paragraphs' block, with their confirmation state
    assert raw.count('ref: "§19"') == 1 and "KRI §19" not in raw
    assert kri.paragraphs["szbi"].confirmation.value == "unconfirmed"
    # a requirement citing an unconfirmed number is never better than unconfirmed
    assert {r.basis.confirmation.value for r in kri.requirements} == {"unconfirmed"}


def test_network_checks_are_mapped_honestly(shipped):
    def mapped(check_id):
        return {(lb.baseline.id, r.id) for lb in shipped.values() for r in lb.baseline.requirements
                if check_id in {c.id for c in r.checks}}

    assert ("kri", "szbi.pkt7c") in mapped("network.risky_service")
    assert ("kri", "szbi.pkt2") in mapped("network.undeclared_port")
    # nothing network-related evidences training, audits or incident reporting
    assert not {req for _, req in mapped("network.risky_service")} & {"szbi.pkt6a", "szbi.pkt14", "art23"}


def _write_baseline(tmp_path: Path, check_id: str) -> Path:
    path = tmp_path / "custom.yaml"
    path.write_text(
        "id: custom\nversion: '1'\ntitle: {pl: Własny, en: Custom}\nsource: test\napplies_to: [none]\n"
        "basis: {confirmation: unconfirmed, source: test data}\n"
        "requirements:\n"
        "  - id: r1\n    ref: X 1\n    title: {pl: T, en: T}\n    description: {pl: D, en: D}\n"
        "    remediation: {pl: R, en: R}\n"
        "    checks:\n"
        "      - id: network.risky_service\n"
        f"      - id: {check_id}\n",
        encoding="utf-8",
    )
    return path


def test_unknown_check_id_names_file_line_and_id(tmp_path):
    path = _write_baseline(tmp_path, "network.risky_servce")
    with pytest.raises(YamlFileError) as err:
        load_baselines([path])
    assert err.value.path == path and err.value.line == 15
    assert "network.risky_servce" in str(err.value) and "did you mean 'network.risky_service'" in str(err.value)


def test_cli_exits_2_on_typo_in_check_id(tmp_path):
    path = _write_baseline(tmp_path, "tls.nope.typo")
    result = CliRunner().invoke(main, ["baselines", "--baselines", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:15" in result.stderr and "tls.nope.typo" in result.stderr


def test_unknown_key_is_reported_with_line(tmp_path):
    path = _write_baseline(tmp_path, "network.undeclared_port")
    path.write_text(path.read_text(encoding="utf-8").replace("    ref: X 1\n", "    ref: X 1\n    weigth: 2\n"),
                    encoding="utf-8")
    with pytest.raises(YamlFileError) as err:
        load_baselines([path])
    assert err.value.line == 10 and "weigth" in str(err.value)


def test_default_selection_follows_entity_class(shipped):
    assert {b.id for b in select_baselines(shipped, [], "important")} == {"kri", "nis2", "ksc", "ksc-duties"}
    assert {b.id for b in select_baselines(shipped, [], "key")} == {"kri", "nis2", "ksc-key", "ksc-duties"}
    assert {b.id for b in select_baselines(shipped, [], "none")} == {"kri"}
    assert [b.id for b in select_baselines(shipped, ["nis2", "kri"], "none")] == ["nis2", "kri"]
    with pytest.raises(InputError, match="unknown baseline"):
        select_baselines(shipped, ["iso27001"], "none")


def test_non_baseline_yaml_in_a_folder_is_ignored(tmp_path):
    (tmp_path / "eol.yaml").write_text(yaml.safe_dump({"products": {"php": []}}), encoding="utf-8")
    assert set(load_baselines([tmp_path])) == {"kri", "nis2", "ksc", "ksc-key", "ksc-duties"}
