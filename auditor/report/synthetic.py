"""A synthetic, scored ScanRun of any size: for the report benchmark and rendering tests.

Deterministic (seeded) and built from the registry's real check ids, so
requirement mappings, titles and remediation are the ones a real run shows.
``hostile`` puts markup into banners and names to prove it is escaped.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from auditor.baseline import load_baselines
from auditor.model import Finding, PortSpec, ProbeAttempt, AttemptStatus, RunMeta, ScanRun, Severity, Status, Target
from auditor.registry import Registry, default_registry
from auditor.scoring import apply_baselines
from auditor.baseline import Baseline

HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
_STATUSES = (Status.PASS,) * 5 + (Status.FAIL, Status.FAIL, Status.WARN, Status.ERROR, Status.NOT_APPLICABLE)


def synthetic_run(findings: int = 100, targets: int = 10, *, seed: int = 7, hostile: bool = False,
                  registry: Registry | None = None) -> ScanRun:
    registry = registry or default_registry()
    rng = random.Random(seed)
    check_ids = sorted(registry.checks)
    started = datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc)
    target_list = tuple(
        Target(id=f"host:srv{i}.gmina.test", kind="host", name=f"srv{i}.gmina.test",
               addresses=(f"127.0.{i // 250}.{i % 250 + 1}",), ports=(PortSpec(443, service="https"),))
        for i in range(targets)
    )
    out: list[Finding] = []
    for n in range(findings):
        target = target_list[n % targets]
        check_id = check_ids[n % len(check_ids)]
        status = rng.choice(_STATUSES)
        banner = HOSTILE if hostile and n % 7 == 0 else f"nginx/1.{n % 27}.{n % 5}"
        out.append(Finding(
            check_id=check_id, target_id=target.id, status=status,
            severity=rng.choice(list(Severity)),
            message={"pl": f"Port {1000 + n}/tcp na {target.addresses[0]}: {banner}",
                     "en": f"Port {1000 + n}/tcp on {target.addresses[0]}: {banner}"},
            facts={"port": 1000 + n, "address": target.addresses[0], "banner": banner,
                   "detected": {"product": "nginx", "version": f"1.{n % 27}"}},
            subject=f"{1000 + n}/tcp",
        ))
    attempts = tuple(ProbeAttempt(probe="network", target_id=t.id, status=AttemptStatus.COMPLETED, evidence={},
                                  started=started) for t in target_list)
    run = ScanRun(
        meta=RunMeta(run_id="00000000-synthetic", tool_version="bench", started=started,
                     finished=started + timedelta(minutes=42), operator="bench", hostname="bench"),
        organisation={"name": HOSTILE if hostile else "Gmina Syntetyczna", "kind": "gmina",
                      "entity_class": "important"},
        targets=target_list, attempts=attempts, findings=tuple(out),
    )
    baselines = [lb.baseline for lb in load_baselines(registry=registry).values()]
    return apply_baselines(run, baselines)


def mapped_check_ids(baselines: list[Baseline]) -> tuple[str, ...]:
    """Checks that feed at least one requirement, so a failure moves a score."""
    return tuple(sorted({ref.id for b in baselines for r in b.requirements for ref in r.checks}))


def synthetic_office_run(name: str, teryt: str, failing: dict[str, Severity], baselines: list[Baseline], *,
                         hosts: int = 2, day: int = 0, interrupted: bool = False) -> ScanRun:
    """A scored office run for fleet roll-ups: ``failing`` checks fail on every host, every other mapped check passes."""
    targets = tuple(Target(id=f"host:srv{i}.{teryt}.gmina.test", kind="host", name=f"srv{i}.{teryt}.gmina.test",
                           addresses=(f"127.127.{int(teryt) % 250}.{i + 1}",)) for i in range(hosts))
    findings = [
        Finding(check_id, target.id, Status.FAIL, failing[check_id], {"pl": "niezgodne", "en": "failing"})
        if check_id in failing else Finding(check_id, target.id, Status.PASS, Severity.INFO, {"pl": "ok", "en": "ok"})
        for check_id in mapped_check_ids(baselines) for target in targets
    ]
    started = datetime(2026, 11, 2, 7, 0, tzinfo=timezone.utc) + timedelta(days=day)
    run = ScanRun(
        meta=RunMeta(run_id=f"{teryt}-{day:04d}-0000-0000-000000000000", tool_version="synthetic", started=started,
                     finished=started + timedelta(minutes=20), operator="synthetic", hostname="synthetic",
                     interrupted=interrupted),
        organisation={"name": name, "kind": "gmina", "teryt": teryt, "entity_class": "important"},
        targets=targets,
        attempts=tuple(ProbeAttempt(probe="network", target_id=t.id, status=AttemptStatus.COMPLETED, evidence={},
                                    started=started) for t in targets),
        findings=tuple(findings),
    )
    return apply_baselines(run, baselines)
