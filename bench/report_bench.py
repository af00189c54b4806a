"""Benchmark: render the HTML audit of a synthetic run (10 000 findings over 500 targets).

Prints build, scoring and render times and the file size; targets from the
issue are < 2 s and < 10 MB for the HTML render.  Run: .venv/bin/python bench/report_bench.py
(``bench/run.py`` runs ``bench_reports`` as one of its sections).
"""

from __future__ import annotations

import argparse
import time

from auditor.analysis import analyse
from auditor.registry import default_registry
from auditor.report import ReportFormat, render
from auditor.report.synthetic import synthetic_run


def bench_reports(findings: int = 10_000, targets: int = 500, repeat: int = 3) -> dict:
    """Seconds to build and score the synthetic run, to analyse it, and best/worst render time and size per format."""
    registry = default_registry()
    started = time.perf_counter()
    run = synthetic_run(findings, targets, registry=registry)
    result: dict = {"findings": len(run.findings), "targets": len(run.targets), "baselines": len(run.scores),
                    "build_s": time.perf_counter() - started, "formats": {}}
    started = time.perf_counter()
    analysis = analyse(run, lang="pl", registry=registry)
    result["analysis_s"] = time.perf_counter() - started
    render(analysis, ReportFormat.HTML)          # warm the template cache
    for fmt in ReportFormat:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            text = render(analysis, fmt)
            times.append(time.perf_counter() - t0)
        result["formats"][fmt.value] = {"best_s": min(times), "worst_s": max(times),
                                        "size_mb": len(text.encode("utf-8")) / 1_000_000}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--targets", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    r = bench_reports(args.findings, args.targets, args.repeat)
    print(f"synthetic run + scoring: {r['build_s']:.2f} s "
          f"({r['findings']} findings, {r['targets']} targets, {r['baselines']} baselines); "
          f"analysis {r['analysis_s']:.2f} s")
    for name, fmt in r["formats"].items():
        print(f"{name:5s} render: best {fmt['best_s']:.2f} s, worst {fmt['worst_s']:.2f} s; size {fmt['size_mb']:.2f} MB")


if __name__ == "__main__":
    main()
