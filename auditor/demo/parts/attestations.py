"""The lab office's answers to some manual questions (no services, no addresses).

One answer is current, one is partial and one is stale, so the demo report
shows every kind of manual evidence.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml

from auditor.demo.lab import LabPart


def start(workdir: Path) -> LabPart:
    today = date.today()
    answers = [
        {"id": "internal_audit", "result": "yes", "by": "Jan Kowalski, pełnomocnik ds. bezpieczeństwa informacji",
         "date": (today - timedelta(days=120)).isoformat(), "reference": "BI.0123.3.2026",
         "answer": "Audyt wewnętrzny bezpieczeństwa informacji przeprowadzony; raport nr 3/2026."},
        {"id": "mfa", "result": "partial", "by": "Piotr Wiśniewski, informatyk",
         "date": (today - timedelta(days=30)).isoformat(),
         "answer": "MFA włączone dla poczty i VPN; konta administracyjne domeny jeszcze bez MFA."},
        {"id": "risk_analysis", "result": "yes", "by": "Anna Nowak, sekretarz gminy",
         "date": (today - timedelta(days=500)).isoformat(),
         "answer": "Analiza ryzyka z zatwierdzonym planem postępowania z ryzykiem."},
    ]
    path = workdir / "attestations.yaml"
    path.write_text("# Written by `auditor demo`: the lab office's answers to manual questions.\n"
                    + yaml.safe_dump({"attestations": answers}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return LabPart(extensions={"attestations": path.name})
