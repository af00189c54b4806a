"""The benchmark suite: one command, one table (``make bench``; see docs/bench.md).

Sections (all by default, a subset with ``--only``):

- ``tls``: N TLS endpoints on loopback (one nginx, every third endpoint a
  legacy configuration) — auditor's TLS family vs the bare sslyze CLI
  (interleaved, median of 3, peak RSS of both, accepted suites compared,
  TCP connections per endpoint) vs sslscan vs testssl.sh (each when
  installed; testssl.sh timed on a sample of endpoints and scaled to N, it
  needs ~50 s per endpoint);
- ``scale``: an office of N hosts (web, SSH greeting and HTTPS on each),
  scanned with every host family, on threads — interleaved with the same
  scan in the *before* mode (nmap's stock probe file on HTTP/HTTPS ports,
  sslyze's one-handshake-per-suite scan: what issue 24 replaced), median of
  3, findings compared by digest — and on a Dask LocalCluster, each scan in
  a fresh process reporting its peak RSS;
- ``startup``: ``auditor checks`` and ``auditor --help``, median of 3;
- ``families``: the same office scanned one family at a time, to compare
  the full scan with its slowest single family;
- ``reports``: rendering a synthetic 10 000-finding run in every format;
- ``store``: a year of nightly snapshots, then history / diff / trends.

The section functions live in the per-area bench modules next to this file;
this script only runs them and tabulates.

    .venv/bin/python bench/run.py [--tls 50] [--hosts 20] [--quick] [--only tls,scale] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_bench import bench_reports  # noqa: E402
from scale_bench import HOST_FAMILIES, lab, measure  # noqa: E402
from store_bench import bench_store  # noqa: E402
from tls_bench import bench_tls  # noqa: E402

SECTIONS = ("tls", "scale", "families", "startup", "reports", "store")

#: Inventory settings that put the scan back to how it ran before issue 24 (for the interleaved ratio).
BEFORE_SETTINGS = {"network_fast_client_first": False, "tls_suite_enumeration": "per_suite"}


@dataclass
class Row:
    section: str
    what: str
    wall_s: float | None
    peak_rss_mb: float | None = None
    """The scanning process's own peak."""
    tree_rss_mb: float | None = None
    """The peak of the scanning process plus its children (nmap, Dask workers), sampled."""
    ratio: str = ""
    """A named ratio with its target, e.g. ``auditor/sslyze 0.43 (target <= 0.50: met)``."""
    load: float | None = None
    """The 1-minute load average when the measurement ended (the machine is shared)."""

    def __post_init__(self) -> None:
        if self.load is None:
            self.load = os.getloadavg()[0]


def _ratio(label: str, value: float, target: str) -> str:
    return f"{label} {value:.2f} ({target})"


def _against(label: str, value: float, limit: float, unit: str = "") -> str:
    """``label value (target <= limit: met)``, or by how much it is missed."""
    verdict = "met" if value <= limit else f"MISSED by {value - limit:.2f}{unit} ({value / limit - 1:+.0%})"
    return f"{label} {value:.2f}{unit} (target <= {limit:g}{unit}: {verdict})"


def tls_rows(args: argparse.Namespace) -> tuple[list[Row], dict]:
    r = bench_tls(args.tls, rounds=args.rounds, mixed=True, testssl_sample=args.testssl_sample)
    n, c = r["endpoints"], r["connections_per_endpoint"]
    rows = [Row("tls", f"auditor tls family, {n} endpoints (median of {r['rounds']})", r["auditor_s"], r["auditor_rss_mb"],
                ratio=_against("auditor/sslyze RSS", r["auditor_rss_mb"] / r["sslyze_rss_mb"], 1.0)
                if r["sslyze_rss_mb"] else ""),
            Row("tls", "sslyze CLI, same scan commands (interleaved)", r["sslyze_s"], r["sslyze_rss_mb"],
                ratio=_against("auditor/sslyze", r["auditor_s"] / r["sslyze_s"], 0.5)),
            Row("tls", "accepted suites and grades vs sslyze", None,
                ratio="identical" if r["suites_identical"] else "DIFFER"),
            Row("tls", "TCP connections per endpoint (sslyze / auditor)", None,
                ratio=f"{c['sslyze']:.0f} / {c['auditor']:.0f} (ratio {c['auditor'] / c['sslyze']:.2f})")]
    if r["sslscan_s"] is not None:
        rows.append(Row("tls", "sslscan, one endpoint after another", r["sslscan_s"],
                        ratio=_ratio("sslscan/auditor", r["sslscan_s"] / r["auditor_s"], "info")))
    if r["testssl_s"] is not None:
        rows.append(Row("tls", f"testssl.sh, scaled from {r['testssl_sampled']} endpoint(s)", r["testssl_s"],
                        ratio=_ratio("testssl/auditor", r["testssl_s"] / r["auditor_s"], "target >= 10")))
    return rows, r


