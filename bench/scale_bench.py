"""Scale benchmark: an N-host office on loopback, scanned with threads and with Dask.

Each host is a set of real listeners on its own loopback address
(127.0.30.1 …): a web server on 8080, an SSH greeting on 2222 and, with
``--tls``, HTTPS on 8443 from one shared nginx — so the network, web,
patching, config (remote) and TLS families all apply.  Each scan runs in a
fresh child process, which reports its wall time and its peak resident
memory, and the peak of it plus its children (nmap, or the Dask
workers).  Not a test: numbers only.  ``bench/run.py`` runs it as sections.

    .venv/bin/python bench/scale_bench.py --hosts 200 --families network
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import psutil
import yaml

from auditor.demo.certs import CertificateAuthority
from auditor.demo.nginx import RunningNginx, TlsSite
from auditor.demo.services import banner_service, http_service

#: Every family whose probes apply to ``host`` targets of this lab.
HOST_FAMILIES = ("network", "tls", "web", "patching", "config")

CHILD = """
import hashlib, json, re, resource, sys, time
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
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    print(json.dumps({"wall_s": round(wall, 2), "findings": len(run.findings),
                      "cpu_s": round(sum(u.ru_utime + u.ru_stime for u in usage), 2),
                      "peak_rss_mb": round(int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1]) / 1024, 1),
                      "errors": sum(1 for a in run.attempts if not a.completed),
                      "findings_digest": hashlib.sha256(json.dumps(sorted(
                          (f.target_id, f.check_id, f.subject, f.status.value) for f in run.findings)).encode()).hexdigest()}))
"""


def address(i: int) -> str:
    return f"127.0.{30 + i // 250}.{i % 250 + 1}"


@contextlib.contextmanager
def lab(folder: Path, hosts: int, tls: bool = True) -> Iterator[dict]:
    """Starts the hosts and yields their inventory (as a dict); stops every service after."""
    services: list = []
    ports: list = [{"port": 8080, "service": "http"}, {"port": 2222, "service": "ssh"}]
    settings: dict = {"timeout": 120, "max_workers": 16}
    try:
        for i in range(hosts):
            services.append(http_service(f"h{i}", address(i), 8080, headers={"Server": "nginx/1.18.0"}))
            services.append(banner_service(f"s{i}", address(i), 2222, b"SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5\r\n"))
        if tls:
            ca = CertificateAuthority(folder / "pki")
            sites = [TlsSite(address(i), 8443, ca.issue(f"h{i}", [f"h{i}.bench.test"])) for i in range(hosts)]
            services.append(RunningNginx(folder / "nginx", sites))
            ports.append(8443)
            settings["tls_ca_file"] = str(ca.cert_path)
        yield {
            "organisation": {"name": f"Bench office ({hosts} hosts)", "kind": "gmina"},
            "scope": {"cidrs": ["127.0.0.0/8"], "domains": ["bench.test"]},
            "settings": settings,
            "hosts": [{"name": f"h{i}.bench.test", "addresses": [address(i)], "ports": ports} for i in range(hosts)],
        }
    finally:
        for service in services:
            service.stop()


def measure(inventory_path: Path, executor: str, families: str) -> dict:
    """One scan in a fresh process: wall time, findings, failed attempts and peak memory.

    ``peak_rss_mb`` is the scanning process's own high-water mark (``VmHWM``:
    unlike ``ru_maxrss`` it does not carry over the forking parent's size);
    ``tree_peak_rss_mb`` is the largest sum sampled every 0.2 s over it and
    all its descendants — the nmap processes and, with Dask, the workers.
    ``cpu_s`` is the CPU time of the process and its waited-for children
    (nmap): on a shared machine a steadier measure of work than wall time.
    """
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "child.py"
        script.write_text(CHILD)
        with subprocess.Popen([sys.executable, "-W", "ignore", str(script), str(inventory_path), executor, families],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
            tree_peak = _sample_tree(child)
            out, err = child.communicate()
    if child.returncode != 0:
        sys.exit(f"scan child failed ({child.returncode}): {err[-1500:]}")
    return json.loads(out.strip().splitlines()[-1]) | {"tree_peak_rss_mb": round(tree_peak / 2**20, 1)}


def _sample_tree(child: subprocess.Popen) -> int:
    """Largest total RSS (bytes) of ``child`` and its descendants until it exits."""
    root = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        total = 0
        for process in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
        peak = max(peak, total)
        time.sleep(0.2)
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--families", default="network", help=f"comma-separated (host families: {','.join(HOST_FAMILIES)})")
    parser.add_argument("--executors", default="threads,dask")
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp, lab(Path(tmp), args.hosts, tls="tls" in args.families) as inventory:
        path = Path(tmp) / "inventory.yaml"
        path.write_text(yaml.safe_dump(inventory))
        for executor in args.executors.split(","):
            results[executor] = measure(path, executor, args.families)
            print(f"{executor:8} hosts={args.hosts} families={args.families} " +
                  " ".join(f"{k}={v}" for k, v in results[executor].items() if k != "findings_digest"), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
