"""Benchmark: auditor's TLS family vs the bare sslyze, sslscan and testssl.sh CLIs on the same N loopback endpoints.

Starts one nginx serving N HTTPS sites (127.99.8.1 … 127.99.8.N, certificates
from a throw-away CA; with ``--mixed`` every third site is a forgotten
legacy server: TLS 1.0/1.1, static-RSA CBC suites, an expired 1024-bit
certificate and no HSTS), then times

1. ``auditor``: a full ``run_scan`` of an inventory with N hosts (one
   endpoint each) and the ``tls`` family only — engine, probe, judging — in a
   fresh process that reports its peak RSS, the grades and the accepted suites;
2. ``sslyze``: ``.venv/bin/sslyze`` with the same scan commands and the same
   CA file on the same N endpoints, in one process (its own concurrency),
   under ``/usr/bin/time`` for its peak RSS, its JSON giving the accepted suites;
3. ``sslscan`` and ``testssl.sh`` when installed: one process per endpoint,
   one after the other (their ordinary CLI use).  testssl.sh needs ~45 s per
   endpoint, so only a sample of endpoints is timed and scaled to N.

auditor and sslyze alternate, ``rounds`` times (median reported), so machine
load hits both alike; the accepted suites of every endpoint and protocol must
be the same in both, or the bench stops.  ``count_connections`` adds a
load-independent measure: TCP connections per endpoint made by sslyze's own
``Scanner`` and by auditor's runner for the same scan commands.

Prints the wall times and the ratios (targets: auditor ≤ 0.5 × sslyze, peak
RSS ≤ sslyze's, testssl.sh ≥ 10 × auditor).  ``bench/run.py`` runs this as
one of its sections.

    .venv/bin/python bench/tls_bench.py --n 20 --rounds 3 [--mixed]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from auditor.demo.certs import CertificateAuthority
from auditor.demo.nginx import RunningNginx, TlsSite

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


#: The auditor side, in a fresh process: wall, peak RSS, grades, accepted suites (JSON on stdout).
AUDITOR_CHILD = """
import json, re, sys, time
from auditor.inventory import load_inventory
from auditor.model import Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
if __name__ == "__main__":
    loaded = load_inventory(sys.argv[1])
    start = time.perf_counter()
    run = run_scan(loaded, default_registry(), ScanOptions(families={"tls"}))
    wall = time.perf_counter() - start
    suites = {}
    for attempt in run.attempts:
        for endpoint in (attempt.evidence or {}).get("endpoints", []):
            suites[endpoint["subject"]] = {proto: sorted(s["name"] for s in found)
                                           for proto, found in endpoint.get("cipher_suites", {}).items()}
    print(json.dumps({
        "wall_s": wall,
        "peak_rss_mb": int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1]) / 1024,
        "grades": {f.target_id: f.facts.get("grade") for f in run.findings if f.check_id == "tls.grade"},
        "errors": [f.message["en"] for f in run.findings if f.status is Status.ERROR][:3],
        "suites": suites}))
