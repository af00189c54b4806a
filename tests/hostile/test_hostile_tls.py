"""The real TLS probe (sslyze) and network probe (nmap) against hostile ports, through the CLI.

One scan covers every case: each hostile port sits on its own host so the
engine's per-attempt duration is that case's time; the garbage port shares
its host with a good HTTPS endpoint, and a second good host is scanned in
the same run, to show the rest of the scan is unaffected.
"""

from __future__ import annotations

import re
import ssl
from typing import Iterator

import pytest
import trustme

import hostile_servers as hs
from auditor.demo.services import free_port, http_service
from auditor.model import ErrorReason
from hostile_cli import CliRun, scan, write_inventory

NO_TLS = r"could not find a TLS version|no TLS connection could be made"  # sslyze's words; garbage is random
CASES = [  # host, handler, address, what the error says (regex)
    ("smieci", hs.garbage, "127.0.27.11", NO_TLS),
    ("smola", hs.tarpit, "127.0.27.12", r"sent nothing within 2 s of a TLS ClientHello"),
    ("urwany", hs.close_mid_handshake, "127.0.27.13", NO_TLS),
]
GOOD_ADDRESS = "127.0.27.14"


@pytest.fixture(scope="module")
def tls_run(hostile, tmp_path_factory) -> Iterator[tuple[CliRun, dict[str, int]]]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("dobry.wrogowo.test", "smieci.wrogowo.test").configure_cert(context)
    ports = {name: hostile(f"tls {name}", handler, address).port for name, handler, address, _ in CASES}
    good_same = http_service("tls-good-same", "127.0.27.11", free_port("127.0.27.11"), ssl_context=context)
    good_other = http_service("tls-good-other", GOOD_ADDRESS, free_port(GOOD_ADDRESS), ssl_context=context)
    ports["smieci-good"], ports["dobry"] = good_same.port, good_other.port
    hosts = [{"name": f"{name}.wrogowo.test", "addresses": [address],
              "ports": [{"port": ports[name], "service": "https", "tls": "implicit"}]}
             for name, _, address, _ in CASES]
    hosts[0]["ports"].append({"port": good_same.port, "service": "https", "tls": "implicit"})
    hosts.append({"name": "dobry.wrogowo.test", "addresses": [GOOD_ADDRESS],
                  "ports": [{"port": good_other.port, "service": "https", "tls": "implicit"}]})
    inventory = write_inventory(tmp_path_factory.mktemp("tls") / "inventory.yaml", ["127.0.27.0/24"],
                                timeout=10, hosts=hosts)
    yield scan(inventory, "tls", "network"), ports
    good_same.stop()
    good_other.stop()


@pytest.mark.parametrize(("host", "address", "expected"), [(name, address, said) for name, _, address, said in CASES])
def test_tls_probe_gives_a_clear_error_for_the_hostile_port(tls_run, record_case, host, address, expected) -> None:
    result, ports = tls_run
    target = f"host:{host}.wrogowo.test"
    subject = f"{address}:{ports[host]}"
    with record_case(f"TLS {host} ({hs_name(host)})") as outcome:
        errors = [f for f in result.findings("tls.", target) if f.subject in (subject, "")]
        outcome.append(f"{len(errors)} tls findings {'/'.join(sorted({f.status.value for f in errors}))}")
        outcome.seconds = result.duration("tls", target)
    assert errors and {f.status.value for f in errors} == {"error"}
    message = errors[0].message["en"]
    assert subject in message and re.search(expected, message), message
    attempt = next(a for a in result.run.attempts if a.probe == "tls" and a.target_id == target)
    assert attempt.error_reason is not ErrorReason.TIMEOUT  # the probe ended it, not the engine's deadline


def hs_name(host: str) -> str:
    return next(handler.__name__ for name, handler, _, _ in CASES if name == host)


def test_other_endpoints_and_hosts_are_judged_normally(tls_run, record_case) -> None:
    result, ports = tls_run
    with record_case("TLS good endpoints beside the hostile ones") as outcome:
        same = result.statuses("tls.protocol", "host:smieci.wrogowo.test", f"127.0.27.11:{ports['smieci-good']}")
        other = result.statuses("tls.protocol", "host:dobry.wrogowo.test", f"{GOOD_ADDRESS}:{ports['dobry']}")
        outcome.append(f"same host {'/'.join(sorted(same))}; other host {'/'.join(sorted(other))}")
        outcome.seconds = result.duration("tls", "host:dobry.wrogowo.test")
    assert "error" not in same and "pass" in same
    assert "error" not in other and "pass" in other


@pytest.mark.parametrize(("host", "address"), [("smieci", "127.0.27.11"), ("smola", "127.0.27.12")])
def test_network_probe_finishes_within_its_host_timeout(tls_run, record_case, host, address) -> None:
    result, tls_ports = tls_run
    target = f"host:{host}.wrogowo.test"
    with record_case(f"nmap against {hs_name(host)} port") as outcome:
        attempt = next(a for a in result.run.attempts if a.probe == "network" and a.target_id == target)
        statuses = result.statuses("network.", target)
        outcome.seconds = attempt.duration_s
        outcome.append(f"{attempt.status.value}; findings {'/'.join(sorted(statuses))}")
    assert attempt.completed  # nmap's --host-timeout kept inside the budget, and the port states survived it
    ports = attempt.evidence["hosts"][address]["ports"]
    assert {(p["port"], p["state"]) for p in ports} >= {(tls_ports[host], "open")}
    assert "error" not in statuses