def office_rows(args: argparse.Namespace, sections: set[str]) -> tuple[list[Row], dict]:
    """``scale`` and ``families`` share one lab of ``--hosts`` hosts (and the threads full scan)."""
    rows: list[Row] = []
    raw: dict = {}
    every = ",".join(HOST_FAMILIES)
    with tempfile.TemporaryDirectory(prefix="office-bench-") as tmp, lab(Path(tmp), args.hosts) as inventory:
        path = Path(tmp) / "inventory.yaml"
        path.write_text(yaml.safe_dump(inventory), encoding="utf-8")
        before_path = Path(tmp) / "inventory-before.yaml"
        before_path.write_text(yaml.safe_dump(inventory | {"settings": inventory["settings"] | BEFORE_SETTINGS}),
                               encoding="utf-8")
        rounds = args.rounds if "scale" in sections else 1
        fulls, befores = [], []
        for _ in range(rounds):  # interleaved, so machine load hits both alike
            fulls.append(measure(path, "threads", every))
            if "scale" in sections and args.before:
                befores.append(measure(before_path, "threads", every))
        raw["full/threads"] = full = _median_run(fulls)
        limit = 60.0 if args.hosts >= 200 else None
        rows.append(_scan_row("scale", f"full scan, {args.hosts} hosts, threads (median of {rounds})", full,
                              f"{full['findings']} findings, {full['errors']} failed attempts; "
                              f"CPU {full['cpu_s']:.1f} s = {full['cpu_s'] / args.hosts:.3f} s/host"
                              + (f"; {_against('wall', full['wall_s'], limit, ' s')}" if limit else "")
                              + (f"; {_against('RSS', full['peak_rss_mb'], 300, ' MB')}" if limit else "")))
        if befores:
            raw["full/before"] = before = _median_run(befores)
            same = "findings same" if before["findings_digest"] == full["findings_digest"] else "findings DIFFER"
            rows.append(_scan_row("scale", "same scan, before mode (stock nmap, per-suite sslyze)", before,
                                  f"{_against('now/before', full['wall_s'] / before['wall_s'], 0.5)}, {same}; "
                                  f"CPU s {full['cpu_s']:.1f} vs {before['cpu_s']:.1f} "
                                  f"({before['cpu_s'] / args.hosts:.3f} s/host)"))
        if "scale" in sections and args.dask:
            raw["full/dask"] = dask = measure(path, "dask", every)
            same = "findings same" if dask["findings_digest"] == full["findings_digest"] else "findings DIFFER"
            rows.append(_scan_row("scale", f"full scan, {args.hosts} hosts, Dask LocalCluster", dask,
                                  _ratio("dask/threads", dask["wall_s"] / full["wall_s"], same)))
        if "families" in sections:
            for family in HOST_FAMILIES:
                raw[f"{family}/threads"] = one = measure(path, "threads", family)
                rows.append(_scan_row("families", f"{family} only, {args.hosts} hosts, threads", one))
            slowest = max(HOST_FAMILIES, key=lambda f: raw[f"{f}/threads"]["wall_s"])
            rows.append(Row("families", f"full scan vs slowest family ({slowest})", None, None, None,
                            _ratio("full/slowest", full["wall_s"] / raw[f"{slowest}/threads"]["wall_s"],
                                   "target <= 1.50")))
    return rows, raw


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time (its RSS and digest come with it); all walls kept."""
    chosen = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
    return chosen | {"runs_s": [r["wall_s"] for r in runs]}


def startup_rows(args: argparse.Namespace) -> tuple[list[Row], dict]:
    """``auditor checks`` and ``--help`` wall time and CPU, median of 3 (bytecode cached, as on a user's machine)."""
    auditor = Path(sys.executable).with_name("auditor")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    raw: dict = {}
    rows = []
    for label, command in (("auditor checks", ["checks"]), ("auditor --help", ["--help"])):
        subprocess.run([str(auditor), *command], capture_output=True, env=env, timeout=120)  # warm: bytecode, page cache
        times, cpus = [], []
        for _ in range(3):
            clock = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([str(auditor), *command], capture_output=True, env=env, timeout=120, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append(time.perf_counter() - clock)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        raw[label] = {"wall_s": times, "cpu_s": cpus}
        rows.append(Row("startup", f"{label} (median of 3)", statistics.median(times),
                        ratio=_against("wall", statistics.median(times), 1.0, " s")
                        + f"; CPU {statistics.median(cpus):.2f} s"))
    return rows, raw


def _scan_row(section: str, what: str, result: dict, ratio: str = "") -> Row:
    return Row(section, what, result["wall_s"], result["peak_rss_mb"], result["tree_peak_rss_mb"], ratio)


def report_rows(args: argparse.Namespace) -> tuple[list[Row], dict]:
    r = bench_reports(*((1000, 50, 1) if args.quick else (10_000, 500, 3)))
    rows = [Row("reports", f"synthetic run + scoring, {r['findings']} findings", r["build_s"])]
    rows += [Row("reports", f"render {name} ({fmt['size_mb']:.1f} MB)", fmt["best_s"],
                 ratio="target < 2 s" if name == "html" else "") for name, fmt in r["formats"].items()]
    return rows, r


def store_rows(args: argparse.Namespace) -> tuple[list[Row], dict]:
    r = bench_store(days=30 if args.quick else 365, hosts=50)
    rows = [Row("store", f"fill {r['days']} snapshots ({r['size_mib']:.0f} MiB)", r["fill_s"])]
    rows += [Row("store", label, seconds, ratio="target < 1 s") for label, seconds in r["queries_s"].items()]
    return rows, r


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), None)
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_mb": memory, "load_avg": os.getloadavg(),
            "python": platform.python_version(), "tools": {name: _version(name) for name in
                                                          ("sslscan", "testssl", "nmap", "nginx")}}


