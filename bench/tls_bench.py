"""Benchmark: auditor's TLS family vs the bare sslyze CLI on the same N loopback endpoints.

Starts one nginx serving N HTTPS sites (127.99.8.1 … 127.99.8.N, modern
configuration, certificates from a throw-away CA), then times

1. ``auditor``: a full ``run_scan`` of an inventory with N hosts (one
   endpoint each) and the ``tls`` family only — engine, probe, judging;
2. ``sslyze``: ``.venv/bin/sslyze`` with the same scan commands and the same
   CA file on the same N endpoints, in one process (its own concurrency).

Prints both wall times and the ratio (target: auditor ≤ 1.1 × sslyze).

    .venv/bin/python bench/tls_bench.py --n 20 --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from auditor.demo.certs import CertificateAuthority
from auditor.demo.nginx import RunningNginx, TlsSite
from auditor.inventory import load_inventory
from auditor.model import Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

#: The sslyze CLI options matching ``checks.tls.probe.SCAN_COMMANDS`` + HTTP headers.
SSLYZE_OPTIONS = ["--certinfo", "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2", "--tlsv1_3",
                  "--elliptic_curves", "--compression", "--fallback", "--heartbleed", "--openssl_ccs", "--robot",
                  "--reneg", "--http_headers"]
PORT = 8443


def start_sites(folder: Path, n: int) -> tuple[CertificateAuthority, RunningNginx, list[tuple[str, str]]]:
    ca = CertificateAuthority(folder / "pki")
    endpoints = [(f"127.99.8.{i}", f"site{i}.bench.test") for i in range(1, n + 1)]
    sites = [TlsSite(address, PORT, ca.issue(f"site{i}", [name])) for i, (address, name) in enumerate(endpoints, 1)]
    return ca, RunningNginx(folder / "nginx", sites), endpoints


def time_auditor(folder: Path, ca: CertificateAuthority, endpoints: list[tuple[str, str]]) -> float:
    inventory = folder / "inventory.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Bench", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.0.0/8"], "domains": ["bench.test"]},
        "settings": {"timeout": 120, "tls_ca_file": str(ca.cert_path)},  # engine defaults: 16 workers, 2 per host
        "hosts": [{"name": name, "addresses": [address], "ports": [PORT]} for address, name in endpoints],
    }), encoding="utf-8")
    loaded = load_inventory(inventory)
    clock = time.perf_counter()
    run = run_scan(loaded, default_registry(), ScanOptions(families={"tls"}))
    elapsed = time.perf_counter() - clock
    grades = [f.facts.get("grade") for f in run.findings if f.check_id == "tls.grade"]
    errors = [f for f in run.findings if f.status is Status.ERROR]
    if errors or grades != ["A+"] * len(endpoints):
        sys.exit(f"auditor scan went wrong: grades={grades} errors={[e.message['en'] for e in errors[:3]]}")
    return elapsed


def time_sslyze(ca: CertificateAuthority, endpoints: list[tuple[str, str]]) -> float:
    sslyze = Path(sys.executable).with_name("sslyze")
    targets = [f"{name}:{PORT}{{{address}}}" for address, name in endpoints]
    clock = time.perf_counter()
    done = subprocess.run([str(sslyze), *SSLYZE_OPTIONS, f"--certinfo_ca_file={ca.cert_path}", "--quiet", *targets],
                          capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - clock
    if done.returncode != 0:
        sys.exit(f"sslyze failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20, help="number of TLS endpoints (default 20, at most 250)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each (median is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tls-bench-") as tmp:
        folder = Path(tmp)
        ca, nginx, endpoints = start_sites(folder, args.n)
        try:
            auditor_times, sslyze_times = [], []
            for _ in range(args.rounds):  # interleaved, so machine load hits both alike
                auditor_times.append(time_auditor(folder, ca, endpoints))
                sslyze_times.append(time_sslyze(ca, endpoints))
        finally:
            nginx.stop()
    auditor_s, sslyze_s = statistics.median(auditor_times), statistics.median(sslyze_times)
    print(f"endpoints: {args.n}, rounds: {args.rounds}")
    print(f"auditor (engine + tls family): {auditor_s:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in auditor_times)})")
    print(f"sslyze CLI (same commands):    {sslyze_s:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in sslyze_times)})")
    print(f"ratio auditor/sslyze: {auditor_s / sslyze_s:.2f} (target <= 1.10)")


if __name__ == "__main__":
    main()