"""

#: sslyze's JSON protocol keys → auditor's evidence labels.
_SSLYZE_PROTOCOLS = {"ssl_2_0_cipher_suites": "SSLv2", "ssl_3_0_cipher_suites": "SSLv3",
                     "tls_1_0_cipher_suites": "TLSv1.0", "tls_1_1_cipher_suites": "TLSv1.1",
                     "tls_1_2_cipher_suites": "TLSv1.2", "tls_1_3_cipher_suites": "TLSv1.3"}


def write_inventory(folder: Path, ca: CertificateAuthority, endpoints: Endpoints, settings: dict | None = None) -> Path:
    inventory = folder / "inventory.yaml"
    inventory.write_text(yaml.safe_dump({
        "organisation": {"name": "Bench", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.0.0/8"], "domains": ["bench.test"]},
        # engine defaults: 16 workers, 2 per host
        "settings": {"timeout": 120, "tls_ca_file": str(ca.cert_path), **(settings or {})},
        "hosts": [{"name": name, "addresses": [address], "ports": [PORT]} for address, name in endpoints],
    }), encoding="utf-8")
    return inventory


def time_auditor(folder: Path, ca: CertificateAuthority, endpoints: Endpoints, mixed: bool = False) -> dict[str, Any]:
    """A TLS-only scan in a fresh process; exits when an endpoint errs or is graded unexpectedly."""
    script = folder / "auditor_child.py"
    script.write_text(AUDITOR_CHILD, encoding="utf-8")
    done = subprocess.run([sys.executable, "-W", "ignore", str(script), str(write_inventory(folder, ca, endpoints))],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        sys.exit(f"auditor scan failed ({done.returncode}): {done.stderr[-1500:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    good = {f"host:{name}": not (mixed and i % 3 == 0) for i, (_, name) in enumerate(endpoints, 1)}
    if result["errors"] or {target: grade == "A+" for target, grade in result["grades"].items()} != good:
        sys.exit(f"auditor scan went wrong: grades={result['grades']} errors={result['errors']}")
    return result


def time_sslyze(folder: Path, ca: CertificateAuthority, endpoints: Endpoints) -> dict[str, Any]:
    """The bare sslyze CLI: wall, peak RSS (``/usr/bin/time``) and the accepted suites from its JSON."""
    sslyze = Path(sys.executable).with_name("sslyze")
    targets = [f"{name}:{PORT}{{{address}}}" for address, name in endpoints]
    out, rss = folder / "sslyze.json", folder / "sslyze.rss"
    timer = ["/usr/bin/time", "-f", "%M", "-o", str(rss)] if Path("/usr/bin/time").exists() else []
    clock = time.perf_counter()
    done = subprocess.run([*timer, str(sslyze), *SSLYZE_OPTIONS, f"--certinfo_ca_file={ca.cert_path}", "--quiet",
                           f"--json_out={out}", *targets], capture_output=True, text=True, timeout=900)
    elapsed = time.perf_counter() - clock
    if done.returncode != 0:
        sys.exit(f"sslyze failed ({done.returncode}): {done.stderr[-500:]}")
    suites = {}
    for server in json.loads(out.read_text(encoding="utf-8"))["server_scan_results"]:
        location = server["server_location"]
        attempts = server["scan_result"]
        suites[f"{location['ip_address']}:{location['port']}"] = {
            label: sorted(s["cipher_suite"]["name"] for s in attempts[key]["result"]["accepted_cipher_suites"])
            for key, label in _SSLYZE_PROTOCOLS.items() if attempts[key]["result"]["accepted_cipher_suites"]}
    peak = int(rss.read_text().split()[-1]) / 1024 if timer else None
    return {"wall_s": elapsed, "peak_rss_mb": peak, "suites": suites}


def count_connections(ca: CertificateAuthority, endpoints: Endpoints) -> dict[str, float]:
    """TCP connections per endpoint: sslyze's ``Scanner`` vs auditor's runner, same scan commands (in process)."""
    from sslyze import (Scanner, ScanCommand, ScanCommandsExtraArguments, ServerNetworkConfiguration,
                        ServerNetworkLocation, ServerScanRequest)

    from auditor.checks.tls.probe import SCAN_COMMANDS
    from auditor.checks.tls.runner import extra_arguments, scan_endpoint

    commands = {ScanCommand(c) for c in SCAN_COMMANDS | {"http_headers"}}
    extra: ScanCommandsExtraArguments = extra_arguments(str(ca.cert_path))
    original = socket.create_connection
    count = [0]

    def counting(*args: Any, **kwargs: Any) -> socket.socket:
        count[0] += 1
        return original(*args, **kwargs)

    def where(address: str, name: str) -> tuple[ServerNetworkLocation, ServerNetworkConfiguration]:
        return (ServerNetworkLocation(hostname=name, port=PORT, ip_address=address),
                ServerNetworkConfiguration(tls_server_name_indication=name))

    result = {}
    socket.create_connection = counting  # type: ignore[assignment]
    try:
        count[0] = 0
        scanner = Scanner()
        scanner.queue_scans([ServerScanRequest(server_location=where(a, n)[0], network_configuration=where(a, n)[1],
                                               scan_commands=commands, scan_commands_extra_arguments=extra)
                             for a, n in endpoints])
        list(scanner.get_results())
        result["sslyze"] = count[0] / len(endpoints)
        count[0] = 0
        for address, name in endpoints:
            scan_endpoint(*where(address, name), commands, extra, 5)
        result["auditor"] = count[0] / len(endpoints)
    finally:
        socket.create_connection = original  # type: ignore[assignment]
    return result


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


def bench_tls(n: int, rounds: int = 3, mixed: bool = True, testssl_sample: int = 3) -> dict:
    """Times all four on the same N endpoints; auditor and sslyze interleaved, median over ``rounds``."""
    with tempfile.TemporaryDirectory(prefix="tls-bench-") as tmp:
        folder = Path(tmp)
        ca, nginx, endpoints = start_sites(folder, n, mixed)
        try:
            auditor_runs, sslyze_runs = [], []
            for _ in range(rounds):  # interleaved, so machine load hits both alike
                auditor_runs.append(time_auditor(folder, ca, endpoints, mixed))
                sslyze_runs.append(time_sslyze(folder, ca, endpoints))
            connections = count_connections(ca, endpoints[:min(len(endpoints), 6)])
            sslscan = time_sslscan(endpoints)
            testssl = time_testssl(endpoints, testssl_sample) if testssl_sample > 0 else None
        finally:
            nginx.stop()
    different = [subject for subject, suites in sslyze_runs[0]["suites"].items()
                 if auditor_runs[0]["suites"].get(subject) != suites]
    if different or set(auditor_runs[0]["suites"]) != set(sslyze_runs[0]["suites"]):
        sys.exit(f"accepted suites differ from sslyze's on {different[:5]}")
    median = statistics.median
    result: dict = {"endpoints": n, "mixed": mixed, "rounds": rounds, "suites_identical": True,
                    "auditor_s": median(r["wall_s"] for r in auditor_runs),
                    "auditor_runs": [r["wall_s"] for r in auditor_runs],
                    "auditor_rss_mb": median(r["peak_rss_mb"] for r in auditor_runs),
                    "sslyze_s": median(r["wall_s"] for r in sslyze_runs),
                    "sslyze_runs": [r["wall_s"] for r in sslyze_runs],
                    "sslyze_rss_mb": (median(r["peak_rss_mb"] for r in sslyze_runs)
                                      if sslyze_runs[0]["peak_rss_mb"] is not None else None),
                    "connections_per_endpoint": connections,
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
    print(f"auditor (engine + tls family): {r['auditor_s']:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in r['auditor_runs'])})"
          f", peak RSS {r['auditor_rss_mb']:.0f} MB")
    print(f"sslyze CLI (same commands):    {r['sslyze_s']:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in r['sslyze_runs'])})"
          f", peak RSS {r['sslyze_rss_mb'] or 0:.0f} MB")
    print(f"ratio auditor/sslyze: {r['auditor_s'] / r['sslyze_s']:.2f} (target <= 0.50); accepted suites identical")
    c = r["connections_per_endpoint"]
    print(f"TCP connections per endpoint: sslyze {c['sslyze']:.0f}, auditor {c['auditor']:.0f}")
    if r["sslscan_s"] is not None:
        print(f"sslscan (one by one):          {r['sslscan_s']:.2f} s")
    if r["testssl_s"] is not None:
        print(f"testssl.sh (scaled from {r['testssl_sampled']}):     {r['testssl_s']:.2f} s  "
              f"(testssl/auditor {r['testssl_s'] / r['auditor_s']:.1f}, target >= 10)")


if __name__ == "__main__":
    main()
