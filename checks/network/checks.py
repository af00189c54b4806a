"""Judging open ports: risky services and services nobody declared."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from auditor.checks.network.family import FAMILY
from auditor.checks.network.risky import classify
from auditor.model import Evidence, Target
from auditor.plugin import JudgeContext, Verdict, failed, passed, warned


def open_ports(evidence: Evidence) -> Iterator[tuple[str, dict[str, Any]]]:
    for address, host in evidence.get("hosts", {}).items():
        for port in host.get("ports", []):
            if port.get("state") == "open":
                yield address, port


def _describe(port: dict[str, Any]) -> str:
    parts = [port.get("service") or "unknown", port.get("product", ""), port.get("version", "")]
    return " ".join(p for p in parts if p)


@FAMILY.check("network.risky_service")
def risky_service(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    found = False
    for address, port in open_ports(evidence):
        service = classify(port["port"], port.get("service"))
        if service is None:
            continue
        found = True
        yield failed(
            subject=f"{address}:{port['port']}/tcp",
            severity=service.severity,
            address=address,
            port=port["port"],
            service=service.key,
            detected=_describe(port),
            why_pl=service.why_pl,
            why_en=service.why_en,
        )
    if not found:
        yield passed(ports_scanned=len(evidence.get("ports_scanned", [])))


@FAMILY.check("network.undeclared_port")
def undeclared_port(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    declared = set(evidence.get("declared_ports", []))
    undeclared = [(address, port) for address, port in open_ports(evidence) if port["port"] not in declared]
    for address, port in undeclared:
        yield warned(
            subject=f"{address}:{port['port']}/tcp",
            address=address,
            port=port["port"],
            detected=_describe(port),
        )
    if not undeclared:
        # only what was scanned can be vouched for: the declared ports plus the risky and extra lists, not all 65535
        scanned = evidence.get("ports_scanned") or sorted(declared)
        yield passed(declared=sorted(declared) or ["-"], scanned=len(scanned),
                     others=len(set(scanned) - declared))
