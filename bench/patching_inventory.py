"""Times the patching family on this machine's own package database (prints numbers, asserts nothing).

Run: .venv/bin/python bench/patching_inventory.py
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from auditor.checks.patching.assess import package_vuln_facts
from auditor.checks.patching.inventories import os_from_packages, parse_dpkg_query, parse_dpkg_status
from auditor.checks.patching.knowledge import knowledge_for


def timed(label: str, fn, repeat: int = 5):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(repeat):
        result = fn()
    print(f"{label}: {(time.perf_counter() - start) / repeat * 1000:.1f} ms")
    return result


def main() -> None:
    status = Path("/var/lib/dpkg/status").read_text(encoding="utf-8")
    listing = subprocess.run(["dpkg-query", "-W"], capture_output=True, text=True, check=True).stdout
    packages = timed(f"parse /var/lib/dpkg/status ({len(status) // 1024} KiB)", lambda: parse_dpkg_status(status))
    timed(f"parse dpkg-query -W ({len(listing.splitlines())} lines)", lambda: parse_dpkg_query(listing))
    knowledge = timed("load knowledge (cached after first call)", knowledge_for, repeat=1)
    evidence = {"packages": packages, "package_manager": "dpkg", "os": os_from_packages(packages)}
    facts = timed(f"judge {len(packages)} packages x {len(knowledge.vulns)} CVEs",
                  lambda: package_vuln_facts(knowledge, evidence))
    print(f"os: {evidence['os']}; matching facts: {len(facts)}")


if __name__ == "__main__":
    main()
