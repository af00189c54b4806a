"""The benchmark suite: one command, one table (``make bench``; see docs/bench.md).

Sections (all by default, a subset with ``--only``):

- ``tls``: N TLS endpoints on loopback (one nginx, every third endpoint a
  legacy configuration) — auditor's TLS family vs the bare sslyze CLI vs
  sslscan vs testssl.sh (each when installed; testssl.sh timed on a sample
  of endpoints and scaled to N, it needs ~50 s per endpoint);
- ``scale``: an office of N hosts (web, SSH greeting and HTTPS on each),
  scanned with every host family, on threads and on a Dask LocalCluster,
  each scan in a fresh process reporting its peak RSS;
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

SECTIONS = ("tls", "scale", "families", "reports", "store")


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
    """A named ratio with its target, e.g. ``auditor/sslyze 0.93 (target ≤ 1.10)``."""


def _ratio(label: str, value: float, target: str) -> str:
    return f"{label} {value:.2f} ({target})"


def tls_rows(args: argparse.Namespace) -> tuple[list[Row], dict]:
    r = bench_tls(args.tls, rounds=1, mixed=True, testssl_sample=args.testssl_sample)
    n = r["endpoints"]
    rows = [Row("tls", f"auditor tls family, {n} endpoints", r["auditor_s"]),
            Row("tls", "sslyze CLI, same scan commands", r["sslyze_s"],
                ratio=_ratio("auditor/sslyze", r["auditor_s"] / r["sslyze_s"], "target <= 1.10"))]
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
        raw["full/threads"] = full = measure(path, "threads", every)
        rows.append(_scan_row("scale", f"full scan, {args.hosts} hosts, threads", full,
                              f"{full['findings']} findings, {full['errors']} failed attempts"))
        if "scale" in sections:
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
    print(f"{'section':<9} {'measurement':<48} {'wall s':>8} {'RSS MB':>7} {'tree MB':>8}  ratio")
    for row in rows:
        wall = f"{row.wall_s:8.2f}" if row.wall_s is not None else f"{'':8}"
        rss = f"{row.peak_rss_mb:7.1f}" if row.peak_rss_mb is not None else f"{'':7}"
        tree = f"{row.tree_rss_mb:8.1f}" if row.tree_rss_mb is not None else f"{'':8}"
        print(f"{row.section:<9} {row.what:<48} {wall} {rss} {tree}  {row.ratio}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tls", type=int, default=50, help="TLS endpoints (default 50, at most 250)")
    parser.add_argument("--hosts", type=int, default=20, help="hosts of the office lab (default 20, at most 500)")
    parser.add_argument("--testssl-sample", type=int, default=3, help="endpoints testssl.sh is timed on (default 3)")
    parser.add_argument("--quick", action="store_true", help="small run: 5 endpoints, 4 hosts, smaller report/store")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--json", type=Path, help="also write the table, raw numbers and machine facts here")
    args = parser.parse_args()
    if args.quick:
        args.tls, args.hosts, args.testssl_sample = min(args.tls, 5), min(args.hosts, 4), min(args.testssl_sample, 1)
    sections = set(args.only.split(","))
    if sections - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(sections - set(SECTIONS)))}")
    steps: list[tuple[str, Callable[[], tuple[list[Row], dict]]]] = []
    if "tls" in sections:
        steps.append(("tls", lambda: tls_rows(args)))
    if sections & {"scale", "families"}:
        steps.append(("office", lambda: office_rows(args, sections)))
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
