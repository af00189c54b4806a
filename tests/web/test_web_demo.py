"""The lab's web site and mail domain (demo parts) show the gaps they were built with."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.demo.lab import LAB_DOMAIN, running_lab
from auditor.demo.parts import mail_dns as mail_part, web as web_part
from auditor.inventory import load_inventory
from auditor.model import Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

pytestmark = pytest.mark.e2e


def test_demo_parts_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("auditor.demo.lab.lab_parts", lambda: [mail_part.start, web_part.start])
    with running_lab(tmp_path) as inventory:
        run = run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"web", "mail_dns"}))
    failing = {(f.check_id, f.target_id) for f in run.findings if f.status is Status.FAIL}
    bip, sport = f"host:bip.{LAB_DOMAIN}", f"domain:sport.{LAB_DOMAIN}"
    assert {("web.exposed.git", bip), ("web.exposed.directory_listing", bip), ("web.security_txt", bip),
            ("web.cookie.httponly", bip), ("mail.spf.permissive", sport), ("mail.dmarc.missing", sport),
            ("mail.dmarc.policy_none", f"domain:{LAB_DOMAIN}")} <= failing
    # the catch-all CMS answers 200 everywhere, yet only the real files are reported
    assert not any(check.startswith("web.exposed.") and check not in ("web.exposed.git", "web.exposed.directory_listing")
                   for check, _ in failing)
