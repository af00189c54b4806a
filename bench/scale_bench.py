"""Scale benchmark: an N-host office on loopback, scanned with threads and with Dask.

Each host is a real listener (HTTP) on its own loopback address.  Prints the
wall time of the network family over all hosts for each executor and the
peak resident memory of the scanning process.  Not a test: numbers only.

    .venv/bin/python bench/scale_bench.py --hosts 200
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from auditor.demo.services import http_service  # noqa: E402

CHILD = """
import json, resource, sys, time
from auditor.executors import open_executor
from auditor.inventory import load_inventory
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
if __name__ == "__main__":
    inventory, executor, families = sys.argv[1], sys.argv[2], sys.argv[3]
    loaded = load_inventory(inventory)
    start = time.perf_counter()
    with open_executor(executor, workers=16) as pool:
        run = run_scan(loaded, default_registry(), ScanOptions(executor=pool, families=set(families.split(","))))
    wall = time.perf_counter() - start
    print(json.dumps({"wall_s": round(wall, 2), "findings": len(run.findings),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "errors": sum(1 for a in run.attempts if not a.completed)}))
"""


def lab(hosts: int) -> tuple[list, dict]:
    services = [http_service(f"h{i}", f"127.0.{30 + i // 250}.{i % 250 + 1}", 8080, headers={"Server": "nginx"})
                for i in range(hosts)]
    inventory = {
        "organisation": {"name": f"Bench office ({hosts} hosts)", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.0.0/8"]},
        "settings": {"timeout": 120, "network_scan_risky_ports": False, "max_workers": 16},
        "hosts": [{"name": f"h{i}.bench.test", "addresses": [s.address], "ports": [8080]} for i, s in enumerate(services)],
    }
    return services, inventory


def measure(inventory_path: Path, executor: str, families: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(CHILD)
    done = subprocess.run([sys.executable, script.name, str(inventory_path), executor, families],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--families", default="network")
    parser.add_argument("--executors", default="threads,dask")
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()
    services, inventory = lab(args.hosts)
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "inventory.yaml"
            path.write_text(yaml.safe_dump(inventory))
            for executor in args.executors.split(","):
                results[executor] = measure(path, executor, args.families)
                print(f"{executor:8} hosts={args.hosts} families={args.families} " +
                      " ".join(f"{k}={v}" for k, v in results[executor].items()), flush=True)
    finally:
        for service in services:
            service.stop()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
