"""Classification precision and recall of the documents probe, on real generated files.

Two sets, both written as real DOCX/ODT/PDF/text files and read by the
real probe:

* ``corpus``   — the labelled corpus the tests use (auditor/demo/doccorpus.py);
  the phrase profiles were written alongside it, so it measures "does what
  it was built to do";
* ``held-out`` — documents below, titled the way offices title them, written
  after the profiles.  Its first run gave precision 1.000, recall 0.769 (10/13);
  the three misses ("naruszenie bezpieczeństwa informacji", "komputery
  przenośne", "Polityka haseł") were then added to the profiles, so it now
  passes and is a regression set;
* ``held-out-2`` — written after that fix and measured once, never tuned
  against: the honest number.  First run: precision 0.947, recall 0.947
  (18/19 each).  The miss was a bug (a 32-letter DOCX taken for an empty
  file; fixed: only PDFs need a minimum of letters per page), so recall is
  now 1.000; the false positive stays as a known weakness — a five-word
  sentence right under the title ("Gmina wdroży politykę bezpieczeństwa
  informacji.") is read as part of the title.

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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heldout_documents as heldout  # noqa: E402  (bench/ is not a package)


def _doc(filename: str, heading: str, *body: str) -> Doc:
    return Doc(filename, (title(heading), *(p(text) for text in body)))


HELD_OUT: list[Labelled] = [
    Labelled(
        _doc(
            "ho01.pdf",
            "Polityka Bezpieczeństwa Informacji w Urzędzie Miejskim w Zielonce",
            "Dokument określa zasady ochrony informacji.",
        ),
        ("pbi",),
    ),
    Labelled(
        _doc(
            "ho02.docx",
            "Dokumentacja Systemu Zarządzania Bezpieczeństwem Informacji",
            "Zakres SZBI obejmuje wszystkie komórki urzędu.",
        ),
        ("pbi",),
    ),
    Labelled(
        _doc(
            "ho03.odt",
            "Szacowanie ryzyka dla systemów teleinformatycznych – raport 2025",
            "Oceniono prawdopodobieństwo i skutki zagrożeń.",
        ),
        ("risk_analysis",),
    ),
    Labelled(
        _doc(
            "ho04.pdf",
            "Instrukcja postępowania w sytuacji naruszenia bezpieczeństwa informacji",
            "Naruszenie zgłasza się niezwłocznie przełożonemu i informatykowi.",
        ),
        ("incident_procedure",),
    ),
    Labelled(
        _doc(
            "ho05.docx",
            "Plan awaryjny na wypadek awarii systemów informatycznych",
            "Określa sposób przywrócenia działania systemów.",
        ),
        ("bcp_drp",),
    ),
    Labelled(
        _doc("ho06.odt", "Zasady tworzenia i przechowywania kopii bezpieczeństwa", "Kopie wykonuje się codziennie."),
        ("backup_policy",),
    ),
    Labelled(
        _doc(
            "ho07.pdf",
            "Regulamin korzystania z komputerów przenośnych i telefonów służbowych",
            "Pracownik dba o powierzony sprzęt.",
        ),
        ("remote_work_rules",),
    ),
    Labelled(
        _doc("ho08.docx", "Wykaz oprogramowania dopuszczonego do użytku w urzędzie", "Lista programów i licencji."),
        ("asset_inventory",),
    ),
    Labelled(
        _doc(
            "ho09.odt",
            "Harmonogram szkoleń pracowników na rok 2026",
            "Szkolenia z cyberbezpieczeństwa odbędą się w marcu.",
        ),
        ("training",),
    ),
    Labelled(
        _doc("ho10.pdf", "Protokół z audytu bezpieczeństwa informacji", "Audytor stwierdził dwie niezgodności."),
        ("internal_audit",),
    ),
    Labelled(
        _doc("ho11.docx", "Ewidencja zdarzeń i incydentów", "Wpisy prowadzi pełnomocnik."), ("incident_register",)
    ),
    Labelled(
        _doc("ho12.odt", "Polityka haseł", "Hasło ma co najmniej 12 znaków i nie jest udostępniane."),
        ("access_control_policy",),
    ),
    Labelled(
        _doc("ho13.pdf", "Plan ciągłości działania – wersja robocza", "Projekt do uzgodnienia z kierownikami."),
        ("bcp_drp",),
    ),
    Labelled(_doc("ho14.docx", "Polityka rachunkowości Gminy Zielonka", "Zasady prowadzenia ksiąg rachunkowych."), ()),
    Labelled(
        _doc(
            "ho15.odt",
            "Polityka ochrony danych osobowych",
            "Administrator danych zapewnia bezpieczeństwo przetwarzania.",
        ),
        (),
    ),
    Labelled(
        _doc(
            "ho16.pdf",
            "Zarządzenie w sprawie powołania Administratora Bezpieczeństwa Informacji",
            "Powołuje się Pana Jana Kowalskiego na administratora bezpieczeństwa informacji.",
        ),
        (),
    ),
    Labelled(
        _doc("ho17.docx", "Klauzula informacyjna monitoringu wizyjnego", "Nagrania przechowuje się przez 3 miesiące."),
        (),
    ),
    Labelled(
        _doc(
            "ho18.txt",
            "Notatka służbowa w sprawie aktualizacji planu ciągłości działania",
            "Plan ciągłości działania wymaga aktualizacji po zmianie serwerowni.",
        ),
        (),
    ),
]


HELD_OUT_2: list[Labelled] = [
    Labelled(_doc("h2_01.docx", "Polityka Bezpieczeństwa Informacji Gminy Wiśniowa", "Tekst jednolity."), ("pbi",)),
    Labelled(_doc("h2_02.txt", "PBI – tekst jednolity", "Obowiązuje wszystkich pracowników."), ("pbi",)),
    Labelled(
        Doc(
            "h2_03.pdf",
            (
                p(
                    "Zarządzenie nr 0050.112.2024 Burmistrza Miasta i Gminy Kłodawa z dnia 4 listopada 2024 r. "
                    "w sprawie wprowadzenia Systemu Zarządzania Bezpieczeństwem Informacji"
                ),
                p("§ 1. Wprowadza się dokumentację SZBI stanowiącą załącznik."),
            ),
        ),
        ("pbi",),
    ),
    Labelled(
        _doc(
            "h2_04.odt",
            "Analiza ryzyka utraty integralności, dostępności i poufności informacji",
            "Zidentyfikowano zagrożenia.",
        ),
        ("risk_analysis",),
    ),
    Labelled(_doc("h2_05.docx", "Rejestr ryzyk 2025", "Ryzyka oceniono w skali 1–25."), ("risk_analysis",)),
    Labelled(
        _doc("h2_06.pdf", "Procedura zgłaszania incydentów do CSIRT NASK", "Zgłoszenie w ciągu 24 godzin."),
        ("incident_procedure",),
    ),
    Labelled(
        _doc("h2_07.odt", "Zasady reagowania na incydenty cyberbezpieczeństwa", "Pracownik zgłasza incydent."),
        ("incident_procedure",),
    ),
    Labelled(
        _doc("h2_08.docx", "Plan odtwarzania systemów po awarii (DRP)", "RTO dla EZD wynosi 8 godzin."), ("bcp_drp",)
    ),
    Labelled(
        _doc("h2_09.pdf", "Instrukcja wykonywania kopii zapasowych", "Kopie wykonuje informatyk."), ("backup_policy",)
    ),
    Labelled(
        _doc("h2_10.odt", "Procedura backupu i archiwizacji danych", "Backup wykonywany jest codziennie."),
        ("backup_policy",),
    ),
    Labelled(_doc("h2_11.docx", "Polityka szyfrowania", "Dyski laptopów są szyfrowane."), ("crypto_policy",)),
    Labelled(
        _doc("h2_12.pdf", "Procedura nadawania uprawnień do systemów informatycznych", "Wniosek składa kierownik."),
        ("access_control_policy",),
    ),
    Labelled(
        _doc("h2_13.odt", "Regulamin pracy zdalnej w Starostwie Powiatowym", "Praca zdalna na sprzęcie służbowym."),
        ("remote_work_rules",),
    ),
    Labelled(
        _doc("h2_14.docx", "Zasady bezpiecznego korzystania z urządzeń mobilnych", "Telefon ma blokadę ekranu."),
        ("remote_work_rules",),
    ),
    Labelled(
        _doc("h2_15.pdf", "Ewidencja środków trwałych – sprzęt komputerowy", "Stan na koniec roku."),
        ("asset_inventory",),
    ),
    Labelled(_doc("h2_16.odt", "Rejestr licencji oprogramowania", "Licencje Microsoft i EZD."), ("asset_inventory",)),
    Labelled(
        _doc("h2_17.docx", "Lista obecności – szkolenie z cyberbezpieczeństwa 12.03.2026", "Imię i nazwisko, podpis."),
        ("training",),
    ),
    Labelled(
        _doc(
            "h2_18.pdf",
            "Sprawozdanie z audytu wewnętrznego w zakresie bezpieczeństwa informacji",
            "Ustalenia i zalecenia.",
        ),
        ("internal_audit",),
    ),
    Labelled(_doc("h2_19.odt", "Raport z przeglądu SZBI przez kierownictwo", "Przegląd zarządzania."), ()),
    Labelled(_doc("h2_20.docx", "Rejestr zdarzeń bezpieczeństwa", "Wpisy od stycznia."), ("incident_register",)),
    Labelled(_doc("h2_21.pdf", "Instrukcja kancelaryjna", "Zasady obiegu dokumentów."), ()),
    Labelled(_doc("h2_22.odt", "Regulamin pracy Urzędu Gminy", "Czas pracy i obowiązki pracowników."), ()),
    Labelled(_doc("h2_23.docx", "Polityka prywatności strony internetowej", "Pliki cookies."), ()),
    Labelled(_doc("h2_24.pdf", "Plan zamówień publicznych na 2026 r.", "Dostawa sprzętu komputerowego."), ()),
    Labelled(
        _doc(
            "h2_25.odt",
            "Ogłoszenie o naborze na stanowisko informatyka",
            "Obowiązki: wykonywanie kopii zapasowych, obsługa incydentów, zarządzanie uprawnieniami.",
        ),
        (),
    ),
    Labelled(_doc("h2_26.docx", "Protokół odbioru sprzętu komputerowego", "Odebrano 10 laptopów."), ()),
    Labelled(
        _doc(
            "h2_27.pdf",
            "Umowa powierzenia przetwarzania danych osobowych",
            "Procesor zgłasza naruszenia w ciągu 24 godzin.",
        ),
        (),
    ),
    Labelled(
        _doc(
            "h2_28.odt",
            "Procedura postępowania w przypadku naruszenia ochrony danych osobowych",
            "Zgłoszenie do PUODO w ciągu 72 godzin.",
        ),
        (),
    ),
    Labelled(_doc("h2_29.docx", "Harmonogram przeglądów technicznych sprzętu", "Przeglądy drukarek."), ()),
    Labelled(
        _doc(
            "h2_30.pdf",
            "Strategia rozwoju gminy 2030 – cyfryzacja i bezpieczeństwo informacji",
            "Gmina wdroży politykę bezpieczeństwa informacji.",
        ),
        (),
    ),
]


def _run_probe(docs: list[Doc]) -> tuple[dict[str, dict], float]:
    """Writes ``docs`` as real files, runs the real probe over them; file facts by name and the time."""
    with tempfile.TemporaryDirectory() as folder:
        for doc in docs:
            write(doc, Path(folder))
        ctx = ProbeContext(scope=ScopeGuard.from_lists(["127.0.0.0/8"], []), timeout=600)
        target = Target(id="documents:bench", kind="documents", name="bench", attrs={"path": folder})
        started = time.perf_counter()
        evidence = DocumentsProbe().collect(target, ctx)
        elapsed = time.perf_counter() - started
    return {f["path"]: f for f in evidence["files"]}, elapsed


def _reason(facts: dict) -> str:
    """The probe's own one-line reason for the file's type (or for having none), when it gives one."""
    why = facts.get("classification", {}).get("why") or {}
    return f"[{why.get('code')} kind={why.get('kind')} subject={why.get('subject')!r}]" if why else ""


def measure(name: str, items: list[tuple[Doc, tuple[str, ...], str]], *, quiet: bool = False) -> dict:
    """Per-type precision and recall over (document, type) pairs, plus distractors typed as anything.

    ``items`` are (document, expected types, kind); a kind other than
    policy/act/record/report, or no expected type, marks a distractor, which must get no type.
    """
    files, elapsed = _run_probe([doc for doc, _, _ in items])
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    distractors = typed_distractors = kinds_labelled = kinds_right = 0
    for doc, expected_types, kind in items:
        facts = files[doc.filename]
        if kind in DISTRACTOR_KINDS:
            kinds_labelled += 1
            got_kind = facts.get("classification", {}).get("kind")
            kinds_right += got_kind == kind
            if got_kind != kind and not quiet:
                print(f"  {name}: kind {got_kind!s:15} expected {kind:15} {doc.filename}")
        expected, found = set(expected_types), set(facts.get("classification", {}).get("types", []))
        if kind in DISTRACTOR_KINDS or not expected_types:
            distractors += 1
            typed_distractors += bool(found)
        for type_id in found & expected:
            tp[type_id] += 1
        for type_id in sorted(found - expected):
            fp[type_id] += 1
            if not quiet:
                print(f"  {name}: false positive {type_id:22} {doc.filename}  {_reason(facts)}")
        for type_id in sorted(expected - found):
            fn[type_id] += 1
            if not quiet:
                print(f"  {name}: missed         {type_id:22} {doc.filename}  {_reason(facts)}")
    rows = {}
    for type_id in sorted(set(tp) | set(fp) | set(fn)):
        predicted, actual = tp[type_id] + fp[type_id], tp[type_id] + fn[type_id]
        rows[type_id] = {
            "tp": tp[type_id],
            "fp": fp[type_id],
            "fn": fn[type_id],
            "precision": tp[type_id] / predicted if predicted else 1.0,
            "recall": tp[type_id] / actual if actual else 1.0,
        }
    totals = sum(tp.values()), sum(fp.values()), sum(fn.values())
    summary = {
        "documents": len(items),
        "seconds": round(elapsed, 2),
        "types": rows,
        "precision": totals[0] / (totals[0] + totals[1]) if totals[0] + totals[1] else 1.0,
        "recall": totals[0] / (totals[0] + totals[2]) if totals[0] + totals[2] else 1.0,
        "distractors": distractors,
        "distractors_typed": typed_distractors,
    }
    print(f"\n{name}: {len(items)} documents ({distractors} distractors), probe {elapsed:.2f} s")
    print(f"{'type':24} {'tp':>3} {'fp':>3} {'fn':>3} {'precision':>9} {'recall':>7}")
    for type_id, r in rows.items():
        print(f"{type_id:24} {r['tp']:3} {r['fp']:3} {r['fn']:3} {r['precision']:9.3f} {r['recall']:7.3f}")
    print(
        f"{name}: micro precision {summary['precision']:.3f}, recall {summary['recall']:.3f}; "
        f"distractors typed: {typed_distractors}/{distractors}; "
        f"kind of petitions/requests/procurement/resolutions/minutes/letters recognised: {kinds_right}/{kinds_labelled}\n"
    )
    return summary


def scan_check() -> bool:
    """The held-out image-only PDF: reported as a scan for review, its file name hinting at the type."""
    files, _ = _run_probe([heldout.SCAN.doc])
    facts = files[heldout.SCAN.doc.filename]
    ok = (facts.get("error") or {}).get("reason") == "no_text_layer" and set(heldout.SCAN.types) <= set(
        facts.get("hint_types", [])
    )
    print(f"held-out scan {heldout.SCAN.doc.filename}: error={facts.get('error')}, hints={facts.get('hint_types')} -> {'ok' if ok else 'WRONG'}")
    return ok


#: Kinds of paper that are none of the expected documents, whatever they mention.
DISTRACTOR_KINDS = frozenset({"petition", "information_request", "procurement", "resolution", "minutes", "correspondence"})


def main() -> int:
    today = datetime.now(timezone.utc).date()
    tuning = [(item.doc, item.types, "tuning") for item in corpus(today) + HELD_OUT + HELD_OUT_2]
    measure("tuning (doccorpus + regression sets)", tuning)
    result = measure("HELD-OUT (bench/heldout_documents.py)", [(i.doc, i.types, i.kind) for i in heldout.held_out()])
    result_b = measure("HELD-OUT-B (written after tuning, measured once)", [(i.doc, i.types, i.kind) for i in heldout.HELD_OUT_B])
    scan_ok = scan_check()
    per_type_ok = all(r["precision"] >= 0.95 and r["recall"] >= 0.95 for r in result["types"].values())
    print(
        f"held-out targets: per-type precision and recall >= 0.95: {'met' if per_type_ok else 'NOT met'}; "
        f"no distractor typed: {'met' if result['distractors_typed'] == 0 else 'NOT met'}; scan: {'ok' if scan_ok else 'WRONG'}"
    )
    return 0 if per_type_ok and result["distractors_typed"] == 0 and scan_ok else 1


if __name__ == "__main__":
    sys.exit(main())
