"""The ``config_bundle`` probe: reads a folder of evidence bundles into facts.

Reading is strict per file: a bundle that is not valid JSON or lacks the
header is a ``ProbeInputError`` naming the file, so a truncated upload is
noticed instead of silently shrinking the audit.  When one host has several
bundles, the newest judges it and the older files are listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.checks.config.bundle import BundleError, collected_at, read_bundle, subject_of
from auditor.checks.config.family import FAMILY
from auditor.model import Evidence, Target, utcnow
from auditor.plugin import Probe, ProbeContext, ProbeInputError

#: Bundles read from one folder at most (a wrong folder is likelier than 5000 hosts).
MAX_BUNDLES = 5000


@FAMILY.probe
class ConfigBundleProbe(Probe):
    name = "config_bundle"
    target_kinds = frozenset({"config_bundles"})

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        folder = Path(str(target.attrs.get("path", "")))
        if not folder.is_dir():
            raise ProbeInputError(f"{folder} is not a folder of configuration bundles")
        files = sorted(folder.glob("*.json"))[: MAX_BUNDLES + 1]
        if not files:
            raise ProbeInputError(f"{folder} holds no *.json bundles (write them with `auditor collector`)")
        if len(files) > MAX_BUNDLES:
            raise ProbeInputError(f"{folder} holds more than {MAX_BUNDLES} bundles")
        now = ctx.now or utcnow()
        newest: dict[str, dict[str, Any]] = {}
        superseded: list[str] = []
        for path in files:
            try:
                entry = subject_of(path, read_bundle(path), now)
            except BundleError as exc:
                raise ProbeInputError(str(exc)) from None
            previous = newest.get(entry["subject"])
            if previous is not None and collected_at(previous) >= collected_at(entry):
                superseded.append(entry["file"])
                continue
            if previous is not None:
                superseded.append(previous["file"])
            newest[entry["subject"]] = entry
        return {"folder": str(folder), "subjects": sorted(newest.values(), key=lambda e: e["subject"]),
                "superseded": sorted(superseded)}
