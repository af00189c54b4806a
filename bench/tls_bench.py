"""Benchmark: auditor's TLS family vs the bare sslyze, sslscan and testssl.sh CLIs on the same N loopback endpoints.

Starts one nginx serving N HTTPS sites (127.99.8.1 … 127.99.8.N, certificates
from a throw-away CA; with ``--mixed`` every third site is a forgotten
legacy server: TLS 1.0/1.1, static-RSA CBC suites, an expired 1024-bit
certificate and no HSTS), then times

1. ``auditor``: a full ``run_scan`` of an inventory with N hosts (one
   endpoint each) and the ``tls`` family only — engine, probe, judging;
2. ``sslyze``: ``.venv/bin/sslyze`` with the same scan commands and the same
   CA file on the same N endpoints, in one process (its own concurrency);
3. ``sslscan`` and ``testssl.sh`` when installed: one process per endpoint,
   one after the other (their ordinary CLI use).  testssl.sh needs ~45 s per
   endpoint, so only a sample of endpoints is timed and scaled to N.

Prints the wall times and the ratios (targets: auditor ≤ 1.1 × sslyze,
testssl.sh ≥ 10 × auditor).  ``bench/run.py`` runs this as one of its sections.

    .venv/bin/python bench/tls_bench.py --n 20 --rounds 3 [--mixed]
"""

from __future__ import annotations

import argparse
import shutil
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
#: A forgotten legacy server, as in the demo lab (``auditor/demo/parts/tls.py``).
LEGACY = {"protocols": "TLSv1 TLSv1.1 TLSv1.2", "ciphers": "AES128-SHA:AES256-SHA:@SECLEVEL=0", "hsts_max_age": None}

Endpoints = list[tuple[str, str]]


def start_sites(folder: Path, n: int, mixed: bool = False) -> tuple[CertificateAuthority, RunningNginx, Endpoints]:
    """One nginx with N sites; with ``mixed`` every third one is a legacy configuration."""
    ca = CertificateAuthority(folder / "pki")
    endpoints = [(f"127.99.8.{i}", f"site{i}.bench.test") for i in range(1, n + 1)]
    sites = []
    for i, (address, name) in enumerate(endpoints, 1):
        if mixed and i % 3 == 0:
            cert = ca.issue(f"site{i}", [name], key="rsa1024", valid_from_days=-400, valid_days=365)
            sites.append(TlsSite(address, PORT, cert, **LEGACY))
        else:
            sites.append(TlsSite(address, PORT, ca.issue(f"site{i}", [name])))
    return ca, RunningNginx(folder / "nginx", sites), endpoints


def time_auditor(folder: Path, ca: CertificateAuthority, endpoints: Endpoints, mixed: bool = False) -> float:
    """Wall time of a TLS-only scan; exits when an endpoint errs or is graded unexpectedly."""
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
    grades = {f.target_id: f.facts.get("grade") for f in run.findings if f.check_id == "tls.grade"}
    good = {f"host:{name}": not (mixed and i % 3 == 0) for i, (_, name) in enumerate(endpoints, 1)}
    errors = [f for f in run.findings if f.status is Status.ERROR]
    if errors or {target: grade == "A+" for target, grade in grades.items()} != good:
        sys.exit(f"auditor scan went wrong: grades={grades} errors={[e.message['en'] for e in errors[:3]]}")
    return elapsed


