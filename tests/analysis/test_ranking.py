"""The one ranking rule: severity, then known exploitation and Internet exposure, then targets and requirements."""

from __future__ import annotations

from datetime import datetime, timezone

from auditor.analysis import analyse
from auditor.analysis.ranking import RANKING_RULES, internet_facing
from auditor.baseline import load_baselines
from auditor.model import Finding, RunMeta, ScanRun, Severity, Status, Target
from auditor.scoring import apply_baselines

STARTED = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
BIP = Target("host:bip.gmina.test", "host", "bip.gmina.test", ("127.120.1.10",), roles=("www", "bip"))
FK = Target("host:srv-fk.gmina.local", "host", "srv-fk.gmina.local", ("127.120.1.20",), roles=("file-server",))
PCS = tuple(Target(f"host:pc{i}.gmina.local", "host", f"pc{i}.gmina.local", (f"127.120.1.{30 + i}",))
            for i in range(5))


def _finding(check: str, target: Target, severity: Severity, subject: str = "", **facts) -> Finding:
    return Finding(check, target.id, Status.FAIL, severity, {"pl": f"{check} na {target.name}", "en": check},
                   facts, subject)


def _ranked(findings: list[Finding]) -> list[str]:
    run = ScanRun(meta=RunMeta(run_id="r", tool_version="t", started=STARTED), organisation={"name": "Gmina"},
                  targets=(BIP, FK, *PCS), attempts=(), findings=tuple(findings))
    run = apply_baselines(run, [lb.baseline for lb in load_baselines().values()])
    return [a.check_id for a in analyse(run).actions]


def test_a_kev_critical_outranks_a_medium_undeclared_port_on_many_public_hosts():
    findings = [_finding("network.undeclared_port", t, Severity.MEDIUM, "8080/tcp") for t in (BIP, *PCS)]
    findings.append(_finding("patch.known_exploited", FK, Severity.CRITICAL, "samba 4.13.2", cve="CVE-2021-44142"))
    assert _ranked(findings) == ["patch.known_exploited", "network.undeclared_port"]


def test_within_a_severity_kev_first_then_internet_then_targets():
    findings = [
        _finding("patch.eol", PCS[0], Severity.CRITICAL, "windows 7"),           # internal, 5 targets
        *(_finding("patch.eol", t, Severity.CRITICAL, "windows 7") for t in PCS[1:]),
        _finding("tls.protocol.sslv2", BIP, Severity.CRITICAL, "443/tcp"),       # Internet-facing, 1 target
        _finding("patch.known_exploited", FK, Severity.CRITICAL, "samba"),       # KEV, internal, 1 target
    ]
    assert _ranked(findings) == ["patch.known_exploited", "tls.protocol.sslv2", "patch.eol"]


def test_more_targets_rank_higher_among_equals():
    findings = [_finding("network.risky_service", t, Severity.HIGH, "23/tcp") for t in PCS[:3]]
    findings.append(_finding("patch.pending_updates", PCS[4], Severity.HIGH))
    assert _ranked(findings) == ["network.risky_service", "patch.pending_updates"]


def test_exposure_comes_from_roles_kind_or_a_public_address():
    assert internet_facing(BIP) and not internet_facing(FK)
    assert internet_facing(Target("domain:gmina.test", "domain", "gmina.test"))
    assert internet_facing(Target("host:x", "host", "x", ("193.0.96.129",)))
    assert not internet_facing(Target("host:y", "host", "y", ("10.0.0.5", "not-an-address")))


def test_the_rule_is_written_once_in_both_languages():
    assert RANKING_RULES["pl"].startswith("Kolejność działań") and "CISA KEV" in RANKING_RULES["pl"]
    assert RANKING_RULES["en"].startswith("Ranking of actions") and "[pl]" not in RANKING_RULES["en"]
