"""Target-supplied text carrying markup and terminal escapes, through the real probes, CLI and report.

A web server whose ``Server`` header, generator tag and page title, and an
SSH service whose banner, carry ``<script>``, an ``onerror`` attribute
breaking out of a quoted attribute, and terminal escape sequences (clear
screen, OSC window title, OSC 52 clipboard).  The scan's terminal table must
hold no escape byte; the HTML report, opened in headless Chromium, must show
the text but hold no injected element, and no payload script may have run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from auditor.demo.services import banner_service, free_port, http_service
from hostile_cli import CliRun, auditor, scan, write_inventory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ADDRESS = "127.0.29.10"
SCRIPT = "<script>document.title='PWNED';document.documentElement.setAttribute('data-pwned','script')</script>"
BREAKOUT = "\"><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
ESCAPES = "\x1b[2J\x1b]0;PWNED-TITLE\x07\x1b]52;c;cHduZWQ=\x07"
PAYLOAD = f"{SCRIPT}{BREAKOUT}{ESCAPES}"


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> Iterator[tuple[CliRun, Path]]:
    page = f"<html><head><title>BIP {PAYLOAD}</title><meta name=\"generator\" content=\"WordPress 4.1 {BREAKOUT}\">" \
           f"</head><body>{SCRIPT}</body></html>"
    web = http_service("injecting-web", ADDRESS, free_port(ADDRESS), body=page.encode(),
                       headers={"Server": f"Apache/2.4.49 {ESCAPES}{SCRIPT}{BREAKOUT}", "X-Powered-By": f"PHP/5.6 {ESCAPES}"})
    ssh = banner_service("injecting-ssh", ADDRESS, free_port(ADDRESS),
                         f"SSH-2.0-OpenSSH_7.4 {PAYLOAD}\r\n".encode())
    folder = tmp_path_factory.mktemp("inject")
    inventory = write_inventory(folder / "inventory.yaml", ["127.0.29.0/24"], hosts=[{
        "name": "bip.wrogowo.test", "addresses": [ADDRESS], "roles": ["www"],
        "ports": [{"port": web.port, "service": "http"}, {"port": ssh.port, "service": "ssh"}]}])
    wide = {**os.environ, "COLUMNS": "1000"}  # no wrapping: the whole message is on one table line
    result = scan(inventory, "web", "patching", extra=("--offline",), env=wide)
    yield result, folder
    web.stop()
    ssh.stop()


def test_the_payload_really_reached_the_evidence(injected, record_case) -> None:
    result, _ = injected
    with record_case("injection: payload collected as evidence") as outcome:
        evidence = str([a.evidence for a in result.run.attempts])
        outcome.append(f"exit {result.returncode}; payload in evidence: {SCRIPT[:8] in evidence}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<script>document.title" in evidence and "onerror" in evidence and "\\x1b" in evidence


def test_terminal_table_holds_no_control_sequence(injected, record_case) -> None:
    result, _ = injected
    with record_case("injection: terminal table (auditor scan)") as outcome:
        shown = [line for line in result.stdout.splitlines() if "Apache/2.4.49" in line]
        outcome.append(f"{len(shown)} table line(s) with the Server header, ESC bytes: {result.stdout.count(chr(27))}")
    assert shown and "<script>document.title" in shown[0]  # the text is shown, as text
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "PWNED-TITLE" not in result.stdout
    assert "\x1b" not in result.stderr  # -vv log lines too


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Makefile APT_PACKAGES installs it)")
def test_html_report_in_chromium_has_no_injected_element(injected, record_case, tmp_path) -> None:
    result, folder = injected
    run_json = folder / "inventory.run.json"
    with record_case("injection: HTML report in headless Chromium") as outcome:
        done = auditor("report", str(run_json), "--format", "html", "--lang", "en", "-o", str(tmp_path / "r.html"),
                       cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        html = (tmp_path / "r.html").read_text(encoding="utf-8")
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", (tmp_path / "r.html").as_uri()],
            capture_output=True, text=True, timeout=120,
        ).stdout
        outcome.append(f"escaped payload shown {html.count('&lt;script&gt;')}x; injected elements "
                       f"{len(re.findall(r'<img[^>]*onerror', dom))}; data-pwned attribute set: {bool(re.search('data-pwned=', dom))}")
    assert "&lt;script&gt;document.title" in html  # the text is in the report, escaped
    assert "<html" in dom and not re.search(r"data-pwned=", dom) and "PWNED" not in _title(dom)
    assert not re.search(r"<img[^>]*onerror", dom) and "\x1b" not in html
    assert len(re.findall(r"<script\b", dom)) == len(re.findall(r"<script\b", html.replace(SCRIPT, "")))


def _title(dom: str) -> str:
    match = re.search(r"<title>(.*?)</title>", dom, re.S)
    return match.group(1) if match else ""
