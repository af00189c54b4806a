"""The installed ``auditor`` speaks Polish under a Polish locale and English under ``LANG=C``.

Runs the real console script in a subprocess with only the locale variables
changed (``AUDITOR_LANG``, which the suite sets, is removed).  This machine
need not have the ``pl_PL`` libc locale generated: gettext's choice reads the
variables only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
AUDITOR = Path(sys.executable).with_name("auditor")
FIXTURE_RUN = Path(__file__).resolve().parents[1] / "report" / "fixtures" / "gmina-zalesie-1.0.json"
POLISH = {"LANG": "pl_PL.UTF-8"}
ENGLISH = {"LANG": "C"}


def run(args: list[str], locale: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("AUDITOR_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([str(AUDITOR), *args], env={**env, **locale}, cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_help_in_the_locale_language(tmp_path: Path) -> None:
    pl = run(["scan", "--help"], POLISH, tmp_path)
    en = run(["scan", "--help"], ENGLISH, tmp_path)
    assert pl.returncode == en.returncode == 0
    assert pl.stdout.startswith("Użycie: auditor scan [OPCJE] INVENTORIES...")
    assert "Zeskanuj urząd (urzędy) opisane w INVENTORIES" in pl.stdout and "Pokaż tę pomoc i zakończ." in pl.stdout
    assert "domyślnie: high" in pl.stdout and "Opcje:" in pl.stdout
    assert en.stdout.startswith("Usage: auditor scan [OPTIONS] INVENTORIES...")
    assert "Scan the office(s) described by INVENTORIES" in en.stdout and "Show this message and exit." in en.stdout
    assert "Zeskanuj" not in en.stdout and "Scan the office" not in pl.stdout
    # --lang (any case) wins over the locale, also for click's own words
    assert run(["scan", "--lang", "EN", "--help"], POLISH, tmp_path).stdout.startswith("Usage: auditor scan")
    assert run(["--help", "--lang=PL"], ENGLISH, tmp_path).returncode == 2  # the group has no --lang ...
    assert run(["validate", "--lang=PL", "--help"], ENGLISH, tmp_path).stdout.startswith("Użycie:")  # ... commands do


def test_an_input_error_names_file_and_line_in_the_locale_language(tmp_path: Path) -> None:
    inventory = tmp_path / "urzad.yaml"
    inventory.write_text("organisation: {name: Gmina, kind: gmina, teryt: '0201011', entity_class: important}\n"
                         "scope: {cidrs: [127.0.0.0/8]}\n"
                         "hosts:\n"
                         "  - name: www\n"
                         "    adresses: [127.0.0.1]\n", encoding="utf-8")
    pl = run(["validate", str(inventory)], POLISH, tmp_path)
    en = run(["validate", str(inventory)], ENGLISH, tmp_path)
    assert pl.returncode == en.returncode == 2
    assert pl.stderr.startswith("błąd: ") and "nieprawidłowa zawartość" in pl.stderr
    assert f"{inventory}:5: hosts[0].adresses: nieznany klucz (sprawdź pisownię)" in pl.stderr
    assert en.stderr.startswith("error: ") and "invalid content" in en.stderr
    assert f"{inventory}:5: hosts[0].adresses: unknown key (check spelling)" in en.stderr
    # click's own usage errors too
    bad = run(["scan", str(inventory), "--fail-on", "wysoka"], POLISH, tmp_path)
    assert bad.returncode == 2 and "Błąd: Nieprawidłowa wartość '--fail-on'" in bad.stderr


def test_the_threshold_line_and_the_summary_in_the_locale_language(tmp_path: Path) -> None:
    inventory = tmp_path / "urzad.yaml"
    inventory.write_text("organisation: {name: Gmina Testowa, kind: gmina, teryt: '0201011', entity_class: important}\n"
                         "scope: {cidrs: [127.0.0.0/8]}\n", encoding="utf-8")
    args = ["scan", str(inventory), "--local", "--only", "config", "--fail-on", "none", "--fail-under", "100"]
    pl = run(args, POLISH, tmp_path)
    en = run(args, ENGLISH, tmp_path)
    assert pl.returncode == en.returncode == 1, pl.stderr + en.stderr
    pl_lines = [line for line in pl.stderr.splitlines() if line.startswith("próg: ")]
    en_lines = [line for line in en.stderr.splitlines() if line.startswith("threshold: ")]
    assert pl_lines and len(pl_lines) == len(en_lines)
    assert all(line.startswith("próg: wynik ") and " < 100" in line for line in pl_lines)
    assert all(line.startswith("threshold: score ") and " < 100" in line for line in en_lines)
    assert "Wyniki (z pokryciem wymagań dowodami):" in pl.stdout and "dane baseline:kri" in pl.stdout
    assert "Scores (with coverage of requirements by evidence):" in en.stdout and "Wyniki" not in en.stdout


def test_the_report_summary_follows_the_locale(tmp_path: Path) -> None:
    pl = run(["report", str(FIXTURE_RUN), "--format", "text", "-o", "-"], POLISH, tmp_path)
    en = run(["report", str(FIXTURE_RUN), "--format", "text", "-o", "-"], ENGLISH, tmp_path)
    assert pl.returncode == en.returncode == 0
    assert "Najpierw napraw:" in pl.stdout and "termin 20" in pl.stdout and "Fix first" not in pl.stdout
    assert "Fix first:" in en.stdout and "deadline 20" in en.stdout and "Najpierw" not in en.stdout
