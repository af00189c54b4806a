"""``auditor scan --local``: collect this machine's configuration and scan it as a bundle source.

The very collector an administrator would print and run by hand is run here
(``sh linux.sh -o <folder>/<host>.json``), so the local scan judges exactly
what a remote office's bundles would show.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from auditor.checks.config.collectors import collector_source
from auditor.errors import InputError, ScanFailed
from auditor.inventory import LoadedInventory
from auditor.model import Target

LOCAL_SOURCE = "this-machine"
#: The collector reads files and runs a few quick commands; a minute is generous.
COLLECT_TIMEOUT_S = 120


def collect_local_bundle(folder: Path, *, timeout: float = COLLECT_TIMEOUT_S) -> Path:
    """Runs the Linux collector on this machine; returns the bundle it wrote into ``folder``."""
    if not sys.platform.startswith("linux"):
        raise InputError("--local runs the Linux collector; on Windows run `auditor collector windows` instead")
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "collector.sh"
    script.write_text(collector_source("linux"), encoding="utf-8")
    bundle = folder / f"{socket.gethostname() or 'localhost'}.json"
    try:
        subprocess.run(["sh", str(script), "-o", str(bundle)], check=True, timeout=timeout,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        raise ScanFailed(f"the local collector failed: {exc}") from None
    script.unlink()
    return bundle


def add_local_source(inventory: LoadedInventory, folder: Path) -> None:
    """Collects into ``folder`` and adds this machine to ``inventory`` twice over.

    As the ``config_bundles`` source ``this-machine`` (configuration checks)
    and as the ``packages`` source of the same name reading the bundle's
    package list (patching checks: end of life, known vulnerabilities).
    """
    ids = (f"config_bundles:{LOCAL_SOURCE}", f"packages:{LOCAL_SOURCE}")
    if any(t.id in ids for t in inventory.targets):
        raise InputError(f"the inventory already has a source named {LOCAL_SOURCE!r}; rename it to use --local")
    bundle = collect_local_bundle(folder)
    inventory.targets.append(Target(id=ids[0], kind="config_bundles", name=LOCAL_SOURCE, attrs={"path": str(folder)}))
    inventory.targets.append(Target(id=ids[1], kind="packages", name=LOCAL_SOURCE, attrs={
        "host": socket.gethostname() or "localhost", "files": [{"path": str(bundle), "format": "auditor-bundle"}]}))
