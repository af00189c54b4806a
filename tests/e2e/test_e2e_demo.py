"""``auditor demo`` on a fresh folder: the lab starts, is scanned, findings shown, lab stopped."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from auditor.model import scan_run_from_json

pytestmark = pytest.mark.e2e
AUDITOR = Path(sys.executable).with_name("auditor")


def test_demo_shows_a_failing_risky_service_and_exits_0_saying_what_a_real_scan_would(tmp_path: Path) -> None:
    done = subprocess.run([str(AUDITOR), "demo", "--out", str(tmp_path / "demo"), "--lang", "EN"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "A real scan of this office would have exited 1 (--fail-on high)." in done.stdout
    assert "Fix first" in done.stdout  # the accepted FTP risk is no open failure in the summary
    run = scan_run_from_json((tmp_path / "demo" / "run.json").read_text())
    risky = [f for f in run.findings if f.check_id == "network.risky_service" and f.status == "fail"]
    assert risky and risky[0].target_id == "host:pliki.przykladowo.test"
    with socket.socket() as probe:  # the lab is gone afterwards
        assert probe.connect_ex(("127.0.10.2", 2121)) != 0
    # the audit paperwork: FTP accepted until later, end-of-life on bip-stary accepted until yesterday
    states = {key.split("|")[0] + "|" + key.split("|")[1]: e.state for key, e in run.extras.accepted.items()}
    assert states["network.risky_service|host:pliki.przykladowo.test"] == "active"
    assert states["patch.eol|host:bip-stary.przykladowo.test"] == "expired"
    assert run.extras.authorisation.document.startswith("zarządzenie nr 40/2026")
    for name in ("audit.html", "audit.docx", "audit.odt", "audit.pdf"):
        assert (tmp_path / "demo" / name).stat().st_size > 10_000, name
    document = docx.Document(str(tmp_path / "demo" / "audit.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert {"1. About this audit", "2. Management summary", "3. Non-conformities",
            "6. Remediation plan"} <= set(headings)
    assert any(p.text.startswith("N-01. ") for p in document.paragraphs if p.style.name == "Heading 2")
    cms = [f for f in run.findings if f.check_id == "cms.component.vulnerable" and f.status == "fail"]
    assert cms and cms[0].target_id == "host:bip-stary.przykladowo.test" and cms[0].facts["cve"] == "CVE-2020-35489"
    assert any("The risk acceptance expired on" in p.text for p in document.paragraphs)
    # the real servers of the lab (issue 22): a Samba NAS with SMBv1 and optional signing, a Postfix MX
    # whose certificate expired, scanned through STARTTLS
    verdicts = {(f.check_id, f.target_id): f.status for f in run.findings}
    assert verdicts[("config.remote.smb1", "host:nas.przykladowo.test")] == "fail"
    assert verdicts[("config.remote.smb_signing", "host:nas.przykladowo.test")] == "fail"
    assert verdicts[("tls.cert.expired", "host:mx.przykladowo.test")] == "fail"
    assert verdicts[("tls.cert.hostname_mismatch", "host:mx.przykladowo.test")] == "pass"
    # the file server's FTP (a real FTP server) still has its factory account; the authorisation allows FTP tests
    [ftp] = [f for f in run.findings if f.check_id == "credentials.service.default" and f.status == "fail"]
    assert ftp.target_id == "host:pliki.przykladowo.test" and ftp.severity == "critical" and ftp.facts["user"] == "admin"
    assert "Default-credential tests (intrusive): ran — login attempts: 3, hosts: 1" in " ".join(done.stdout.split())
    assert run.extras.authorisation.credential_tests == ("ftp",)
    # a real named + validating Unbound: the council-session zone's signatures expired — bogus, not "unsigned"
    [bogus] = [f for f in run.findings if (f.check_id, f.target_id) == ("dns.dnssec", "domain:sesja.przykladowo.test")]
    assert bogus.status == "fail" and "rejects zone sesja.przykladowo.test" in bogus.message["en"]
    assert bogus.facts["reason"].startswith("9 DNSKEY_MISSING")  # anchored at the zone itself: its DNSKEY set fails
    assert verdicts[("dns.dnssec", "domain:przykladowo.test")] == "fail"  # unsigned
