"""The lab office's audit paperwork: the scan authorisation and two risk acceptances (no services).

The FTP server on ``pliki`` is accepted until half a year from now (it shows
as accepted and drops out of the thresholds); the end-of-life software on
``bip-stary`` was accepted until yesterday, so the report shows it failing
again with "acceptance expired on …".
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from auditor.demo.lab import LAB_DOMAIN, LabPart

HEAD = {"role": "Wójt Gminy Przykładowo (kierownik jednostki)", "name": "Jan Przykładowy"}


def start(workdir: Path) -> LabPart:
    today = datetime.now(timezone.utc).date()  # the scan judges acceptances on its own (UTC) start date
    risks = [
        {"check": "network.risky_service", "target": f"pliki.{LAB_DOMAIN}", "subject": "*:2121/tcp",
         "reason": "Skaner kopiujący w sekretariacie wysyła pliki wyłącznie przez FTP; wymiana urządzenia "
                   "zaplanowana w budżecie na przyszły rok, dostęp ograniczony do sieci urzędu.",
         "approver": HEAD, "date": (today - timedelta(days=20)).isoformat(),
         "expires": (today + timedelta(days=180)).isoformat(), "reference": "zarządzenie nr 41/2026"},
        {"check": "patch.eol", "target": f"bip-stary.{LAB_DOMAIN}",
         "reason": "Stary BIP miał zostać wyłączony po migracji do nowego serwisu.",
         "approver": HEAD, "date": (today - timedelta(days=200)).isoformat(),
         "expires": (today - timedelta(days=1)).isoformat(), "reference": "zarządzenie nr 17/2026"},
    ]
    path = workdir / "accepted-risks.yaml"
    path.write_text("# Written by `auditor demo`: risks the lab office formally accepted.\n"
                    + yaml.safe_dump({"accepted_risks": risks}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    authorisation = {
        "by": HEAD,
        "document": f"zarządzenie nr 40/2026 Wójta Gminy Przykładowo z dnia {today - timedelta(days=3):%d.%m.%Y} r. "
                    "w sprawie przeprowadzenia audytu bezpieczeństwa informacji",
        "scope_note": f"Serwery i usługi w sieci 127.0.10.0/24, domena {LAB_DOMAIN}, dokumentacja SZBI i kopie zapasowe",
        "window": {"start": (today - timedelta(days=1)).isoformat(), "end": (today + timedelta(days=7)).isoformat()},
        "auditor": {"name": "Ewa Audytorska", "role": "audytor wewnętrzny"},
        # the document allows trying the short list of default passwords on FTP (nothing else)
        "credential_tests": ["ftp"],
    }
    return LabPart(extensions={"accepted_risks": path.name, "authorisation": authorisation})