def _version(tool: str) -> str | None:
    if shutil.which(tool) is None:
        return None
    flag = "-v" if tool == "nginx" else "--version"
    done = subprocess.run([tool, flag], capture_output=True, text=True, timeout=60)
    text = " ".join((done.stdout + done.stderr).split())
    return text[:80]


def print_table(rows: list[Row]) -> None:
    print(f"{'section':<9} {'measurement':<56} {'wall s':>8} {'RSS MB':>7} {'tree MB':>8} {'load':>5}  ratio")
    for row in rows:
        wall = f"{row.wall_s:8.2f}" if row.wall_s is not None else f"{'':8}"
        rss = f"{row.peak_rss_mb:7.1f}" if row.peak_rss_mb is not None else f"{'':7}"
        tree = f"{row.tree_rss_mb:8.1f}" if row.tree_rss_mb is not None else f"{'':8}"
        load = f"{row.load:5.1f}" if row.load is not None else f"{'':5}"
        print(f"{row.section:<9} {row.what:<56} {wall} {rss} {tree} {load}  {row.ratio}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tls", type=int, default=50, help="TLS endpoints (default 50, at most 250)")
    parser.add_argument("--hosts", type=int, default=20, help="hosts of the office lab (default 20, at most 500)")
    parser.add_argument("--testssl-sample", type=int, default=3, help="endpoints testssl.sh is timed on (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the compared runs (median reported)")
    parser.add_argument("--no-before", dest="before", action="store_false",
                        help="skip the full scan in the before mode (stock nmap, per-suite sslyze)")
    parser.add_argument("--no-dask", dest="dask", action="store_false", help="skip the Dask LocalCluster full scan")
    parser.add_argument("--quick", action="store_true", help="small run: 5 endpoints, 4 hosts, smaller report/store")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--json", type=Path, help="also write the table, raw numbers and machine facts here")
    args = parser.parse_args()
    if args.quick:
        args.tls, args.hosts, args.testssl_sample = min(args.tls, 5), min(args.hosts, 4), min(args.testssl_sample, 1)
        args.rounds = 1
    sections = set(args.only.split(","))
    if sections - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(sections - set(SECTIONS)))}")
    steps: list[tuple[str, Callable[[], tuple[list[Row], dict]]]] = []
    if "tls" in sections:
        steps.append(("tls", lambda: tls_rows(args)))
    if sections & {"scale", "families"}:
        steps.append(("office", lambda: office_rows(args, sections)))
    if "startup" in sections:
        steps.append(("startup", lambda: startup_rows(args)))
    if "reports" in sections:
        steps.append(("reports", lambda: report_rows(args)))
    if "store" in sections:
        steps.append(("store", lambda: store_rows(args)))
    rows: list[Row] = []
    raw: dict = {}
    started = time.perf_counter()
    for name, step in steps:
        print(f"… {name}", file=sys.stderr, flush=True)
        new_rows, raw[name] = step()
        rows += new_rows
    facts = machine()
    print(f"\nmachine: {facts['cpus']} CPUs ({facts['cpu']}), {facts['memory_mb']} MB RAM, "
          f"load {' '.join(f'{x:.1f}' for x in facts['load_avg'])}; bench took {time.perf_counter() - started:.0f} s\n")
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps({
            "machine": facts, "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "rows": [asdict(row) for row in rows], "raw": raw,
            "bench_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
