"""Timing of the web and mail_dns probes against their demo-lab parts; prints one line per target.

Run: .venv/bin/python bench/web_mail_probes.py   (uses 127.0.10.30 and 127.0.10.40 like the demo)
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import yaml

from auditor.checks.mail_dns.probe import MailDnsProbe
from auditor.checks.web.probe import WebProbe
from auditor.demo.lab import inventory_document
from auditor.demo.parts import mail_dns, web
from auditor.inventory import load_inventory
from auditor.plugin import ProbeContext


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        parts = [web.start(Path(folder)), mail_dns.start(Path(folder))]
        try:
            path = Path(folder) / "inventory.yaml"
            path.write_text(yaml.safe_dump(inventory_document(parts), allow_unicode=True), encoding="utf-8")
            inventory = load_inventory(path)
            ctx = ProbeContext(scope=inventory.scope, timeout=60, settings=inventory.settings)
            for probe in (WebProbe(), MailDnsProbe()):
                for target in (t for t in inventory.targets if probe.applies(t)):
                    started = time.perf_counter()
                    evidence = probe.collect(target, ctx)
                    elapsed = time.perf_counter() - started
                    print(f"{probe.name:9} {target.id:32} {elapsed * 1000:7.0f} ms  evidence {len(json.dumps(evidence)):6} B")
        finally:
            for part in parts:
                for service in part.services:
                    service.stop()


if __name__ == "__main__":
    main()
