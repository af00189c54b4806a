"""The real web probe against hostile HTTP servers, through the CLI: bounded time and memory.

One scan: each hostile server is its own ``www`` host, plus a benign site
scanned in the same run.  The process's peak RSS is compared with a scan of
the benign site alone, so "bounded memory" is measured, not assumed.
"""

from __future__ import annotations

from typing import Iterator

import pytest

import hostile_servers as hs
from auditor.demo.services import free_port, http_service
from auditor.model import ErrorReason
from hostile_cli import CliRun, scan, write_inventory

TIMEOUT = 8
CASES = [  # host, handler
    ("bez-konca", hs.endless_body),
    ("sto-mega", hs.huge_body),
    ("petla", hs.redirect_loop),
    ("naglowki", hs.enormous_headers),
    ("kroplowka", hs.slow_drip),
    ("smola", hs.tarpit),
]
BENIGN = "127.0.28.10"


def _inventory(path, hosts):
    return write_inventory(path, ["127.0.28.0/24"], timeout=TIMEOUT, hosts=hosts)


def _host(name: str, address: str, port: int) -> dict:
    return {"name": f"{name}.wrogowo.test", "addresses": [address], "roles": ["www"],
            "ports": [{"port": port, "service": "http"}]}


@pytest.fixture(scope="module")
def web_runs(hostile, tmp_path_factory) -> Iterator[tuple[CliRun, CliRun]]:
    benign = http_service("benign", BENIGN, free_port(BENIGN))
    folder = tmp_path_factory.mktemp("web")
    hosts = [_host(name, f"127.0.28.{11 + i}", hostile(f"web {name}", handler, f"127.0.28.{11 + i}").port)
             for i, (name, handler) in enumerate(CASES)]
    alone = scan(_inventory(folder / "benign.yaml", [_host("dobry", BENIGN, benign.port)]), "web")
    both = scan(_inventory(folder / "hostile.yaml", [*hosts, _host("dobry", BENIGN, benign.port)]), "web")
    yield alone, both
    benign.stop()


@pytest.mark.parametrize(("host", "handler"), CASES, ids=[name for name, _ in CASES])
def test_web_probe_is_bounded_and_says_what_happened(web_runs, record_case, host, handler) -> None:
    _, result = web_runs
    target = f"host:{host}.wrogowo.test"
    attempt = next(a for a in result.run.attempts if a.probe == "web" and a.target_id == target)
    with record_case(f"web probe: {handler.__name__}") as outcome:
        outcome.seconds = attempt.duration_s
        statuses = result.statuses("web.", target)
        outcome.append(f"{attempt.status.value} {attempt.error_reason or ''}".strip())
        outcome.append("findings " + "/".join(sorted(statuses)))
    assert attempt.error_reason is not ErrorReason.TIMEOUT  # the probe's own budget (85 %), not the engine, ended it
    assert statuses, "every web check still gives a finding"
    if not attempt.completed:
        assert statuses == {"error"} and attempt.error


def test_redirect_loop_is_named_in_the_header_checks(web_runs, record_case) -> None:
    _, result = web_runs
    with record_case("web: redirect loop named in findings") as outcome:
        csp = result.findings("web.header.csp", "host:petla.wrogowo.test")[0]
        outcome.append(f"web.header.csp {csp.status.value}: {csp.message['en'][:70]}")
    assert csp.status.value == "not_applicable" and "more than 5 redirects" in csp.message["en"]


def test_benign_site_in_the_same_run_is_unaffected(web_runs, record_case) -> None:
    alone, both = web_runs
    with record_case("web: benign site beside hostile ones") as outcome:
        before = {(f.check_id, f.status.value) for f in alone.findings("web.", "host:dobry.wrogowo.test")}
        after = {(f.check_id, f.status.value) for f in both.findings("web.", "host:dobry.wrogowo.test")}
        outcome.seconds = both.duration("web", "host:dobry.wrogowo.test")
        outcome.append(f"{len(after)} findings, same as alone: {before == after}")
    assert before == after and before


def test_memory_stays_bounded(web_runs, record_case) -> None:
    alone, both = web_runs
    with record_case("web: peak RSS hostile vs benign scan") as outcome:
        outcome.append(f"{both.peak_rss_mb:.0f} MB vs {alone.peak_rss_mb:.0f} MB")
    assert alone.peak_rss_mb > 0 and both.peak_rss_mb - alone.peak_rss_mb < 64  # 100 MB + endless bodies offered
