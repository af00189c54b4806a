"""The cms family against WordPress-like sites served by a real nginx on loopback.

The sites carry what a real WordPress publishes: asset paths naming the
plugins in the home page, each plugin's readme.txt, and the installer page
(fresh, or "already installed").  A third site is no CMS at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.demo.nginx import RunningNginx, StaticSite
from auditor.demo.services import free_port
from auditor.inventory import load_inventory
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

pytestmark = pytest.mark.probe
BIP, OK, PLAIN = "127.127.30.1", "127.127.30.2", "127.127.30.3"

README = """=== {name} ===
Contributors: takayukister
Tags: contact, form, contact form, feedback, email
Requires at least: 5.5
Tested up to: 5.6
Stable tag: {version}
License: GPLv2 or later

Just another contact form plugin. Simple but flexible.
"""
HOME = """<!DOCTYPE html><html lang="pl-PL"><head>
<meta name="generator" content="WordPress 5.6" />
<link rel='stylesheet' href='http://{host}/wp-content/plugins/contact-form-7/includes/css/styles.css?ver={cf7}' />
<link rel='stylesheet' href='http://{host}/wp-content/plugins/akismet/_inc/form.css?ver=4.1.9' />
<script src='http://{host}/wp-content/plugins/cookie-notice/js/front.min.js?ver=2.0.3'></script>
<script src='http://{host}/wp-includes/js/jquery/jquery.min.js?ver={jquery}'></script>
<script src='/wp-content/themes/bip/js/bootstrap-{bootstrap}.min.js'></script>
</head><body><h1>Biuletyn Informacji Publicznej Gminy Wólka</h1></body></html>"""
FRESH_INSTALL = """<!DOCTYPE html><html><head><title>WordPress &rsaquo; Installation</title></head><body class="wp-core-ui">
<form id="setup" method="post" action="install.php?step=2" novalidate="novalidate"><h1>Welcome</h1></form></body></html>"""
ALREADY = """<!DOCTYPE html><html><head><title>WordPress &rsaquo; Installation</title></head><body>
<h1>Already Installed</h1><p>You appear to have already installed WordPress.</p></body></html>"""


def wordpress_tree(root: Path, host: str, cf7: str, installer: str, jquery: str, bootstrap: str) -> None:
    (root / "wp-admin").mkdir(parents=True)
    (root / "index.html").write_text(HOME.format(host=host, cf7=cf7, jquery=jquery, bootstrap=bootstrap),
                                     encoding="utf-8")
    (root / "wp-admin" / "install.php").write_text(installer, encoding="utf-8")
    for slug, name, version in (("contact-form-7", "Contact Form 7", cf7), ("akismet", "Akismet Anti-Spam", "4.1.9")):
        (root / "wp-content" / "plugins" / slug).mkdir(parents=True)
        (root / "wp-content" / "plugins" / slug / "readme.txt").write_text(README.format(name=name, version=version))
    # cookie-notice ships no readme here: its version stays unknown


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cms")
    port = free_port(BIP)
    wordpress_tree(folder / "bip", "bip.wolka.test", "5.3.1", FRESH_INSTALL, jquery="1.12.4", bootstrap="3.3.7")
    wordpress_tree(folder / "ok", "www.wolka.test", "5.9.8", ALREADY, jquery="3.7.1", bootstrap="4.6.2")
    (folder / "plain").mkdir()
    (folder / "plain" / "index.html").write_text("<html><body>Urząd Gminy</body></html>")
    nginx = RunningNginx(folder / "nginx", [StaticSite(BIP, port, folder / "bip"), StaticSite(OK, port, folder / "ok"),
                                           StaticSite(PLAIN, port, folder / "plain")])
    inventory = folder / "gmina.yaml"
    import yaml

    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Wólka", "kind": "gmina"},
        "scope": {"cidrs": ["127.127.30.0/24"], "domains": ["wolka.test"]},
        "settings": {"timeout": 60},
        "hosts": [{"name": name, "addresses": [address], "roles": ["bip"], "ports": [{"port": port, "service": "http"}]}
                  for name, address in (("bip.wolka.test", BIP), ("www.wolka.test", OK), ("urzad.wolka.test", PLAIN))],
    }, allow_unicode=True))
    try:
        run = run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"cms"}))
    finally:
        nginx.stop()
    return run


def verdicts(run, check_id: str, host: str) -> list:
    return [f for f in run.findings if f.check_id == check_id and f.target_id == f"host:{host}"]


def test_a_vulnerable_plugin_version_is_a_critical_finding_naming_the_cve_and_the_fix(scanned) -> None:
    found = verdicts(scanned, "cms.component.vulnerable", "bip.wolka.test")
    failing = [f for f in found if f.status.value == "fail"]
    assert [f.facts["cve"] for f in failing] == ["CVE-2020-35489", "CVE-2023-6449"]
    assert failing[0].severity.value == "critical" and failing[0].facts["fixed"] == "5.3.2"
    assert "readme.txt" in failing[0].facts["evidence"] and failing[0].facts["version"] == "5.3.1"


def test_an_exposed_installer_is_critical_and_an_installed_one_is_not(scanned) -> None:
    exposed = verdicts(scanned, "cms.installer.exposed", "bip.wolka.test")
    assert [(f.status.value, f.severity.value) for f in exposed] == [("fail", "critical")]
    assert exposed[0].subject.endswith("/wp-admin/install.php")
    assert [f.status.value for f in verdicts(scanned, "cms.installer.exposed", "www.wolka.test")] == ["pass"]


def test_a_current_plugin_is_not_passed_when_another_hides_its_version(scanned) -> None:
    found = verdicts(scanned, "cms.component.vulnerable", "www.wolka.test")
    assert [f.status.value for f in found] == ["manual"]
    assert "cookie-notice" in found[0].facts["slugs"]


def test_a_site_without_a_cms_is_not_applicable(scanned) -> None:
    assert {f.status.value for f in verdicts(scanned, "cms.component.vulnerable", "urzad.wolka.test")} == {"not_applicable"}


def test_javascript_libraries_are_judged_from_the_script_urls(scanned) -> None:
    old = verdicts(scanned, "cms.js_library.vulnerable", "bip.wolka.test")
    assert sorted((f.facts["library"], f.facts["version"], f.facts["cve"]) for f in old) == [
        ("bootstrap", "3.3.7", "CVE-2019-8331"), ("jquery", "1.12.4", "CVE-2019-11358"),
        ("jquery", "1.12.4", "CVE-2020-11022"), ("jquery", "1.12.4", "CVE-2020-11023")]
    current = verdicts(scanned, "cms.js_library.vulnerable", "www.wolka.test")
    assert [f.status.value for f in current] == ["pass"] and "jquery 3.7.1" in current[0].facts["libraries"]
