"""The lab's documents folder: a realistic, imperfect set of SZBI paperwork (``<workdir>/dokumenty``).

What a scan of it should find: an approved, current security policy; a
2019 risk analysis (stale); an incident procedure without the NIS2 24 h /
72 h deadlines; a backup policy that is still a draft; an internal audit
older than a year; a signed scan with no text layer and an old ``.doc``
(manual review); a regulation that only mentions the policy in passing;
and no continuity plan, cryptography policy, remote-work rules or
incident register at all.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from auditor.demo import doccorpus as c
from auditor.demo.docwriter import write
from auditor.demo.lab import LabPart

FOLDER = "dokumenty"
#: The first bytes of an old binary Word file: enough for a file the probe cannot read.
_OLE_HEADER = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504


def start(workdir: Path) -> LabPart:
    folder = workdir / FOLDER
    today = datetime.now(timezone.utc).date()
    for doc in (
        c.pbi(today),
        c.risk_2019(),
        c.incident_procedure(today, complete=False),
        c.backup_policy(today, draft=True, filename="Projekt_polityki_kopii_zapasowych.docx"),
        c.access_control(today),
        c.asset_inventory(today),
        c.training(today),
        c.internal_audit(today, months_old=20, filename="Raport_z_audytu_wewnetrznego_2025.pdf"),
        c.scanned_pbi(today),
        c.regulamin_organizacyjny(),
    ):
        write(doc, folder)
    (folder / "Instrukcja_kancelaryjna.doc").write_bytes(_OLE_HEADER)
    return LabPart(sources=[{"type": "documents", "name": "dokumentacja-szbi", "path": FOLDER}])
