"""Time reading and judging N configuration bundles (copies of the example Windows/Linux bundles).

Usage: python bench/config_bundles.py [N]   (default 500).  Prints wall time and peak RSS.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

from auditor.inventory import load_inventory
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples/config"


def main(count: int) -> None:
    templates = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*/*.json"))]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bundles"
        folder.mkdir()
        for n in range(count):
            bundle = dict(templates[n % len(templates)], host=f"host-{n:05d}")
            (folder / f"host-{n:05d}.json").write_text(json.dumps(bundle), encoding="utf-8")
        inventory = Path(tmp) / "inventory.yaml"
        inventory.write_text(yaml.safe_dump({"organisation": {"name": "Bench", "kind": "gmina"},
                                             "scope": {"cidrs": ["127.0.0.0/8"]},
                                             "sources": [{"type": "config_bundles", "name": "b", "path": str(folder)}]}))
        registry = default_registry()
        started = time.perf_counter()
        run = run_scan(load_inventory(inventory), registry, ScanOptions(families={"config"}))
        elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bundles={count} findings={len(run.findings)} wall_s={elapsed:.2f} "
          f"per_bundle_ms={1000 * elapsed / count:.1f} peak_rss_mb={peak_mb:.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
