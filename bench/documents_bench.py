"""Classification precision and recall of the documents probe, on real generated files.

Two sets, both written as real DOCX/ODT/PDF/text files and read by the
real probe:

* ``corpus``   — the labelled corpus the tests use (auditor/demo/doccorpus.py);
  the phrase profiles were written alongside it, so it measures "does what
  it was built to do";
* ``held-out`` — documents below, titled the way offices title them, written
  after the profiles and never used to tune them: the honest number.

Per type: true positives, false positives, false negatives; then micro
precision/recall over (document, type) pairs, and the probe's throughput.

    python bench/documents_bench.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from auditor.checks.documents.probe import DocumentsProbe
from auditor.demo.doccorpus import Labelled, corpus
from auditor.demo.docwriter import Doc, p, title, write
from auditor.model import Target
from auditor.plugin import ProbeContext
from auditor.scope import ScopeGuard


def _doc(filename: str, heading: str, *body: str) -> Doc:
    return Doc(filename, (title(heading), *(p(text) for text in body)))


HELD_OUT: list[Labelled] = [
    Labelled(_doc("ho01.pdf", "Polityka Bezpieczeństwa Informacji w Urzędzie Miejskim w Zielonce",
                  "Dokument określa zasady ochrony informacji."), ("pbi",)),
    Labelled(_doc("ho02.docx", "Dokumentacja Systemu Zarządzania Bezpieczeństwem Informacji",
                  "Zakres SZBI obejmuje wszystkie komórki urzędu."), ("pbi",)),
    Labelled(_doc("ho03.odt", "Szacowanie ryzyka dla systemów teleinformatycznych – raport 2025",
                  "Oceniono prawdopodobieństwo i skutki zagrożeń."), ("risk_analysis",)),
    Labelled(_doc("ho04.pdf", "Instrukcja postępowania w sytuacji naruszenia bezpieczeństwa informacji",
                  "Naruszenie zgłasza się niezwłocznie przełożonemu i informatykowi."), ("incident_procedure",)),
    Labelled(_doc("ho05.docx", "Plan awaryjny na wypadek awarii systemów informatycznych",
                  "Określa sposób przywrócenia działania systemów."), ("bcp_drp",)),
    Labelled(_doc("ho06.odt", "Zasady tworzenia i przechowywania kopii bezpieczeństwa",
                  "Kopie wykonuje się codziennie."), ("backup_policy",)),
    Labelled(_doc("ho07.pdf", "Regulamin korzystania z komputerów przenośnych i telefonów służbowych",
                  "Pracownik dba o powierzony sprzęt."), ("remote_work_rules",)),
    Labelled(_doc("ho08.docx", "Wykaz oprogramowania dopuszczonego do użytku w urzędzie",
                  "Lista programów i licencji."), ("asset_inventory",)),
    Labelled(_doc("ho09.odt", "Harmonogram szkoleń pracowników na rok 2026",
                  "Szkolenia z cyberbezpieczeństwa odbędą się w marcu."), ("training",)),
    Labelled(_doc("ho10.pdf", "Protokół z audytu bezpieczeństwa informacji",
                  "Audytor stwierdził dwie niezgodności."), ("internal_audit",)),
    Labelled(_doc("ho11.docx", "Ewidencja zdarzeń i incydentów",
                  "Wpisy prowadzi pełnomocnik."), ("incident_register",)),
    Labelled(_doc("ho12.odt", "Polityka haseł",
                  "Hasło ma co najmniej 12 znaków i nie jest udostępniane."), ("access_control_policy",)),
    Labelled(_doc("ho13.pdf", "Plan ciągłości działania – wersja robocza",
                  "Projekt do uzgodnienia z kierownikami."), ("bcp_drp",)),
    Labelled(_doc("ho14.docx", "Polityka rachunkowości Gminy Zielonka",
                  "Zasady prowadzenia ksiąg rachunkowych."), ()),
    Labelled(_doc("ho15.odt", "Polityka ochrony danych osobowych",
                  "Administrator danych zapewnia bezpieczeństwo przetwarzania."), ()),
    Labelled(_doc("ho16.pdf", "Zarządzenie w sprawie powołania Administratora Bezpieczeństwa Informacji",
                  "Powołuje się Pana Jana Kowalskiego na administratora bezpieczeństwa informacji."), ()),
    Labelled(_doc("ho17.docx", "Klauzula informacyjna monitoringu wizyjnego",
                  "Nagrania przechowuje się przez 3 miesiące."), ()),
    Labelled(_doc("ho18.txt", "Notatka służbowa w sprawie aktualizacji planu ciągłości działania",
                  "Plan ciągłości działania wymaga aktualizacji po zmianie serwerowni."), ()),
]


def measure(name: str, items: list[Labelled]) -> tuple[int, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        for item in items:
            write(item.doc, Path(folder))
        ctx = ProbeContext(scope=ScopeGuard.from_lists(["127.0.0.0/8"], []), timeout=600)
        target = Target(id="documents:bench", kind="documents", name="bench", attrs={"path": folder})
        started = time.perf_counter()
        evidence = DocumentsProbe().collect(target, ctx)
        elapsed = time.perf_counter() - started
    got = {f["path"]: set(f.get("classification", {}).get("types", [])) for f in evidence["files"]}
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for item in items:
        expected, found = set(item.types), got[item.doc.filename]
        for type_id in found & expected:
            tp[type_id] += 1
        for type_id in found - expected:
            fp[type_id] += 1
            print(f"  {name}: false positive {type_id:22} {item.doc.filename}")
        for type_id in expected - found:
            fn[type_id] += 1
            print(f"  {name}: missed         {type_id:22} {item.doc.filename}")
    print(f"\n{name}: {len(items)} documents, probe {elapsed:.2f} s ({len(items) / elapsed:.1f} files/s)")
    print(f"{'type':24} {'tp':>3} {'fp':>3} {'fn':>3}")
    for type_id in sorted(set(tp) | set(fp) | set(fn)):
        print(f"{type_id:24} {tp[type_id]:3} {fp[type_id]:3} {fn[type_id]:3}")
    totals = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = totals[0] / (totals[0] + totals[1]) if totals[0] + totals[1] else 1.0
    recall = totals[0] / (totals[0] + totals[2]) if totals[0] + totals[2] else 1.0
    print(f"{name}: micro precision {precision:.3f}, recall {recall:.3f}\n")
    return totals


def main() -> int:
    today = datetime.now(timezone.utc).date()
    measure("corpus", corpus(today))
    measure("held-out", HELD_OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