def time_sslyze(ca: CertificateAuthority, endpoints: Endpoints) -> float:
    sslyze = Path(sys.executable).with_name("sslyze")
    targets = [f"{name}:{PORT}{{{address}}}" for address, name in endpoints]
    clock = time.perf_counter()
    done = subprocess.run([str(sslyze), *SSLYZE_OPTIONS, f"--certinfo_ca_file={ca.cert_path}", "--quiet", *targets],
                          capture_output=True, text=True, timeout=900)
    elapsed = time.perf_counter() - clock
    if done.returncode != 0:
        sys.exit(f"sslyze failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed


def _one_by_one(commands: list[list[str]]) -> float:
    clock = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
        if done.returncode not in (0, 1) and "testssl" not in command[0]:  # testssl's code counts findings
            sys.exit(f"{command[0]} failed ({done.returncode}): {done.stderr[-500:]}")
    return time.perf_counter() - clock


def time_sslscan(endpoints: Endpoints) -> float | None:
    """sslscan on every endpoint (SNI = host name), one after the other; ``None`` when not installed."""
    binary = shutil.which("sslscan")
    if binary is None:
        return None
    return _one_by_one([[binary, "--no-colour", f"--sni-name={name}", f"{address}:{PORT}"]
                        for address, name in endpoints])


def time_testssl(endpoints: Endpoints, sample: int) -> tuple[float, int] | None:
    """testssl.sh default run on the first ``sample`` endpoints → (seconds, endpoints timed); ``None`` when absent."""
    binary = shutil.which("testssl") or shutil.which("testssl.sh")
    if binary is None:
        return None
    chosen = endpoints[:max(1, sample)]
    return _one_by_one([[binary, "--quiet", "--warnings", "off", "--color", "0", "--ip", address,
                         f"https://{name}:{PORT}"] for address, name in chosen]), len(chosen)


def bench_tls(n: int, rounds: int = 1, mixed: bool = True, testssl_sample: int = 3) -> dict:
    """Times all four on the same N endpoints; seconds (median over ``rounds`` for auditor and sslyze)."""
    with tempfile.TemporaryDirectory(prefix="tls-bench-") as tmp:
        folder = Path(tmp)
        ca, nginx, endpoints = start_sites(folder, n, mixed)
        try:
            auditor_times, sslyze_times = [], []
            for _ in range(rounds):  # interleaved, so machine load hits both alike
                auditor_times.append(time_auditor(folder, ca, endpoints, mixed))
                sslyze_times.append(time_sslyze(ca, endpoints))
            sslscan = time_sslscan(endpoints)
            testssl = time_testssl(endpoints, testssl_sample) if testssl_sample > 0 else None
        finally:
            nginx.stop()
    result: dict = {"endpoints": n, "mixed": mixed, "rounds": rounds,
                    "auditor_s": statistics.median(auditor_times), "auditor_runs": auditor_times,
                    "sslyze_s": statistics.median(sslyze_times), "sslyze_runs": sslyze_times,
                    "sslscan_s": sslscan, "testssl_s": None, "testssl_sampled": 0}
    if testssl is not None:
        seconds, timed = testssl
        result.update(testssl_s=seconds * n / timed, testssl_sampled=timed)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20, help="number of TLS endpoints (default 20, at most 250)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of auditor and sslyze (median is reported)")
    parser.add_argument("--mixed", action="store_true", help="every third endpoint has a legacy configuration")
    parser.add_argument("--testssl-sample", type=int, default=0, help="time testssl.sh on this many endpoints (0: skip)")
    args = parser.parse_args()
    r = bench_tls(args.n, args.rounds, args.mixed, args.testssl_sample)
    print(f"endpoints: {args.n}, rounds: {args.rounds}, mixed: {args.mixed}")
    print(f"auditor (engine + tls family): {r['auditor_s']:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in r['auditor_runs'])})")
    print(f"sslyze CLI (same commands):    {r['sslyze_s']:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in r['sslyze_runs'])})")
    print(f"ratio auditor/sslyze: {r['auditor_s'] / r['sslyze_s']:.2f} (target <= 1.10)")
    if r["sslscan_s"] is not None:
        print(f"sslscan (one by one):          {r['sslscan_s']:.2f} s")
    if r["testssl_s"] is not None:
        print(f"testssl.sh (scaled from {r['testssl_sampled']}):     {r['testssl_s']:.2f} s  "
              f"(testssl/auditor {r['testssl_s'] / r['auditor_s']:.1f}, target >= 10)")


if __name__ == "__main__":
    main()
