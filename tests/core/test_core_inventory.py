"""Inventory validation: every problem comes back with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.inventory import load_inventory
from auditor.model import TlsMode
from auditor.yamlfile import YamlFileError

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
organisation:
  name: Gmina Testowa
  kind: gmina
  entity_class: important
scope:
  cidrs: [127.0.0.0/8]
  domains: [testowa.test]
hosts:
  - name: www.testowa.test
    addresses: [127.0.0.5]
    ports: [443, 25, {port: 8443, service: https, tls: implicit}]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "inv.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_inventory_is_valid() -> None:
    loaded = load_inventory(REPO / "examples" / "inventory.yaml")
    assert loaded.model.organisation.name == "Gmina Przykładowo"
    assert {t.kind for t in loaded.targets} == {"host", "domain"}


def test_ports_get_protocol_and_tls_mode(tmp_path: Path) -> None:
    target = load_inventory(write(tmp_path, GOOD)).targets[0]
    modes = {p.port: (p.service, p.tls) for p in target.ports}
    assert modes == {443: ("https", TlsMode.IMPLICIT), 25: ("smtp", TlsMode.STARTTLS), 8443: ("https", TlsMode.IMPLICIT)}


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (GOOD.replace("    ports:", "   ports:"), 11, "mapping"),                 # YAML syntax error
        (GOOD.replace("  kind: gmina", "  kind: wioska"), 3, "organisation.kind"),  # bad enum value
        (GOOD.replace("    addresses:", "    adresses:"), 10, "unknown key"),       # typo in a key
        (GOOD.replace("127.0.0.5", "10.1.2.3"), 10, "outside the authorised scope"),
        (GOOD.replace("ports: [443", "ports: [70000"), 11, "65535"),
        (GOOD + "organisation: {name: x, kind: gmina}\n", 12, "duplicate key"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, broken: str, line: int, words: str) -> None:
    path = write(tmp_path, broken)
    with pytest.raises(YamlFileError) as caught:
        load_inventory(path)
    assert caught.value.line == line, str(caught.value)
    assert words in str(caught.value)
    assert str(path) in str(caught.value)


def test_validate_command_exits_2_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("  kind: gmina", "  kind: wioska"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:3" in result.output


def test_unknown_source_type_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "sources:\n  - {type: floppy, name: a}\n")
    with pytest.raises(YamlFileError, match="unknown source type 'floppy'") as caught:
        load_inventory(path)
    assert caught.value.line == 13
