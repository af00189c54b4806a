"""Check logic on recorded evidence: end of life, KEV, backports, pending updates, hotfix age."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from auditor.model import Severity, Status, Target
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

NOW = datetime(2026, 11, 27, tzinfo=timezone.utc)
CTX = JudgeContext(now=NOW)
HOST = Target(id="host:www", kind="host", name="www")
SOURCE = Target(id="packages:srv", kind="packages", name="srv")


def run(check_id: str, evidence: Any, target: Target = HOST, ctx: JudgeContext = CTX) -> list[Any]:
    return list(default_registry().checks[check_id].evaluate(evidence, target, ctx))


def host(server: str | None = None, banners: list[dict[str, Any]] | None = None,
         generators: list[str] | None = None) -> dict[str, Any]:
    http = [{"port": 80, "headers": {"Server": server} if server else {}, "generators": generators or [], "cms": {}}]
    return {"network": None, "packages": None, "software": {"http": http, "banners": banners or []}}


def packages(names: dict[str, str], **extra: Any) -> dict[str, Any]:
    evidence = {"packages": [{"name": n, "version": v} for n, v in names.items()], "package_manager": "dpkg",
                "os": {"name": "debian", "version": "11"}, "upgradable": None, "hotfixes": None}
    evidence.update(extra)
    return {"network": None, "software": None, "packages": evidence}


def test_apache_2_2_is_past_eol_with_date_and_source() -> None:
    [verdict] = run("patch.eol", host("Apache/2.2.15"))
    assert verdict.status is Status.FAIL and verdict.severity is Severity.CRITICAL
    assert verdict.facts["eol"] == "2017-07-11"
    assert verdict.facts["source"] == "https://endoflife.date/apache-http-server"
    message = default_registry().checks["patch.eol"].render_message(verdict)
    assert "2017-07-11" in message["pl"] and "endoflife.date" in message["en"]


def test_centos_banner_is_past_eol_because_every_centos_release_is() -> None:
    [verdict] = run("patch.eol", host("Apache/2.2.15 (CentOS)"))
    assert verdict.status is Status.FAIL and verdict.severity is Severity.CRITICAL
    assert verdict.message == "distro_eol" and verdict.facts["distro"] == "CentOS"
    assert verdict.facts["distro_eol"] == "2024-06-30"  # CentOS 7, the last release to end


def test_ended_debian_release_named_by_the_package_revision_is_past_eol() -> None:
    [verdict] = run("patch.eol", host("Apache/2.2.22 (Debian) PHP/5.4.45-0+deb7u14"))[:1]
    assert verdict.status is Status.FAIL and verdict.facts["distro"] == "Debian 7"


def test_distribution_whose_release_is_unknown_is_for_the_auditor_not_a_warning() -> None:
    [verdict] = run("patch.eol", host("Apache/2.2.22 (Debian)"))
    assert verdict.status is Status.MANUAL and verdict.message == "distro_support"


def test_supported_release_passes_and_soon_ending_one_warns() -> None:
    assert [v.status for v in run("patch.eol", host("Apache/2.4.62"))] == [Status.PASS]
    [soon] = run("patch.eol_soon", host("nginx/1.30.0 PHP/8.2.20"))  # nginx 1.30: no date; PHP 8.2: 2026-12-31
    assert soon.status is Status.WARN and soon.facts["days"] == 34


def test_debian_inventory_with_kev_package_below_fixed_version_is_critical() -> None:
    verdicts = run("patch.known_exploited", packages({"policykit-1": "0.105-31", "base-files": "11.1+deb11u5"}),
                   SOURCE)
    [fail] = [v for v in verdicts if v.status is Status.FAIL]
    assert fail.severity is Severity.CRITICAL and fail.facts["cve"] == "CVE-2021-4034"
    assert fail.facts["fixed"].startswith("0.105-31+deb11u1 (debian 11")


def test_debian_package_at_fixed_version_passes() -> None:
    verdicts = run("patch.known_exploited", packages({"policykit-1": "0.105-31+deb11u1"}), SOURCE)
    assert {v.status for v in verdicts} == {Status.PASS}
    [fixed] = [v for v in verdicts if v.message == "fixed"]
    assert fixed.facts["cve"] == "CVE-2021-4034"


def test_backport_decided_by_distro_fixed_version_from_the_banner() -> None:
    fixed = run("patch.known_vuln", host(banners=[{"port": 22, "service": "ssh",
                                                   "banner": "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"}]))
    assert not any(v.status is Status.FAIL for v in fixed if v.facts.get("cve") == "CVE-2024-6387")
    old = run("patch.known_vuln", host(banners=[{"port": 22, "service": "ssh",
                                                 "banner": "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2"}]))
    [regression] = [v for v in old if v.facts.get("cve") == "CVE-2024-6387"]
    assert regression.status is Status.FAIL and "deb12u3" in regression.facts["fixed"]


def test_backport_without_distribution_data_is_manual_info_never_a_warning() -> None:
    verdicts = run("patch.known_vuln", host(banners=[{"port": 22, "service": "ssh",
                                                      "banner": "SSH-2.0-OpenSSH_7.9p1 Debian-10+deb10u2"}]))
    assert verdicts and not any(v.status in (Status.FAIL, Status.WARN) for v in verdicts)
    agent = next(v for v in verdicts if v.facts.get("cve") == "CVE-2023-38408")  # no Debian 10 data shipped
    assert agent.status is Status.MANUAL and agent.severity is Severity.INFO and "backport" in agent.facts["reason_en"]


def test_debian_11_banner_below_the_tracker_fix_fails_and_debian_12_patched_passes() -> None:
    old = run("patch.known_vuln", host(banners=[{"port": 22, "service": "ssh",
                                                 "banner": "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1"}]))
    [agent] = [v for v in old if v.facts.get("cve") == "CVE-2023-38408"]
    assert agent.status is Status.FAIL and agent.facts["fixed"].startswith("8.4p1-5+deb11u2 (debian 11")
    assert not any(v.facts.get("cve") == "CVE-2024-6387" for v in old)  # Debian 11: not affected by regreSSHion
    patched = run("patch.known_vuln", host(banners=[{"port": 22, "service": "ssh",
                                                     "banner": "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"}]))
    assert {v.status for v in patched} == {Status.PASS}
    assert {v.facts.get("cve") for v in patched if v.message == "fixed"} >= {"CVE-2023-38408", "CVE-2024-6387"}


def test_plain_upstream_banner_in_kev_range_fails() -> None:
    verdicts = run("patch.known_exploited", host("Apache/2.4.49"))
    assert {v.facts["cve"] for v in verdicts if v.status is Status.FAIL} >= {"CVE-2021-41773", "CVE-2021-42013"}


def test_outdated_cms_and_hidden_version() -> None:
    software = host(generators=["WordPress 4.9.8"])["software"]
    [verdict] = run("patch.outdated_cms", software)
    assert verdict.status is Status.FAIL and verdict.facts["latest"] == "4.9.31"
    software["http"][0]["generators"] = ["Joomla! - Open Source Content Management"]
    assert [v.status for v in run("patch.outdated_cms", software)] == [Status.MANUAL]
    software["http"][0]["generators"] = []
    assert [v.status for v in run("patch.outdated_cms", software)] == [Status.NOT_APPLICABLE]


def test_pending_updates_weights_security_higher() -> None:
    security = {"upgradable": [{"name": "sudo", "security": True}, {"name": "vim", "security": False}]}
    [fail] = run("patch.pending_updates", security)
    assert fail.status is Status.FAIL and fail.facts["security_count"] == 1
    [warn] = run("patch.pending_updates", {"upgradable": [{"name": "vim", "security": False}]})
    assert warn.status is Status.WARN
    assert run("patch.pending_updates", {"upgradable": []})[0].status is Status.PASS
    assert run("patch.pending_updates", {"upgradable": None})[0].status is Status.NOT_APPLICABLE


def test_hotfix_age() -> None:
    old = {"hotfixes": [{"id": "KB1", "installed_on": "2026-09-01"}, {"id": "KB2", "installed_on": None}]}
    [fail] = run("patch.no_recent_updates", old)
    assert fail.status is Status.FAIL and fail.facts["age"] == 87
    fresh = {"hotfixes": [{"id": "KB3", "installed_on": "2026-11-12"}]}
    assert run("patch.no_recent_updates", fresh)[0].status is Status.PASS
    assert run("patch.no_recent_updates", {"hotfixes": [{"id": "KB1", "installed_on": None}]})[0].status is Status.MANUAL


def test_windows_os_release_and_paid_extended_support() -> None:
    evidence = packages({}, os={"name": "windows", "caption": "Microsoft Windows 10 Pro", "version": "10.0.19045"},
                        package_manager="windows")
    [verdict] = run("patch.eol", evidence, SOURCE)
    assert verdict.status is Status.WARN and verdict.message == "paid_support"
    assert verdict.facts["eol"] == "2025-10-14" and verdict.facts["paid_until"] == "2028-10-10"


def test_no_version_facts_is_not_applicable_not_a_pass() -> None:
    assert [v.status for v in run("patch.known_exploited", host("nginx"))] == [Status.NOT_APPLICABLE]


def test_exchange_2016_behind_owa_is_past_eol() -> None:
    evidence = {"network": None, "packages": None, "software": {"http": [
        {"port": 443, "headers": {"X-OWA-Version": "15.1.2507.6"}, "generators": [], "cms": {}}], "banners": []}}
    [verdict] = run("patch.eol", evidence)
    assert verdict.facts["name"] == "Microsoft Exchange 2016"
    assert verdict.status is Status.FAIL and verdict.severity is Severity.CRITICAL  # ESU ended 2026-11-01 too


def test_windows_programs_are_judged_by_upstream_rules() -> None:
    programs = [{"name": "PHP 7.4.33", "version": "7.4.33", "publisher": "The PHP Group"},
                {"name": "7-Zip 19.00 (x64)", "version": "19.00", "publisher": "Igor Pavlov"}]
    evidence = packages({}, os={"name": "windows", "caption": "Microsoft Windows Server 2022 Standard",
                                "version": "10.0.20348"}, package_manager="windows", programs=programs)
    eol_verdicts = {v.subject: v for v in run("patch.eol", evidence, SOURCE)}
    assert eol_verdicts["php 7.4.33"].status is Status.FAIL and eol_verdicts["php 7.4.33"].facts["eol"] == "2022-11-28"
    assert eol_verdicts["Microsoft Windows Server 2022 Standard"].status is Status.PASS
    kev = [v for v in run("patch.known_exploited", evidence, SOURCE) if v.status is Status.FAIL]
    assert [v.facts["cve"] for v in kev] == ["CVE-2024-4577"]  # PHP-CGI on Windows: applies, not "undecidable"


def test_windows_only_flaw_on_a_linux_banner_is_not_reported() -> None:
    verdicts = run("patch.known_exploited", host("Apache/2.4.62 (Debian) PHP/8.1.2"))
    assert not any(v.facts.get("cve") == "CVE-2024-4577" for v in verdicts)


def _fpm_cves(server: str, php: str = "PHP/7.3.5") -> dict[str, Any]:
    evidence = {"network": None, "packages": None, "software": {"http": [
        {"port": 443, "headers": {"Server": server, "X-Powered-By": php}, "generators": [], "cms": {}}], "banners": []}}
    return {v.facts["cve"]: v for v in run("patch.known_exploited", evidence) if v.facts.get("cve")}


def test_php_fpm_flaw_does_not_apply_on_windows_and_php_cgi_flaw_only_there() -> None:
    windows = _fpm_cves("Microsoft-IIS/10.0")  # the IIS header tells the host's platform for the PHP next to it
    assert "CVE-2019-11043" not in windows  # PHP-FPM does not exist on Windows
    assert windows["CVE-2024-4577"].status is Status.FAIL
    linux = _fpm_cves("nginx/1.14.2 (Ubuntu)")
    assert linux["CVE-2019-11043"].status is Status.FAIL and "CVE-2024-4577" not in linux


def test_platform_unknown_applies_or_asks_as_each_entry_says() -> None:
    unknown = _fpm_cves("nginx/1.14.2")
    assert unknown["CVE-2019-11043"].status is Status.FAIL  # platform_unknown: applies (FPM behind nginx)
    cgi = unknown["CVE-2024-4577"]
    assert cgi.status is Status.MANUAL and cgi.severity is Severity.INFO and "windows" in cgi.facts["reason_en"]


def test_pass_message_says_what_was_checked() -> None:
    [verdict] = run("patch.known_exploited", host("Apache/2.4.62 (Debian) PHP/8.3.12"))
    assert verdict.status is Status.PASS and verdict.message == "none_applies"
    text = default_registry().checks["patch.known_exploited"].render_message(verdict)["en"]
    assert "apache_httpd 2.4.62" in text and "php 8.3.12" in text and f"against {verdict.facts['entries']} " in text
    assert "0 matches" not in text and verdict.facts["entries"] > 0
    [unknown] = run("patch.known_exploited", host("lighttpd/1.4.59"))
    assert unknown.message == "no_entries" and "does not prove" in default_registry().checks[
        "patch.known_exploited"].render_message(unknown)["en"]


def test_mariadb_behind_the_mysql_handshake_is_mariadb() -> None:
    evidence = {"network": {"hosts": {"127.0.0.1": {"state": "up", "ports": [
        {"port": 3306, "protocol": "tcp", "state": "open", "product": "MySQL",
         "version": "5.5.5-10.11.6-MariaDB-0+deb12u1"}]}}}, "packages": None, "software": None}
    [verdict] = run("patch.eol", evidence)
    assert verdict.subject.startswith("mariadb 10.11.6") and verdict.status is Status.PASS
