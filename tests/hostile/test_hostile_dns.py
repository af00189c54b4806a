"""The real mail_dns probe against a DNS server that misbehaves per domain, through the CLI.

One dnslib server (the demo's zone answerer) with a handler that, by name,
answers garbage with the query's id (malformed), answers nothing at all (a
resolver that never answers), serves a TXT set of 200 × 255-byte strings
(too big for UDP: truncated, so the client must retry over TCP), and an SPF
include loop.  A well-behaved domain is judged in the same run.
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest
from dnslib import QTYPE, RR, TXT, DNSError, DNSRecord
from dnslib.server import DNSHandler, DNSLogger, DNSServer

from auditor.demo.dns import ZoneAnswerer
from auditor.demo.services import free_port
from auditor.model import ErrorReason
from hostile_cli import CliRun, scan, write_inventory

ADDRESS = "127.0.29.53"
TIMEOUT = 8
ZONE = "\n".join([
    'dobra.wrogowo.test. 300 IN TXT "v=spf1 mx -all"',
    'dobra.wrogowo.test. 300 IN MX 10 poczta.dobra.wrogowo.test.',
    'poczta.dobra.wrogowo.test. 300 IN A 127.0.29.25',
    '_dmarc.dobra.wrogowo.test. 300 IN TXT "v=DMARC1; p=reject"',
    'petla.wrogowo.test. 300 IN TXT "v=spf1 include:petla2.wrogowo.test -all"',
    'petla2.wrogowo.test. 300 IN TXT "v=spf1 include:petla.wrogowo.test -all"',
    'ogromny.wrogowo.test. 300 IN TXT "v=spf1 -all"',
])


class HostileHandler(DNSHandler):
    """Garbage for ``zepsuty``, silence for ``cisza``; the zone for everything else."""

    def get_reply(self, data: bytes) -> bytes:
        name = str(DNSRecord.parse(data).q.qname)
        if name.endswith("zepsuty.wrogowo.test."):
            return data[:2] + b"\x81\x80\x00\x01\x00\x05\x00\x00\x00\x00" + os.urandom(40)
        if name.endswith("cisza.wrogowo.test."):
            raise DNSError("tarpit: never answer")
        return super().get_reply(data)


@pytest.fixture(scope="module")
def dns_run(tmp_path_factory) -> Iterator[CliRun]:
    answerer = ZoneAnswerer(ZONE)
    answerer.records.append(RR("ogromny.wrogowo.test", QTYPE.TXT, rdata=TXT([b"x" * 255] * 200), ttl=300))
    port = free_port(ADDRESS)
    logger = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
    servers = [DNSServer(answerer, address=ADDRESS, port=port, tcp=tcp, logger=logger, handler=HostileHandler)
               for tcp in (False, True)]
    for server in servers:
        server.start_thread()
    domains = ["dobra", "petla", "ogromny", "zepsuty", "cisza"]
    inventory = write_inventory(
        tmp_path_factory.mktemp("dns") / "inventory.yaml", ["127.0.29.0/24"], timeout=TIMEOUT,
        domains_scope=["wrogowo.test"], settings={"dns_resolver": f"{ADDRESS}:{port}"},
        domains=[{"name": f"{name}.wrogowo.test"} for name in domains])
    yield scan(inventory, "mail_dns")
    for server in servers:
        server.stop()
        server.server.server_close()


def _case(result: CliRun, record_case, name: str, label: str):
    target = f"domain:{name}.wrogowo.test"
    attempt = next(a for a in result.run.attempts if a.probe == "mail_dns" and a.target_id == target)
    findings = {f.check_id: f for f in result.findings("mail.", target) + result.findings("dns.", target)}
    with record_case(f"mail_dns: {label}") as outcome:
        outcome.seconds = attempt.duration_s
        outcome.append(f"{attempt.status.value} {attempt.error_reason or ''}".strip())
        outcome.append("findings " + "/".join(sorted({f.status.value for f in findings.values()})))
    assert attempt.error_reason is not ErrorReason.TIMEOUT  # bounded by the probe itself, not the engine's deadline
    assert findings
    return attempt, findings


def test_spf_include_loop_is_cut_and_judged(dns_run, record_case) -> None:
    attempt, findings = _case(dns_run, record_case, "petla", "SPF include loop")
    spf = {k: f for k, f in findings.items() if "spf" in k}
    assert attempt.completed and spf
    assert "error" not in {f.status.value for f in spf.values()}
    assert spf["mail.spf.syntax"].status.value == "fail" and "loops back" in spf["mail.spf.syntax"].message["en"]


def test_huge_txt_answer_arrives_over_tcp(dns_run, record_case) -> None:
    attempt, findings = _case(dns_run, record_case, "ogromny", "TXT 200 x 255 B (TCP fallback)")
    assert attempt.completed
    # 51 kB of TXT cannot come over UDP: the SPF record among it was read over TCP
    assert findings["mail.spf.missing"].status.value == "pass" and findings["mail.spf.syntax"].status.value == "pass"


@pytest.mark.parametrize(("name", "label"), [("zepsuty", "malformed answers"), ("cisza", "resolver never answers")])
def test_broken_resolver_gives_error_or_manual_never_fail(dns_run, record_case, name, label) -> None:
    attempt, findings = _case(dns_run, record_case, name, label)
    statuses = {f.status.value for f in findings.values()}
    assert statuses <= {"error", "manual", "not_applicable"}, {k: (f.status.value, f.message["en"]) for k, f in findings.items()}
    if not attempt.completed:
        assert attempt.error and statuses == {"error"}


def test_well_behaved_domain_in_the_same_run(dns_run, record_case) -> None:
    attempt, findings = _case(dns_run, record_case, "dobra", "well-behaved domain beside them")
    assert attempt.completed and "error" not in {f.status.value for f in findings.values()}
