"""``auditor data refresh`` against a local HTTP server serving fixture JSON; scans then use the cache."""

from __future__ import annotations

import shutil
from pathlib import Path
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

import pytest
from click.testing import CliRunner

from auditor.checks.patching.knowledge import knowledge_for
from auditor.cli import main
from auditor.demo.services import RunningService, free_port, http_service
from auditor.model import Status, Target, scan_run_from_json
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

FIXTURES = Path(__file__).parent / "fixtures" / "refresh"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def public_sources() -> Iterator[str]:
    routes = {
        "/eol/apache-http-server.json": (200, JSON, (FIXTURES / "apache-http-server.json").read_bytes()),
        "/eol/php.json": (200, {"Content-Type": "text/html"}, b"<html>maintenance</html>"),
        "/kev.json": (200, JSON, (FIXTURES / "kev.json").read_bytes()),
        "/debian/tracker/data/json": (200, JSON, (FIXTURES / "debian-tracker.json").read_bytes()),
        "/osv/DEBIAN-CVE-2024-6387": (200, JSON, (FIXTURES / "DEBIAN-CVE-2024-6387.json").read_bytes()),
        "/osv/UBUNTU-CVE-2024-6387": (200, JSON, (FIXTURES / "UBUNTU-CVE-2024-6387.json").read_bytes()),
    }
    # Anything else answers as OSV does for an id it does not have.
    missing = (404, JSON, b'{"code":5,"message":"Bug not found."}')
    server: RunningService = http_service("sources", "127.0.0.1", free_port(), routes=routes, not_found=missing)
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


def _refresh(base: str, directory: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [
        "data", "refresh", "--dir", str(directory), "--endoflife-url", f"{base}/eol",
        "--kev-url", f"{base}/kev.json", "--osv-url", f"{base}/osv",
        "--debian-tracker-url", f"{base}/debian/tracker/data/json", "--timeout", "5"])
    return result.exit_code, result.output


def test_refresh_caches_sources_and_scans_use_them(public_sources: str, tmp_path: Path) -> None:
    code, output = _refresh(public_sources, tmp_path)
    assert code == 0, output
    assert (tmp_path / "endoflife" / "apache-http-server.json").is_file()
    assert (tmp_path / "kev.json").is_file() and (tmp_path / "osv" / "DEBIAN-CVE-2024-6387.json").is_file()
    assert not (tmp_path / "endoflife" / "php.json").exists()  # the server answered garbage: not cached
    assert "nie powiodło się:" in output and "CISA KEV 2026.08.07" in output
    assert "Debian tracker: 2 CVE" in output
    assert "OSV: rekordów 2" in output and "DEBIAN-CVE-2021-4034" not in output  # a 404 is "no record", not a failure

    knowledge = knowledge_for({"patching_data_dir": str(tmp_path)})
    assert knowledge.versions["patching.kev"].startswith("CISA KEV 2026.08.07 (cache")
    assert knowledge.versions["patching.debian"].startswith("Debian security tracker ")
    assert "(cache, 1 products)" in knowledge.versions["patching.eol"]
    by_cve = {v.cve: v for v in knowledge.vulns}
    assert by_cve["CVE-2021-3156"].kev and not by_cve["CVE-2021-41773"].kev  # the fixture catalog lists only two
    regresshion = by_cve["CVE-2024-6387"].distros
    assert regresshion["debian"].fixed["13"] == "1:9.7p1-7"  # from the tracker (trixie) and OSV's Debian:13
    assert "11" in regresshion["debian"].not_affected  # the tracker's fixed_version "0"
    assert regresshion["ubuntu"].fixed["24.04"] == "1:9.6p1-3ubuntu13.3"
    assert regresshion["ubuntu"].advisories["24.04"] == "USN-6859-1"  # OSV's "related"


def _debian13(openssh: str) -> dict[str, Any]:
    return {"network": None, "software": None, "packages": {
        "packages": [{"name": "openssh-server", "version": openssh, "source": "openssh"}], "package_manager": "dpkg",
        "os": {"name": "debian", "version": "13"}, "upgradable": None, "hotfixes": None}}


def test_debian_fixed_version_from_the_tracker_decides_pass_and_fail(public_sources: str, tmp_path: Path) -> None:
    target = Target(id="packages:srv", kind="packages", name="srv")
    check = default_registry().checks["patch.known_vuln"]

    def regresshion(version: str, settings: dict[str, Any]) -> Any:
        ctx = JudgeContext(now=datetime(2026, 12, 1, tzinfo=timezone.utc), settings=settings)
        return next(v for v in check.evaluate(_debian13(version), target, ctx) if v.facts.get("cve") == "CVE-2024-6387")

    shipped = {"patching_data_dir": str(tmp_path / "none")}
    assert regresshion("1:9.7p1-6", shipped).status is Status.MANUAL  # no Debian 13 fix in the shipped data
    assert _refresh(public_sources, tmp_path / "cache")[0] == 0
    cache = {"patching_data_dir": str(tmp_path / "cache")}
    unpatched, patched = regresshion("1:9.7p1-6", cache), regresshion("1:9.7p1-7", cache)
    assert unpatched.status is Status.FAIL and unpatched.facts["advisory"] == "CVE-2024-6387"
    assert unpatched.facts["fixed"] == "1:9.7p1-7 (debian 13, CVE-2024-6387)"
    assert patched.status is Status.PASS and patched.message == "fixed"
    message = check.render_message(unpatched)
    assert "CVE-2024-6387" in message["pl"] and "1:9.7p1-7" in message["en"]


def test_without_cache_the_shipped_data_is_used(tmp_path: Path) -> None:
    versions = knowledge_for({"patching_data_dir": str(tmp_path / "empty")}).versions
    assert versions["patching.eol"] == "endoflife.date 2026-08-22 (shipped)"


def test_refresh_with_nothing_reachable_exits_3(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    code, output = _refresh(dead, tmp_path)
    assert code == 3 and "nie powiodło się:" in output


def test_scan_offline_reports_the_data_date_and_uses_a_refreshed_cache(
        public_sources: str, tmp_path: Path, write_inventory: Callable[..., Path]) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "packages"
    shutil.copyfile(examples / "debian11-dpkg-query.txt", tmp_path / "dpkg.txt")
    sources = [{"type": "packages", "name": "srv", "files": [{"path": "dpkg.txt", "format": "dpkg-query"}]}]
    shipped = CliRunner().invoke(main, ["scan", str(write_inventory(sources=sources)), "--only", "patching",
                                        "--offline", "--lang", "en", "-o", str(tmp_path / "shipped.json")])
    assert shipped.exit_code == 1, shipped.output  # PwnKit below Debian's fixed version: critical
    assert "data patching.eol: endoflife.date 2026-08-22 (shipped)" in shipped.output

    cache = tmp_path / "cache"
    assert _refresh(public_sources, cache)[0] == 0
    settings = {"timeout": 30, "patching_data_dir": str(cache)}
    refreshed = CliRunner().invoke(main, ["scan", str(write_inventory(sources=sources, settings=settings)),
                                          "--only", "patching", "--offline", "-o", str(tmp_path / "cache.json")])
    run = scan_run_from_json((tmp_path / "cache.json").read_text(encoding="utf-8"))
    assert "(cache" in run.meta.data_versions["patching.kev"], refreshed.output
