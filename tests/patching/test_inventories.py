"""Inventory parsers on the documented examples and on this machine's own dpkg database."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.checks.patching.inventories import (
    os_from_packages, parse_apt_upgradable, parse_dpkg_query, parse_dpkg_status, parse_rpm_qa, parse_windows_date,
    parse_windows_hotfix, parse_windows_os, parse_windows_programs,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "packages"


def _example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def test_dpkg_query_example_skips_removed_packages_and_finds_debian_11() -> None:
    packages = parse_dpkg_query(_example("debian11-dpkg-query.txt"))
    names = {p["name"]: p for p in packages}
    assert "vim-tiny" not in names  # status rc: removed, config files left
    assert names["libssl1.1"] == {"name": "libssl1.1", "version": "1.1.1n-0+deb11u3", "arch": "amd64", "source": "openssl"}
    assert os_from_packages(packages) == {"name": "debian", "version": "11", "evidence": "base-files 11.1+deb11u5"}


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not a dpkg system")
def test_real_dpkg_query_and_status_agree() -> None:
    listing = subprocess.run(["dpkg-query", "-W", "-f=${binary:Package}\\t${Version}\\t${source:Package}\\t${db:Status-Abbrev}\\n"],
                             capture_output=True, text=True, check=True).stdout
    from_query = {(p["name"], p["version"]) for p in parse_dpkg_query(listing)}
    from_status = {(p["name"], p["version"]) for p in parse_dpkg_status(Path("/var/lib/dpkg/status").read_text())}
    assert len(from_query) > 50
    assert from_query == from_status
    assert os_from_packages(parse_dpkg_query(listing)) is not None


def test_apt_upgradable_marks_security_suites() -> None:
    updates = parse_apt_upgradable(_example("debian11-upgradable.txt"))
    assert [(u["name"], u["security"]) for u in updates] == [
        ("apache2-bin", True), ("apache2", True), ("base-files", False), ("policykit-1", True)]
    assert updates[0]["current"] == "2.4.48-3.1+deb11u1"
    with pytest.raises(ValueError, match="line 1"):
        parse_apt_upgradable("this is not apt output")


def test_rpm_qa_both_shapes() -> None:
    packages = parse_rpm_qa(_example("rocky8-rpm-qa.txt"))
    assert {"name": "sudo", "version": "1.8.29-8.el8", "arch": "x86_64"} in packages
    assert not any(p["name"].startswith("gpg-pubkey") for p in packages)
    assert os_from_packages(packages)["name"] == "rocky"  # type: ignore[index]
    tabbed = parse_rpm_qa("sudo\t0:1.8.23-10.el7_9.1\tx86_64\nopenssl-libs\t1:1.0.2k-26.el7_9\tx86_64\n")
    assert tabbed[0]["version"] == "1.8.23-10.el7_9.1" and tabbed[1]["version"] == "1:1.0.2k-26.el7_9"


def test_windows_exports() -> None:
    hotfixes = parse_windows_hotfix(_example("windows-hotfix.csv"))
    assert hotfixes[-1] == {"id": "KB5030329", "description": "Update", "installed_on": "2023-10-10"}
    assert parse_windows_os(_example("windows-os.csv"))["caption"] == "Microsoft Windows Server 2012 R2 Standard"
    assert {"name": "PHP 7.4.33", "version": "7.4.33", "publisher": "The PHP Group"} in parse_windows_programs(
        _example("windows-programs.csv"))
    assert str(parse_windows_date("14.03.2024 00:00:00")) == "2024-03-14"
    assert str(parse_windows_date("3/14/2024 12:00:00 AM")) == "2024-03-14"
    with pytest.raises(ValueError, match="HotFixID"):
        parse_windows_hotfix('"Name","Value"\n"a","b"\n')
