"""Precision on held-out banners (``heldout/banners.yaml``), written before the issue-18 tuning.

Each case is what a Polish office server showed from the outside, recorded
in the shape the probes store.  The checks' FAIL verdicts are compared with
the facts the case expects; a FAIL nobody expected is a false alarm, an
expected one missing is a miss.  ``python -m tests.patching.test_heldout``
prints the per-case table quoted in the closing note.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from auditor.model import Status, Target
from auditor.plugin import JudgeContext
from auditor.registry import default_registry

CASES = yaml.safe_load((Path(__file__).parent / "heldout" / "banners.yaml").read_text(encoding="utf-8"))["cases"]
CTX = JudgeContext(now=datetime(2026, 12, 1, tzinfo=timezone.utc))
HOST = Target(id="host:heldout", kind="host", name="heldout")
CHECKS = ("patch.eol", "patch.known_exploited", "patch.known_vuln")
#: Below 1.0 on purpose: three FAILs beyond the expectations written before tuning are true (ProFTPD 1.3.5 is
#: in CVE-2019-12815's range, Exim 4.92 in CVE-2020-28017's and CVE-2023-42115's) but the cases stay as written.
PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.9


def evidence(case: dict[str, Any]) -> dict[str, Any]:
    ports = [{"protocol": "tcp", "state": "open", **p} for p in case.get("ports", [])]
    network = {"hosts": {"127.0.0.1": {"state": "up", "ports": ports}}} if ports else None
    http = [{"port": h["port"], "headers": h["headers"], "generators": [], "cms": {}} for h in case.get("http", [])]
    return {"network": network, "packages": None, "software": {"http": http, "banners": []} if http else None}


def failures(case: dict[str, Any]) -> set[str]:
    found = set()
    for check_id in CHECKS:
        for verdict in default_registry().checks[check_id].evaluate(evidence(case), HOST, CTX):
            if verdict.status is Status.FAIL:
                what = verdict.facts.get("cve") or (verdict.subject or "").split()[0]
                found.add(f"{check_id} {what}")
    return found


def score() -> tuple[int, int, int, list[tuple[str, set[str], set[str]]]]:
    tp = fp = fn = 0
    rows = []
    for case in CASES:
        expected, got = set(case["expect"]), failures(case)
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
        rows.append((case["name"], got - expected, expected - got))
    return tp, fp, fn, rows


def test_heldout_precision_and_recall() -> None:
    tp, fp, fn, rows = score()
    wrong = [(name, extra, missed) for name, extra, missed in rows if extra or missed]
    assert tp / max(1, tp + fp) >= PRECISION_FLOOR, wrong
    assert tp / max(1, tp + fn) >= RECALL_FLOOR, wrong


if __name__ == "__main__":
    tp, fp, fn, rows = score()
    for name, extra, missed in rows:
        print(f"{'ok ' if not extra and not missed else 'BAD'} {name}" + (f"  false alarms: {sorted(extra)}" if extra else "")
              + (f"  missed: {sorted(missed)}" if missed else ""))
    print(f"TP={tp} FP={fp} FN={fn} precision={tp / max(1, tp + fp):.2f} recall={tp / max(1, tp + fn):.2f}")
