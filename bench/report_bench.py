"""Benchmark: render the HTML audit of a synthetic run (10 000 findings over 500 targets).

Prints build, scoring and render times and the file size; targets from the
issue are < 2 s and < 10 MB for the HTML render.  Run: .venv/bin/python bench/report_bench.py
"""

from __future__ import annotations

import argparse
import time

from auditor.registry import default_registry
from auditor.report import ReportFormat, render
from auditor.report.synthetic import synthetic_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--targets", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    registry = default_registry()
    started = time.perf_counter()
    run = synthetic_run(args.findings, args.targets, registry=registry)
    print(f"synthetic run + scoring: {time.perf_counter() - started:.2f} s "
          f"({len(run.findings)} findings, {len(run.targets)} targets, {len(run.scores)} baselines)")
    render(run, ReportFormat.HTML, lang="pl", registry=registry)          # warm the template cache
    for fmt in ReportFormat:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            text = render(run, fmt, lang="pl", registry=registry)
            times.append(time.perf_counter() - t0)
        size = len(text.encode("utf-8"))
        print(f"{fmt.value:5s} render: best {min(times):.2f} s, worst {max(times):.2f} s; "
              f"size {size / 1_000_000:.2f} MB")


if __name__ == "__main__":
    main()
