"""The stored audit of "Gmina Zalesie": one realistic run every output format is checked against.

``tests/report/fixtures/gmina-zalesie-1.0.json`` was written by this module
with the auditor of commit c4b1395 (schema_version 1.0, before the typed
spine), so loading it also proves that today's reader reads yesterday's
runs.  Regenerate only deliberately: ``PYTHONPATH=<old checkout> python
tests/report/stored_run.py > tests/report/fixtures/gmina-zalesie-1.0.json``.

The office: a public BIP web server and a mail server (Internet-facing), two
internal servers, the mail domain.  A known-exploited Samba on an internal
file server, an end-of-life PHP on the BIP, telnet/FTP on internal servers,
undeclared ports on three hosts, TLS 1.0, a missing DMARC record, one risk
accepted by the head of the office and one probe error.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "gmina-zalesie-1.0.json"
STARTED = datetime(2026, 11, 27, 8, 30, tzinfo=timezone.utc)

HOSTS = {  # id → (name, address, roles)
    "host:bip.zalesie.test": ("bip.zalesie.test", "127.120.0.10", ("www", "bip")),
    "host:poczta.zalesie.test": ("poczta.zalesie.test", "127.120.0.11", ("mail",)),
    "host:srv-fk.zalesie.local": ("srv-fk.zalesie.local", "127.120.0.20", ("file-server",)),
    "host:srv-ad.zalesie.local": ("srv-ad.zalesie.local", "127.120.0.21", ("domain-controller",)),
}
DOMAIN = "domain:zalesie.test"

#: (check, target, status, severity, subject, message pl, message en, facts)
FINDINGS = [
    ("patch.known_exploited", "host:srv-fk.zalesie.local", "fail", "critical", "samba 4.13.2",
     "CVE-2021-44142 (Samba vfs_fruit): zainstalowana wersja 4.13.2, poprawiona 4.13.17; w katalogu KEV od 2022-08-10.",
     "CVE-2021-44142 (Samba vfs_fruit): installed 4.13.2, fixed in 4.13.17; in the KEV catalog since 2022-08-10.",
     {"cve": "CVE-2021-44142", "installed": "4.13.2", "fixed": "4.13.17", "kev_added": "2022-08-10"}),
    ("patch.eol", "host:bip.zalesie.test", "fail", "critical", "php 7.4",
     "PHP 7.4: wsparcie zakończone 2022-11-28 (źródło: endoflife.date).",
     "PHP 7.4: support ended on 2022-11-28 (source: endoflife.date).", {"product": "php", "cycle": "7.4"}),
    ("network.risky_service", "host:srv-ad.zalesie.local", "fail", "high", "23/tcp",
     "Port 23/tcp: telnet — hasła przesyłane otwartym tekstem.", "Port 23/tcp: telnet — passwords in clear text.",
     {"port": 23, "service": "telnet"}),
    ("network.risky_service", "host:srv-fk.zalesie.local", "fail", "high", "21/tcp",
     "Port 21/tcp: FTP bez szyfrowania.", "Port 21/tcp: FTP without encryption.", {"port": 21, "service": "ftp"}),
    ("network.risky_service", "host:bip.zalesie.test", "pass", "high", "",
     "Brak niebezpiecznych usług.", "No risky services.", {}),
    ("network.undeclared_port", "host:bip.zalesie.test", "fail", "medium", "8080/tcp",
     "Port 8080/tcp (http-proxy) otwarty, a nie ma go w inwentarzu.",
     "Port 8080/tcp (http-proxy) is open but not in the inventory.", {"port": 8080}),
    ("network.undeclared_port", "host:srv-fk.zalesie.local", "fail", "medium", "5900/tcp",
     "Port 5900/tcp (vnc) otwarty, a nie ma go w inwentarzu.", "Port 5900/tcp (vnc) is open but not in the inventory.",
     {"port": 5900}),
    ("network.undeclared_port", "host:srv-ad.zalesie.local", "fail", "medium", "3389/tcp",
     "Port 3389/tcp (ms-wbt-server) otwarty, a nie ma go w inwentarzu.",
     "Port 3389/tcp (ms-wbt-server) is open but not in the inventory.", {"port": 3389}),
    ("tls.protocol.tls10", "host:bip.zalesie.test", "fail", "medium", "443/tcp",
     "443/tcp przyjmuje TLS 1.0.", "443/tcp accepts TLS 1.0.", {"port": 443}),
    ("tls.protocol.tls10", "host:poczta.zalesie.test", "fail", "medium", "993/tcp",
     "993/tcp przyjmuje TLS 1.0.", "993/tcp accepts TLS 1.0.", {"port": 993}),
    ("tls.protocol.sslv3", "host:bip.zalesie.test", "pass", "high", "443/tcp",
     "443/tcp nie przyjmuje SSL 3.0.", "443/tcp does not accept SSL 3.0.", {"port": 443}),
    ("tls.cert.expires_soon", "host:poczta.zalesie.test", "warn", "medium", "993/tcp",
     "Certyfikat wygasa 2026-12-12 (za 15 dni).", "The certificate expires on 2026-12-12 (in 15 days).",
     {"port": 993, "days": 15}),
    ("tls.hsts.missing", "host:bip.zalesie.test", "fail", "medium", "443/tcp",
     "Brak nagłówka Strict-Transport-Security.", "No Strict-Transport-Security header.", {"port": 443}),
    ("web.header.csp", "host:bip.zalesie.test", "warn", "low", "",
     "Polityka CSP zezwala na 'unsafe-inline'.", "The CSP allows 'unsafe-inline'.", {}),
    ("mail.dmarc.missing", DOMAIN, "fail", "high", "",
     "Brak rekordu DMARC (_dmarc.zalesie.test).", "No DMARC record (_dmarc.zalesie.test).", {}),
    ("mail.spf.missing", DOMAIN, "pass", "high", "", "Rekord SPF jest.", "An SPF record exists.", {}),
    ("patch.pending_updates", "host:srv-ad.zalesie.local", "fail", "high", "",
     "14 oczekujących aktualizacji bezpieczeństwa.", "14 pending security updates.", {"count": 14}),
    ("tls.grade", "host:srv-ad.zalesie.local", "error", "high", "",
     "Sonda TLS nie odpowiedziała w czasie.", "The TLS probe timed out.", {}),
]

EXTRAS = {
    "settings": {"timeout": 30},
    "abandoned_jobs": 0,
    "authorisation": {
        "by": {"name": "Marek Wiśniewski", "role": "Wójt Gminy Zalesie"},
        "document": "zarządzenie nr 41/2026 Wójta Gminy Zalesie z dnia 20 listopada 2026 r.",
        "scope_note": "Serwery urzędu, domena zalesie.test",
        "window": {"start": "2026-11-25", "end": "2026-11-30"},
        "window_bounds": {"start": "2026-11-25T00:00:00+01:00", "end": "2026-12-01T00:00:00+01:00"},
        "auditor": {"name": "Ewa Zielińska", "role": "audytor wewnętrzny"},
    },
    "accepted_risks": [{
        "check": "patch.pending_updates", "target": "srv-ad.*", "subject": "*",
        "reason": "Aktualizacje kontrolera domeny po migracji w marcu 2027 (umowa z dostawcą).",
        "approver": {"name": "Marek Wiśniewski", "role": "kierownik jednostki"},
        "date": "2026-10-01", "expires": "2027-03-31", "reference": "decyzja 7/2026",
    }],
    "accepted_risks_path": "accepted-risks.yaml",
}


def build():  # pragma: no cover - run against the old checkout to write the fixture
    from auditor.baseline import load_baselines, select_baselines
    from auditor.model import Finding, RunMeta, ScanRun, Severity, Status, Target
    from auditor.scoring import apply_baselines

    targets = tuple(Target(id=tid, kind="host", name=name, addresses=(address,), roles=roles)
                    for tid, (name, address, roles) in HOSTS.items())
    targets += (Target(id=DOMAIN, kind="domain", name="zalesie.test"),)
    findings = tuple(Finding(check, target, Status(status), Severity(severity), {"pl": pl, "en": en}, facts, subject)
                     for check, target, status, severity, subject, pl, en, facts in FINDINGS)
    organisation = {"name": "Gmina Zalesie", "kind": "gmina", "teryt": "1419042", "entity_class": "important"}
    run = ScanRun(meta=RunMeta(run_id="zalesie-2026-11-27", tool_version="0.1.0", started=STARTED,
                               finished=STARTED.replace(hour=9, minute=12), operator="informatyk",
                               hostname="audyt-01"),
                  organisation=organisation, targets=targets, attempts=(), findings=findings, extras=EXTRAS)
    baselines = select_baselines(load_baselines(), ["kri", "nis2"], "important")
    return apply_baselines(run, baselines)


if __name__ == "__main__":  # pragma: no cover
    from auditor.model import scan_run_to_json

    sys.stdout.write(scan_run_to_json(build()) + "\n")
    json.loads(scan_run_to_json(build()))
