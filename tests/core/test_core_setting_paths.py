"""Paths in an inventory's settings resolve against the inventory file, and a missing one is an input error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.inventory import PATH_SETTINGS, load_inventory
from auditor.yamlfile import YamlFileError

INVENTORY = """\
organisation: {{name: Gmina Testowa, kind: gmina}}
scope:
  cidrs: [127.0.0.0/8]
settings:
  timeout: 30
  tls_ca_file: {ca}
  restore_test_dir: {scratch}
hosts:
  - {{name: www, addresses: [127.0.0.5], ports: [443]}}
"""


def office(tmp_path: Path, ca: str = "pki/ca.pem", scratch: str = "scratch") -> Path:
    folder = tmp_path / "urzad"
    (folder / "pki").mkdir(parents=True)
    (folder / "pki" / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    (folder / "scratch").mkdir()
    path = folder / "inventory.yaml"
    path.write_text(INVENTORY.format(ca=ca, scratch=scratch), encoding="utf-8")
    return path


def test_relative_setting_paths_resolve_against_the_inventory_not_the_working_folder(tmp_path, monkeypatch):
    path = office(tmp_path)
    monkeypatch.chdir(tmp_path)  # the cron job's folder, not the inventory's
    settings = load_inventory(path.relative_to(tmp_path)).settings
    assert settings["tls_ca_file"] == str(path.parent / "pki" / "ca.pem")
    assert settings["restore_test_dir"] == str(path.parent / "scratch")
    assert settings["timeout"] == 30


def test_every_path_setting_is_covered():
    assert set(PATH_SETTINGS) == {"tls_ca_file", "restore_test_dir", "rdap_bootstrap", "ssh_blacklist_dir"}


@pytest.mark.parametrize("key, value, line", [("tls_ca_file", "pki/brak.pem", 6), ("restore_test_dir", "nowhere", 7),
                                              ("tls_ca_file", "pki", 6)])
def test_a_missing_path_is_reported_with_file_and_line(tmp_path, key, value, line):
    path = office(tmp_path, **({"ca": value} if key == "tls_ca_file" else {"scratch": value}))
    with pytest.raises(YamlFileError) as caught:
        load_inventory(path)
    assert caught.value.line == line and key in str(caught.value)
    assert str(path.parent) in str(caught.value)


def test_validate_exits_2_for_a_missing_ca_file(tmp_path):
    path = office(tmp_path, ca="pki/brak.pem")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:6" in result.output and "nie ma pliku" in result.output


def test_validate_counts_with_plural_forms(tmp_path):
    hosts = "".join(f"  - {{name: h{i}, addresses: [127.0.0.{i + 10}], ports: [443]}}\n" for i in range(10))
    path = office(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").split("hosts:\n")[0] + "hosts:\n" + hosts, encoding="utf-8")
    assert "10 hostów" in CliRunner().invoke(main, ["validate", str(path)]).output
    assert "10 hosts" in CliRunner().invoke(main, ["validate", "--lang", "en", str(path)]).output
