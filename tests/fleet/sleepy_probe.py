"""A probe that only waits: importable by the test's Dask workers (their PYTHONPATH names this folder)."""

from __future__ import annotations

import time

from auditor.model import Target
from auditor.plugin import Probe, ProbeContext


class SleepyProbe(Probe):
    """Takes ``attrs['seconds']`` and returns how long it really ran."""

    name = "sleepy"
    target_kinds = frozenset({"host"})
    timeout = 4.0

    def collect(self, target: Target, ctx: ProbeContext) -> dict:
        started = time.monotonic()
        time.sleep(float(target.attrs.get("seconds", 3)))
        return {"slept_s": round(time.monotonic() - started, 2), "secret_seen": ctx.secret(target, "password")}
