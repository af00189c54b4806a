"""Fleet benchmark: many offices on a real Dask cluster into one store, and the roll-up over them.

Two parts, numbers only (not a test):

``--render N``   a store of N synthetic scored offices (real check ids and baselines,
                 varied failures); times ``build_rollup`` + the fleet HTML, and its size.
``--offices N``  N office inventories × ``--hosts`` hosts on loopback (an HTTP server and an
                 SSH greeting per host, each host its own address, as ``scale_bench`` does),
                 scanned by ``auditor fleet scan`` on a real ``dask scheduler`` + 2 ``dask worker``
                 processes; wall time, peak RSS of scanner / scheduler / workers, store size,
                 and the fleet report's render time.

    .venv/bin/python bench/fleet_bench.py --render 500 --offices 100 --hosts 5
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import psutil
import yaml

from auditor.demo.services import banner_service, free_port, http_service

BIN = Path(sys.executable).parent


def render_bench(count: int, folder: Path) -> dict:
    from auditor.baseline import load_baselines
    from auditor.fleet.rollup import build_rollup
    from auditor.model import Severity
    from auditor.registry import default_registry
    from auditor.report.fleet import render_html
    from auditor.report.synthetic import mapped_check_ids, synthetic_office_run
    from auditor.store import Store

    baselines = [lb.baseline for lb in load_baselines(registry=default_registry()).values()]
    checks = mapped_check_ids(baselines)
    rng = random.Random(11)
    path = folder / "fleet.db"
    built = time.perf_counter()
    with Store(path) as store:
        for n in range(count):
            failing = {c: rng.choice(list(Severity)) for c in rng.sample(checks, rng.randint(0, 12))}
            store.save(synthetic_office_run(f"Gmina {n:03d}", f"{1000000 + n}", failing, baselines, hosts=5))
    built = time.perf_counter() - built
    start = time.perf_counter()
    with Store(path, create=False) as store:
        rollup = build_rollup(store)
    rolled = time.perf_counter() - start
    html = render_html(rollup, lang="pl")
    total = time.perf_counter() - start
    return {"offices": count, "store_build_s": round(built, 1), "rollup_s": round(rolled, 3),
            "rollup_and_html_s": round(total, 3), "html_mb": round(len(html.encode()) / 2**20, 2),
            "store_mb": round(path.stat().st_size / 2**20, 1)}


def _address(i: int) -> str:
    return f"127.0.{60 + i // 250}.{i % 250 + 1}"


@contextlib.contextmanager
def offices_lab(folder: Path, offices: int, hosts: int) -> Iterator[Path]:
    services = []
    try:
        for o in range(offices):
            names = []
            for h in range(hosts):
                i = o * hosts + h
                services.append(http_service(f"h{i}", _address(i), 8080, headers={"Server": "nginx/1.18.0"}))
                services.append(banner_service(f"s{i}", _address(i), 2222, b"SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5\r\n"))
                names.append({"name": f"h{h}.office{o}.bench.test", "addresses": [_address(i)],
                              "ports": [{"port": 8080, "service": "http"}, {"port": 2222, "service": "ssh"}]})
            (folder / f"office-{o:03d}.yaml").write_text(yaml.safe_dump({
                "organisation": {"name": f"Gmina Bench {o:03d}", "kind": "gmina", "teryt": f"{2000000 + o}"},
                "scope": {"cidrs": ["127.0.0.0/8"], "domains": ["bench.test"]},
                "settings": {"timeout": 120, "max_workers": 16},
                "hosts": names,
            }))
        yield folder
    finally:
        for service in services:
            service.stop()


def _rss(process: psutil.Process, children: bool) -> int:
    total = 0
    for p in [process, *(process.children(recursive=True) if children else [])]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def scale_bench(offices: int, hosts: int, families: str, folder: Path) -> dict:
    port = free_port()
    spawn = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    scheduler = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], **spawn)
    time.sleep(3)
    workers = [subprocess.Popen([str(BIN / "dask"), "worker", f"tcp://127.0.0.1:{port}", "--nthreads", "8",
                                 "--no-dashboard", "--no-nanny"], **spawn) for _ in range(2)]
    time.sleep(5)
    store = folder / "fleet.db"
    try:
        with offices_lab(folder / "offices", offices, hosts) as inventories:
            start = time.perf_counter()
            scan = subprocess.Popen([str(BIN / "auditor"), "fleet", "scan", str(inventories), "--store", str(store),
                                     *[arg for family in families.split(",") for arg in ("--only", family)],
                                     "--executor", f"dask=tcp://127.0.0.1:{port}"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            peaks = {"scanner": 0, "scheduler": 0, "workers": 0}
            roots = {"scanner": psutil.Process(scan.pid), "scheduler": psutil.Process(scheduler.pid)}
            while scan.poll() is None:
                peaks["scanner"] = max(peaks["scanner"], _rss(roots["scanner"], children=False))
                peaks["scheduler"] = max(peaks["scheduler"], _rss(roots["scheduler"], children=False))
                peaks["workers"] = max(peaks["workers"], sum(_rss(psutil.Process(w.pid), children=True) for w in workers))
                time.sleep(0.2)
            out, err = scan.communicate()
            wall = time.perf_counter() - start
            if not store.exists():
                raise SystemExit(f"fleet scan failed ({scan.returncode}): {err[-1500:]}")
        render = subprocess.run([str(BIN / "auditor"), "fleet", "report", "--store", str(store), "-o",
                                 str(folder / "zestawienie.html"), "--no-office-reports"], capture_output=True, text=True)
        render_start = time.perf_counter()
        subprocess.run([str(BIN / "auditor"), "fleet", "report", "--store", str(store), "-o",
                        str(folder / "zestawienie.html"), "--no-office-reports"], capture_output=True, text=True)
        render_s = time.perf_counter() - render_start
    finally:
        for process in [*workers, scheduler]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    return {"offices": offices, "hosts": offices * hosts, "families": families, "exit": scan.returncode,
            "wall_s": round(wall, 1), "scanner_peak_mb": round(peaks["scanner"] / 2**20),
            "scheduler_peak_mb": round(peaks["scheduler"] / 2**20), "workers_peak_mb": round(peaks["workers"] / 2**20),
            "store_mb": round(store.stat().st_size / 2**20, 1), "fleet_report_cli_s": round(render_s, 2),
            "render_exit": render.returncode, "last_line": (out.strip().splitlines() or [err[-300:]])[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--render", type=int, default=500, help="Offices in the synthetic roll-up store (0: skip).")
    parser.add_argument("--offices", type=int, default=100, help="Offices scanned on the cluster (0: skip).")
    parser.add_argument("--hosts", type=int, default=5, help="Hosts per scanned office.")
    parser.add_argument("--families", default="network,web")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {"load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        if args.render:
            (Path(tmp) / "render").mkdir()
            results["render"] = render_bench(args.render, Path(tmp) / "render")
            print("render", json.dumps(results["render"]), flush=True)
        if args.offices:
            (Path(tmp) / "scale" / "offices").mkdir(parents=True)
            results["scale"] = scale_bench(args.offices, args.hosts, args.families, Path(tmp) / "scale")
            print("scale ", json.dumps(results["scale"]), flush=True)
    results["load_average_after"] = os.getloadavg()
    print("load average before/after:", results["load_average"], results["load_average_after"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
