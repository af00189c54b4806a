"""HELD-OUT documents corpus: realistic office material the classifier is never tuned on.

Written (2026-12-01) before the kind-aware classifier, from what gmina
folders really hold: acts introducing policies, bare annexes, scans,
registers with tables, and the paper an office is full of — mass petitions
about NIS2 and "cyfryzacja", requests for public information, procurement
notices for "opracowanie polityki bezpieczeństwa", council resolutions,
session minutes, letters and notes that name the policy without being it.

Rules for this module (see bench/documents_bench.py):

* it is NOT imported by tests and NOT used to tune phrases or rules; the
  tuning set is ``auditor/demo/doccorpus.py``;
* labels are what a careful auditor would assign: ``types`` (the expected
  document types it *is*) and ``kind`` (what sort of paper it is);
* when a change makes the bench fail here, fix the cause in the classifier
  and add a *similar* (not the same) case to the tuning set — never edit a
  label or a text here to make a number go up.

Every document is written as a real PDF / DOCX / ODT / TXT file by
``auditor.demo.docwriter`` and read by the real probe.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.demo.docwriter import Doc, h, p, row, title


@dataclass(frozen=True)
class HeldOut:
    doc: Doc
    types: tuple[str, ...]
    kind: str
    """policy (a normative document), act, record, report, petition, information_request,
    procurement, resolution, minutes, correspondence, other."""


def _d(filename: str, *blocks, **kw) -> Doc:  # type: ignore[no-untyped-def]
    return Doc(filename, tuple(blocks), **kw)


POLICIES: list[HeldOut] = [
    HeldOut(
        _d(
            "Zarzadzenie_12_2025_PBI.pdf",
            p(
                "Zarządzenie nr 12/2025 Wójta Gminy Rokietnica z dnia 14 marca 2025 r. w sprawie wprowadzenia "
                "Polityki Bezpieczeństwa Informacji w Urzędzie Gminy Rokietnica"
            ),
            p("Na podstawie art. 33 ust. 3 ustawy z dnia 8 marca 1990 r. o samorządzie gminnym zarządzam, co następuje:"),
            p("§ 1. Wprowadza się Politykę Bezpieczeństwa Informacji, stanowiącą załącznik nr 1 do zarządzenia."),
            p("§ 2. Wykonanie zarządzenia powierza się Sekretarzowi Gminy."),
            p("§ 3. Zarządzenie wchodzi w życie z dniem podpisania."),
            title("Polityka Bezpieczeństwa Informacji"),
            h("Rozdział 1. Postanowienia ogólne"),
            p("Celem Polityki jest zapewnienie poufności, integralności i dostępności informacji."),
            h("Rozdział 2. Odpowiedzialność"),
            p("Za bezpieczeństwo informacji odpowiada Wójt; zadania koordynuje Pełnomocnik ds. bezpieczeństwa informacji."),
            h("Rozdział 3. Analiza ryzyka"),
            p("Szacowanie ryzyka przeprowadza się co najmniej raz w roku. Politykę przegląda się corocznie."),
        ),
        ("pbi",),
        "act",
    ),
    HeldOut(
        _d(
            "PBI_zalacznik.docx",
            title("POLITYKA BEZPIECZEŃSTWA INFORMACJI URZĘDU MIASTA I GMINY PIŃCZÓW"),
            p("Spis treści"),
            p("1. Wstęp 2. Definicje 3. Zakres 4. Role 5. Zarządzanie ryzykiem 6. Przeglądy"),
            h("1. Wstęp"),
            p("Dokument określa zasady zarządzania bezpieczeństwem informacji w Urzędzie."),
            h("4. Role"),
            p("Burmistrz, Pełnomocnik ds. SZBI, administratorzy systemów i pracownicy mają obowiązki opisane poniżej."),
            p("Zatwierdzam: Burmistrz Miasta i Gminy Pińczów, 02.06.2025"),
        ),
        ("pbi",),
        "policy",
        ),
    HeldOut(
        _d(
            "polityka_bezpieczenstwa.odt",
            p("Załącznik nr 1 do Zarządzenia Nr 0050.48.2024 Burmistrza Gminy Głuchołazy z dnia 30 września 2024 r."),
            title("Polityka bezpieczeństwa systemów teleinformatycznych"),
            h("§ 1. Zakres"),
            p("Polityka dotyczy wszystkich systemów teleinformatycznych Urzędu oraz jednostek podległych."),
            h("§ 2. Zasady"),
            p("Dostęp do systemów mają wyłącznie osoby upoważnione. Politykę poddaje się przeglądowi raz w roku."),
        ),
        ("pbi",),
        "policy",
    ),
    HeldOut(
        _d(
            "szbi_2026.txt",
            p("ZARZADZENIE NR 7/2026"),
            p("WOJTA GMINY STARE BABICE"),
            p("z dnia 12 stycznia 2026 r."),
            p("w sprawie ustalenia dokumentacji Systemu Zarzadzania Bezpieczenstwem Informacji"),
            p("§ 1. Ustala sie dokumentacje SZBI w brzmieniu zalacznika do niniejszego zarzadzenia."),
            p("§ 2. Zarzadzenie wchodzi w zycie z dniem podpisania."),
        ),
        ("pbi",),
        "act",
    ),
    HeldOut(
        _d(
            "Analiza_ryzyka_2025.docx",
            title("Raport z szacowania ryzyka w Urzędzie Gminy Kobylnica"),
            p("Okres: I półrocze 2025. Data sporządzenia: 27.06.2025"),
            h("Metodyka"),
            p("Poziom ryzyka = prawdopodobieństwo (1–5) × skutek (1–5)."),
            row("Aktywo", "Zagrożenie", "Prawdopodobieństwo", "Skutek", "Ryzyko"),
            row("Serwer EZD", "Atak ransomware", "3", "5", "15"),
            row("Laptopy", "Kradzież", "2", "3", "6"),
            h("Plan postępowania z ryzykiem"),
            p("Dla ryzyk ≥ 10 wskazano zabezpieczenia i terminy wdrożenia."),
        ),
        ("risk_analysis",),
        "report",
    ),
    HeldOut(
        _d(
            "metodyka_ryzyka.pdf",
            p("Załącznik nr 3 do Polityki Bezpieczeństwa Informacji"),
            title("Metodyka analizy ryzyka w bezpieczeństwie informacji"),
            p("Szacowanie ryzyka obejmuje identyfikację aktywów, zagrożeń i podatności oraz ocenę skutków."),
            p("Ryzyko akceptuje Wójt; ryzyka nieakceptowalne trafiają do planu postępowania z ryzykiem."),
        ),
        ("risk_analysis",),
        "policy",
    ),
    HeldOut(
        _d(
            "rejestr_ryzyk.odt",
            title("Rejestr ryzyk bezpieczeństwa informacji – 2026"),
            row("Lp.", "Ryzyko", "Właściciel", "Poziom", "Postępowanie"),
            row("1", "Utrata danych podatkowych", "Skarbnik", "wysoki", "kopie offline"),
            row("2", "Wyciek danych osobowych pocztą", "Sekretarz", "średni", "szkolenia"),
            p("Stan na dzień 15.01.2026"),
        ),
        ("risk_analysis",),
        "record",
    ),
    HeldOut(
        _d(
            "Procedura_incydenty.pdf",
            p(
                "Zarządzenie Nr 88/2025 Burmistrza Miasta Wągrowca z dnia 10 października 2025 r. w sprawie "
                "wprowadzenia procedury zgłaszania i obsługi incydentów bezpieczeństwa"
            ),
            p("§ 1. Wprowadza się Procedurę stanowiącą załącznik do zarządzenia."),
            title("Procedura zgłaszania i obsługi incydentów"),
            p("1. Pracownik zgłasza incydent do informatyka telefonicznie lub pocztą."),
            p("2. Poważny incydent zgłasza się do CSIRT NASK: wczesne ostrzeżenie w ciągu 24 godzin, zgłoszenie w ciągu 72 godzin."),
        ),
        ("incident_procedure",),
        "act",
    ),
    HeldOut(
        _d(
            "instrukcja_incydenty.docx",
            title("Instrukcja postępowania w przypadku wystąpienia incydentu cyberbezpieczeństwa"),
            p("Wersja 2.1, obowiązuje od 01.04.2025"),
            h("Kroki"),
            p("Odłącz komputer od sieci, nie wyłączaj go, powiadom Inspektora i Pełnomocnika."),
            p("Pełnomocnik przekazuje zgłoszenie do CSIRT NASK przez formularz na incydent.cert.pl."),
        ),
        ("incident_procedure",),
        "policy",
    ),
    HeldOut(
        _d(
            "zalacznik_2_incydenty.odt",
            p("Załącznik nr 2 do Zarządzenia nr 31/2024 Wójta Gminy Czarna z dnia 2 maja 2024 r."),
            title("Zasady reagowania na incydenty bezpieczeństwa informacji"),
            p("Incydentem jest każde zdarzenie, które może naruszyć poufność, integralność lub dostępność informacji."),
            p("Incydenty wpisuje się do rejestru incydentów prowadzonego przez Pełnomocnika."),
        ),
        ("incident_procedure",),
        "policy",
    ),
    HeldOut(
        _d(
            "Plan_ciaglosci.docx",
            title("Plan zapewnienia ciągłości działania Urzędu Gminy Lipowa"),
            p("Przyjęty Zarządzeniem Nr 40/2025 Wójta Gminy Lipowa z dnia 5 maja 2025 r."),
            h("Procesy krytyczne"),
            row("Proces", "RTO", "RPO"),
            row("Ewidencja ludności", "4 h", "1 h"),
            row("Podatki lokalne", "24 h", "24 h"),
            h("Testy"),
            p("Plan testuje się raz w roku w formie ćwiczenia sztabowego."),
        ),
        ("bcp_drp",),
        "policy",
    ),
    HeldOut(
        _d(
            "DRP_serwerownia.pdf",
            title("Plan odtwarzania systemów informatycznych po awarii"),
            p("Dotyczy serwerowni w budynku Urzędu przy ul. Rynek 1."),
            p("Kolejność odtwarzania: kontroler domeny, EZD, system finansowo-księgowy, poczta."),
            p("Czas odtworzenia EZD nie może przekroczyć 8 godzin."),
        ),
        ("bcp_drp",),
        "policy",
    ),
    HeldOut(
        _d(
            "bcp.txt",
            p("Zalacznik nr 4 do Polityki Bezpieczenstwa Informacji Gminy Dobra"),
            p("PLAN CIAGLOSCI DZIALANIA"),
            p("1. Scenariusze: pozar serwerowni, brak zasilania, ransomware."),
            p("2. Zespol kryzysowy: Sekretarz, informatyk, Skarbnik."),
        ),
        ("bcp_drp",),
        "policy",
    ),
    HeldOut(
        _d(
            "Zarzadzenie_kopie.docx",
            p(
                "ZARZĄDZENIE NR 120.15.2025 STAROSTY POWIATU GOSTYŃSKIEGO z dnia 20 lutego 2025 r. w sprawie "
                "wprowadzenia Procedury tworzenia i przechowywania kopii zapasowych"
            ),
            p("§ 1. Wprowadza się Procedurę, stanowiącą załącznik do niniejszego zarządzenia."),
            title("Procedura tworzenia i przechowywania kopii zapasowych"),
            p("Kopie przyrostowe wykonuje się codziennie, pełne co tydzień; retencja 90 dni."),
            p("Jedna kopia jest przechowywana offline w budynku Starostwa przy ul. Kościelnej."),
        ),
        ("backup_policy",),
        "act",
    ),
    HeldOut(
        _d(
            "polityka_backupu.odt",
            title("Polityka wykonywania kopii bezpieczeństwa danych"),
            p("Dokument obowiązuje administratorów systemów Urzędu Miejskiego w Brzegu."),
            p("Test odtworzenia wykonuje się co kwartał i dokumentuje protokołem."),
        ),
        ("backup_policy",),
        "policy",
    ),
    HeldOut(
        _d(
            "Instrukcja_backup.pdf",
            p("Załącznik nr 5 do Polityki Bezpieczeństwa Informacji"),
            title("Instrukcja wykonywania i testowania kopii zapasowych"),
            p("Kopie baz danych wykonywane są automatycznie o godzinie 22:00."),
            p("Nośniki z kopią tygodniową przechowuje Skarbnik w sejfie."),
        ),
        ("backup_policy",),
        "policy",
    ),
    HeldOut(
        _d(
            "kryptografia.docx",
            title("Zasady stosowania zabezpieczeń kryptograficznych"),
            p("Załącznik nr 6 do Polityki Bezpieczeństwa Informacji Gminy Suchy Las"),
            p("Dyski laptopów szyfruje się BitLockerem (AES-256). Klucze odzyskiwania przechowuje informatyk."),
        ),
        ("crypto_policy",),
        "policy",
    ),
    HeldOut(
        _d(
            "Polityka_szyfrowania.pdf",
            p("Zarządzenie nr 19/2025 Prezydenta Miasta Przemyśla z dnia 1 kwietnia 2025 r. w sprawie wprowadzenia Polityki szyfrowania danych"),
            p("§ 1. Wprowadza się Politykę szyfrowania danych stanowiącą załącznik."),
            p("Dopuszczalne algorytmy: AES-256, RSA 3072, ECDSA P-256."),
        ),
        ("crypto_policy",),
        "act",
    ),
    HeldOut(
        _d(
            "szyfrowanie.txt",
            p("Instrukcja szyfrowania nośników i poczty elektronicznej"),
            p("Pendrive'y służbowe są szyfrowane. Załączniki z danymi osobowymi wysyła się w archiwum zaszyfrowanym hasłem."),
        ),
        ("crypto_policy",),
        "policy",
    ),
    HeldOut(
        _d(
            "zarzadzanie_uprawnieniami.odt",
            p("Załącznik nr 3 do Zarządzenia Nr 15/2025 Wójta Gminy Krzeszowice z dnia 3 marca 2025 r."),
            title("Procedura zarządzania uprawnieniami użytkowników systemów informatycznych"),
            p("Uprawnienia nadaje administrator na wniosek kierownika referatu; odbiera w dniu ustania zatrudnienia."),
        ),
        ("access_control_policy",),
        "policy",
    ),
    HeldOut(
        _d(
            "Polityka_hasel.docx",
            title("Zasady tworzenia i stosowania haseł"),
            p("Hasło ma co najmniej 14 znaków. Konta administratorów chroni uwierzytelnianie wieloskładnikowe."),
        ),
        ("access_control_policy",),
        "policy",
    ),
    HeldOut(
        _d(
            "kontrola_dostepu.pdf",
            title("Polityka kontroli dostępu do systemów i pomieszczeń"),
            p("Wersja 1.0 z dnia 11.09.2025, zatwierdzona przez Burmistrza."),
            p("Dostęp do serwerowni mają wyłącznie informatyk i Sekretarz. Uprawnienia przegląda się raz w roku."),
        ),
        ("access_control_policy",),
        "policy",
    ),
    HeldOut(
        _d(
            "Zarzadzenie_praca_zdalna.pdf",
            p("Zarządzenie Nr 61/2025 Wójta Gminy Michałowice z dnia 22 lipca 2025 r. w sprawie wprowadzenia Regulaminu pracy zdalnej"),
            p("§ 1. Wprowadza się Regulamin pracy zdalnej w Urzędzie Gminy Michałowice, stanowiący załącznik."),
            title("Regulamin pracy zdalnej"),
            p("Pracownik łączy się z systemami Urzędu wyłącznie przez VPN na służbowym laptopie."),
        ),
        ("remote_work_rules",),
        "act",
    ),
    HeldOut(
        _d(
            "urzadzenia_mobilne.docx",
            title("Zasady korzystania ze służbowych urządzeń mobilnych"),
            p("Telefon służbowy ma włączoną blokadę ekranu i szyfrowanie. Utratę telefonu zgłasza się natychmiast."),
        ),
        ("remote_work_rules",),
        "policy",
    ),
    HeldOut(
        _d(
            "telepraca.odt",
            p("Załącznik do Zarządzenia nr 5/2026 Burmistrza Miasta Kórnik z dnia 9 stycznia 2026 r."),
            title("Regulamin wykonywania pracy zdalnej przez pracowników Urzędu Miejskiego w Kórniku"),
            p("§ 1. Praca zdalna jest wykonywana na sprzęcie powierzonym przez pracodawcę."),
        ),
        ("remote_work_rules",),
        "policy",
    ),
    HeldOut(
        _d(
            "Ewidencja_sprzetu_2026.odt",
            title("Ewidencja sprzętu komputerowego i oprogramowania"),
            p("Stan na dzień 31.10.2026"),
            row("Nr inw.", "Rodzaj", "Model", "Użytkownik", "System"),
            row("013-0045", "Komputer", "Dell OptiPlex 7010", "Referat Podatków", "Windows 11 Pro"),
            row("013-0046", "Laptop", "HP ProBook 450", "Sekretarz", "Windows 11 Pro"),
        ),
        ("asset_inventory",),
        "record",
    ),
    HeldOut(
        _d(
            "wykaz_oprogramowania.pdf",
            title("Wykaz oprogramowania i licencji – Urząd Gminy Zbąszyń"),
            row("Program", "Wersja", "Licencja", "Stanowiska"),
            row("Microsoft Office", "2021 LTSC", "zbiorcza", "42"),
            row("EZD RP", "3.4", "otwarta", "wszystkie"),
        ),
        ("asset_inventory",),
        "record",
    ),
    HeldOut(
        _d(
            "inwentaryzacja_IT.txt",
            p("INWENTARYZACJA ZASOBOW INFORMATYCZNYCH"),
            p("Serwery: 2 (Dell R650, HPE DL360). Stacje robocze: 38. Drukarki sieciowe: 6."),
            p("Data: 02.10.2026, sporzadzil: informatyk"),
        ),
        ("asset_inventory",),
        "record",
    ),
    HeldOut(
        _d(
            "Rejestr_szkolen_2026.docx",
            title("Rejestr szkoleń z cyberbezpieczeństwa 2026"),
            row("Data", "Temat", "Uczestnik", "Podpis"),
            row("12.03.2026", "Bezpieczna praca zdalna i urządzenia mobilne", "A. Nowak", "podpisano"),
            row("12.03.2026", "Phishing w praktyce", "B. Kowalska", "podpisano"),
            row("20.05.2026", "Polityka kopii zapasowych dla kierowników", "C. Wiśniewski", "podpisano"),
        ),
        ("training",),
        "record",
    ),
    HeldOut(
        _d(
            "plan_szkolen_2027.pdf",
            title("Plan szkoleń pracowników w zakresie bezpieczeństwa informacji na rok 2027"),
            p("Zatwierdzam, Wójt Gminy Pcim, 20.11.2026"),
            row("Kwartał", "Temat", "Grupa"),
            row("I", "Cyberhigiena i rodzaje zagrożeń", "wszyscy"),
            row("III", "Reagowanie na incydenty", "kierownicy"),
        ),
        ("training",),
        "policy",
    ),
    HeldOut(
        _d(
            "lista_obecnosci.odt",
            title("Lista obecności – szkolenie „Cyberbezpieczeństwo w urzędzie” 15.10.2026"),
            row("Lp.", "Imię i nazwisko", "Stanowisko", "Podpis"),
            row("1", "Anna Zielińska", "podinspektor", "A.Z."),
            row("2", "Piotr Mazur", "informatyk", "P.M."),
        ),
        ("training",),
        "record",
    ),
    HeldOut(
        _d(
            "Sprawozdanie_audyt_2026.pdf",
            title("Sprawozdanie z audytu wewnętrznego bezpieczeństwa informacji przeprowadzonego w Urzędzie Gminy Lubicz"),
            p("Audyt przeprowadzono w dniach 5–9 października 2026 r. zgodnie z §20 ust. 2 pkt 14 KRI."),
            h("Ustalenia"),
            p("Stwierdzono 3 niezgodności i 5 spostrzeżeń."),
            h("Zalecenia"),
            p("Zaktualizować analizę ryzyka; przeprowadzić test odtworzenia."),
        ),
        ("internal_audit",),
        "report",
    ),
    HeldOut(
        _d(
            "audyt_KRI.docx",
            title("Raport z audytu zgodności z KRI"),
            p("Audytor: Jan Wrona. Data raportu: 30.06.2026"),
            p("Zakres: §20 rozporządzenia KRI. Ustalenia i rekomendacje zawiera tabela."),
        ),
        ("internal_audit",),
        "report",
    ),
    HeldOut(
        _d(
            "Rejestr_incydentow_2026.odt",
            title("Rejestr incydentów bezpieczeństwa informacji – rok 2026"),
            row("Nr", "Data", "Opis", "Działania", "CSIRT"),
            row("1/2026", "14.02.2026", "Kliknięcie w link phishingowy", "Reset hasła", "nie"),
            row("2/2026", "03.07.2026", "Awaria zasilania serwerowni", "Przejście na UPS", "nie"),
        ),
        ("incident_register",),
        "record",
    ),
    HeldOut(
        _d(
            "dziennik_incydentow.txt",
            p("Ewidencja zdarzeń i incydentów bezpieczeństwa"),
            p("2026-01-10 | zgubiony pendrive (szyfrowany) | zgłoszono Pełnomocnikowi"),
            p("2026-04-02 | podejrzana wiadomość do sekretariatu | usunięto, ostrzeżono pracowników"),
        ),
        ("incident_register",),
        "record",
    ),
    HeldOut(
        _d(
            "PBI_Gmina_Wilkow_tekst_jednolity.docx",
            p("Tekst jednolity"),
            title("Polityka bezpieczeństwa informacji w Urzędzie Gminy Wilków"),
            p("Uwzględnia zmiany wprowadzone Zarządzeniem Nr 30/2026 z dnia 10 czerwca 2026 r."),
            p("Polityka określa cele, role i odpowiedzialność oraz zasady szacowania ryzyka."),
        ),
        ("pbi",),
        "policy",
    ),
    HeldOut(
        _d(
            "Zarzadzenie_2_dokumenty.pdf",
            p(
                "Zarządzenie Nr 0050.77.2026 Wójta Gminy Oleśnica z dnia 1 września 2026 r. w sprawie wprowadzenia "
                "Polityki kopii zapasowych oraz Planu ciągłości działania"
            ),
            p("§ 1. Wprowadza się Politykę kopii zapasowych, stanowiącą załącznik nr 1."),
            p("§ 2. Wprowadza się Plan ciągłości działania, stanowiący załącznik nr 2."),
        ),
        ("backup_policy", "bcp_drp"),
        "act",
    ),
    HeldOut(
        _d(
            "Instrukcja_zarzadzania_SI.odt",
            title("Instrukcja zarządzania systemem informatycznym służącym do przetwarzania danych"),
            h("1. Procedury nadawania uprawnień"),
            p("Uprawnienia rejestruje się w ewidencji osób upoważnionych."),
            h("2. Metody uwierzytelniania"),
            p("Hasło składa się z co najmniej 12 znaków."),
        ),
        ("access_control_policy",),
        "policy",
    ),
    HeldOut(
        _d(
            "procedura_naruszenia.pdf",
            title("Procedura postępowania w przypadku naruszenia bezpieczeństwa informacji"),
            p("Naruszenie zgłasza się niezwłocznie Pełnomocnikowi; poważne incydenty – do CSIRT NASK."),
        ),
        ("incident_procedure",),
        "policy",
    ),
    HeldOut(
        _d(
            "ocena_ryzyka_EZD.txt",
            p("Ocena ryzyka dla systemu EZD RP"),
            p("Zidentyfikowane zagrożenia: awaria serwera, błąd operatora, atak DDoS."),
            p("Sporządzono: 14.05.2026"),
        ),
        ("risk_analysis",),
        "report",
    ),
    HeldOut(
        _d(
            "mobilne.pdf",
            p("Załącznik nr 7 do Polityki Bezpieczeństwa Informacji Starostwa Powiatowego w Bochni"),
            title("Zasady bezpiecznego użytkowania komputerów przenośnych"),
            p("Laptop nie może być pozostawiany bez nadzoru w samochodzie."),
        ),
        ("remote_work_rules",),
        "policy",
    ),
]


DISTRACTORS: list[HeldOut] = [
    HeldOut(
        _d(
            "Petycja_NIS2.pdf",
            p("Szanowny Pan Wójt Gminy Rokietnica"),
            title("PETYCJA"),
            p(
                "w sprawie wdrożenia Polityki Bezpieczeństwa Informacji i systemu zarządzania bezpieczeństwem "
                "informacji zgodnie z dyrektywą NIS2"
            ),
            p(
                "Na podstawie art. 63 Konstytucji RP oraz ustawy z dnia 11 lipca 2014 r. o petycjach wnosimy o "
                "przyjęcie Polityki bezpieczeństwa informacji, przeprowadzenie analizy ryzyka, wdrożenie procedury "
                "zarządzania incydentami, planu ciągłości działania i polityki kopii zapasowych."
            ),
            p("Wnosimy o udzielenie odpowiedzi pocztą elektroniczną. Z poważaniem, Fundacja Cyfrowa Gmina"),
        ),
        (),
        "petition",
    ),
    HeldOut(
        _d(
            "petycja_cyfryzacja.txt",
            p("Petycja w interesie publicznym dotycząca dotacji na cyfryzację i cyberbezpieczeństwo"),
            p("Adresat: Rada Gminy i Wójt Gminy"),
            p(
                "Wnioskujemy o sprawdzenie, czy Gmina posiada Politykę Bezpieczeństwa Informacji, plan ciągłości "
                "działania, politykę kopii zapasowych, rejestr incydentów i regulamin pracy zdalnej, a jeśli nie – o "
                "złożenie wniosku o dotację z programu Cyberbezpieczny Samorząd."
            ),
            p("Zgoda na publikację danych podmiotu wnoszącego petycję: tak."),
        ),
        (),
        "petition",
    ),
    HeldOut(
        _d(
            "Petycja_wielokrotna_automatyzacja.docx",
            p("Miejscowość, data: Warszawa, 14.10.2026"),
            p("Do: Urząd Gminy – skrzynka podawcza ePUAP"),
            title("Petycja wielokrotna w sprawie automatyzacji procesów i polityki bezpieczeństwa"),
            p(
                "§1 Wnosimy o przeanalizowanie zasadności wprowadzenia polityki bezpieczeństwa informacji "
                "obejmującej szyfrowanie, kontrolę dostępu i kopie zapasowe."
            ),
        ),
        (),
        "petition",
    ),
    HeldOut(
        _d(
            "wniosek_informacja_publiczna.docx",
            title("Wniosek o udostępnienie informacji publicznej"),
            p("Na podstawie art. 2 ust. 1 ustawy o dostępie do informacji publicznej wnoszę o udostępnienie:"),
            p("1. Polityki Bezpieczeństwa Informacji Urzędu wraz z zarządzeniem ją wprowadzającym;"),
            p("2. daty ostatniego audytu wewnętrznego bezpieczeństwa informacji;"),
            p("3. procedury zgłaszania incydentów do CSIRT."),
            p("Informację proszę przesłać na adres e-mail."),
        ),
        (),
        "information_request",
    ),
    HeldOut(
        _d(
            "UIP_cyberbezpieczenstwo.pdf",
            p("Jan Kowalski, ul. Polna 3, 00-001 Warszawa"),
            p("Urząd Gminy Lipowa"),
            title("WNIOSEK O UDOSTĘPNIENIE INFORMACJI PUBLICZNEJ"),
            p("Proszę o informację, czy Urząd posiada plan ciągłości działania oraz politykę kopii zapasowych, "
              "a jeśli tak – o ich kopie."),
        ),
        (),
        "information_request",
    ),
    HeldOut(
        _d(
            "Zapytanie_ofertowe_SZBI.pdf",
            p("Znak sprawy: ZP.271.14.2026"),
            title("ZAPYTANIE OFERTOWE"),
            p("na opracowanie dokumentacji Systemu Zarządzania Bezpieczeństwem Informacji, w tym Polityki "
              "Bezpieczeństwa Informacji, analizy ryzyka i planu ciągłości działania dla Urzędu Gminy Czarna"),
            h("1. Opis przedmiotu zamówienia"),
            p("Wykonawca opracuje politykę kopii zapasowych, procedurę obsługi incydentów i przeprowadzi szkolenia."),
            h("2. Termin składania ofert"),
            p("Oferty należy składać do 30.11.2026 r."),
        ),
        (),
        "procurement",
    ),
    HeldOut(
        _d(
            "SWZ_cyberbezpieczny_samorzad.docx",
            title("Specyfikacja Warunków Zamówienia"),
            p("Postępowanie o udzielenie zamówienia publicznego prowadzone w trybie podstawowym pn. "
              "„Cyberbezpieczny Samorząd – dostawa sprzętu i oprogramowania oraz opracowanie polityk bezpieczeństwa”"),
            p("Rozdział III. Opis przedmiotu zamówienia: audyt, polityka bezpieczeństwa informacji, "
              "procedura reagowania na incydenty, plan odtwarzania po awarii."),
        ),
        (),
        "procurement",
    ),
    HeldOut(
        _d(
            "ogloszenie_o_zamowieniu.txt",
            p("Ogłoszenie o zamówieniu – Usługi"),
            p("Przedmiot: Wykonanie audytu bezpieczeństwa informacji i aktualizacja polityki bezpieczeństwa "
              "informacji Urzędu Miasta Wągrowiec"),
            p("Kody CPV: 72000000-5, 79212000-3"),
        ),
        (),
        "procurement",
    ),
    HeldOut(
        _d(
            "Uchwala_petycja.pdf",
            p("Uchwała Nr XXIV/201/2026 Rady Gminy Rokietnica z dnia 29 października 2026 r. w sprawie "
              "rozpatrzenia petycji dotyczącej wdrożenia polityki bezpieczeństwa informacji"),
            p("§ 1. Po rozpatrzeniu petycji uznaje się ją za niezasługującą na uwzględnienie."),
            p("Uzasadnienie: Urząd posiada Politykę Bezpieczeństwa Informacji wprowadzoną zarządzeniem Wójta."),
        ),
        (),
        "resolution",
    ),
    HeldOut(
        _d(
            "uchwala_strategia.docx",
            title("Uchwała nr XI/88/2025 Rady Miejskiej w Kórniku w sprawie przyjęcia Strategii cyfryzacji Gminy Kórnik na lata 2025–2030"),
            p("§ 1. Przyjmuje się Strategię cyfryzacji, w tym plan ciągłości działania usług publicznych i "
              "politykę kopii zapasowych w jednostkach."),
        ),
        (),
        "resolution",
    ),
    HeldOut(
        _d(
            "protokol_sesji_XXIV.odt",
            title("Protokół Nr XXIV/2026 z XXIV sesji Rady Gminy Rokietnica"),
            p("Ad. 5. Radny zapytał o politykę bezpieczeństwa informacji i kopie zapasowe. Wójt odpowiedział, że "
              "procedura zarządzania incydentami jest w trakcie aktualizacji."),
        ),
        (),
        "minutes",
    ),
    HeldOut(
        _d(
            "protokol_komisji.pdf",
            title("Protokół z posiedzenia Komisji Rewizyjnej"),
            p("Komisja zapoznała się z planem szkoleń oraz rejestrem incydentów bezpieczeństwa za rok 2026."),
        ),
        (),
        "minutes",
    ),
    HeldOut(
        _d(
            "odpowiedz_na_petycje.docx",
            p("Rokietnica, dnia 5 listopada 2026 r."),
            p("OR.152.4.2026"),
            p("Fundacja Cyfrowa Gmina"),
            p("Szanowni Państwo,"),
            p("w odpowiedzi na petycję z dnia 14 października 2026 r. informuję, że Polityka Bezpieczeństwa "
              "Informacji Urzędu została wprowadzona Zarządzeniem Nr 12/2025 Wójta Gminy Rokietnica."),
            p("Z poważaniem, Wójt Gminy"),
        ),
        (),
        "correspondence",
    ),
    HeldOut(
        _d(
            "pismo_przewodnie_PBI.pdf",
            p("Starostwo Powiatowe w Bochni"),
            p("Bochnia, 12.09.2026"),
            p("Regionalna Izba Obrachunkowa w Krakowie"),
            title("Pismo przewodnie"),
            p("W załączeniu przesyłam Politykę bezpieczeństwa informacji oraz Procedurę kopii zapasowych, o "
              "które prosili Państwo w toku kontroli."),
        ),
        (),
        "correspondence",
    ),
    HeldOut(
        _d(
            "odpowiedz_UIP.txt",
            p("Znak: SO.1431.22.2026"),
            p("Odpowiedź na wniosek o udostępnienie informacji publicznej"),
            p("Uprzejmie informuję, że Urząd posiada plan ciągłości działania oraz rejestr incydentów. "
              "Dokumenty te nie podlegają udostępnieniu ze względu na bezpieczeństwo."),
        ),
        (),
        "correspondence",
    ),
    HeldOut(
        _d(
            "notatka_sluzbowa_kopie.odt",
            title("Notatka służbowa"),
            p("Dotyczy: awarii kopii zapasowych w dniu 3.11.2026. Polityka kopii zapasowych nie była "
              "przestrzegana przez firmę serwisującą."),
        ),
        (),
        "correspondence",
    ),
    HeldOut(
        _d(
            "protokol_odbioru_laptopy.pdf",
            title("Protokół odbioru sprzętu – laptopy do pracy zdalnej"),
            p("Odebrano 12 laptopów z zaszyfrowanymi dyskami zgodnie z regulaminem pracy zdalnej."),
        ),
        (),
        "record",
    ),
    HeldOut(
        _d(
            "rejestr_petycji_2026.docx",
            title("Rejestr petycji 2026"),
            row("Lp.", "Data wpływu", "Przedmiot petycji", "Sposób rozpatrzenia"),
            row("1", "14.10.2026", "Polityka bezpieczeństwa informacji i NIS2", "nieuwzględniona"),
            row("2", "20.10.2026", "Plan ciągłości działania", "w toku"),
        ),
        (),
        "record",
    ),
    HeldOut(
        _d(
            "Zarzadzenie_powolanie_pelnomocnika.pdf",
            p("Zarządzenie Nr 13/2025 Wójta Gminy Rokietnica z dnia 14 marca 2025 r. w sprawie powołania "
              "Pełnomocnika ds. Systemu Zarządzania Bezpieczeństwem Informacji"),
            p("§ 1. Powołuje się Pana Adama Nowaka na Pełnomocnika, który nadzoruje Politykę bezpieczeństwa informacji."),
        ),
        (),
        "act",
    ),
    HeldOut(
        _d(
            "polityka_rachunkowosci.docx",
            title("Zasady (polityka) rachunkowości Urzędu Gminy Lipowa"),
            p("Zasady ewidencji kosztów i kopii dokumentów księgowych."),
        ),
        (),
        "policy",
    ),
    HeldOut(
        _d(
            "sprawozdanie_cyberbezpieczny.pdf",
            title("Sprawozdanie z realizacji projektu Cyberbezpieczny Samorząd"),
            p("W ramach projektu opracowano politykę bezpieczeństwa informacji, plan ciągłości działania i "
              "przeszkolono pracowników."),
        ),
        (),
        "report",
    ),
    HeldOut(
        _d(
            "oferta_szkolenie.txt",
            p("Oferta szkoleniowa – Cyberbezpieczeństwo i NIS2 dla urzędów"),
            p("Szkolenie obejmuje: politykę bezpieczeństwa informacji, zarządzanie incydentami, kopie zapasowe."),
        ),
        (),
        "correspondence",
    ),
    HeldOut(
        _d(
            "Zarzadzenie_rozpatrzenie_skargi.odt",
            p("Zarządzenie nr 70/2026 Wójta Gminy Czarna z dnia 2 listopada 2026 r. w sprawie zmiany regulaminu "
              "wynagradzania pracowników"),
            p("§ 1. W regulaminie wynagradzania wprowadza się dodatek za pracę zdalną i obsługę kopii zapasowych."),
        ),
        (),
        "act",
    ),
]

#: A signed scan with no text layer: the probe must report it for review, typed by its file name only as a hint.
SCAN = HeldOut(
    _d(
        "Skan_Polityka_bezpieczenstwa_podpisana.pdf",
        title("Polityka bezpieczenstwa informacji Gminy Pcim"),
        p("Zatwierdzam, Wojt Gminy Pcim"),
        scan=True,
    ),
    ("pbi",),
    "policy",
)


def held_out() -> list[HeldOut]:
    """Every held-out document with text (the scan is separate: it has none to classify)."""
    return POLICIES + DISTRACTORS


# ---------------------------------------------------------------------------------------------------
# HELD-OUT-B: written 2026-12-01 23:05, AFTER the classifier was tuned (the set above was looked at
# once to find causes of 4 misses).  Measured once and reported as first measured; never tuned on.

HELD_OUT_B: list[HeldOut] = [
    HeldOut(_d("b01.docx", p("URZĄD GMINY SŁOPNICE"), title("POLITYKA BEZPIECZEŃSTWA INFORMACJI"),
               p("Wersja 3.0"), p("Dokument obowiązuje wszystkich pracowników i stażystów.")), ("pbi",), "policy"),
    HeldOut(_d("b02.pdf", p("Zarządzenie Nr 0050.14.2026 Burmistrza Miasta Ustrzyki Dolne z dnia 2 lutego 2026 r. "
                             "w sprawie przyjęcia Instrukcji postępowania z incydentami bezpieczeństwa informacji"),
               p("§ 1. Przyjmuje się Instrukcję, stanowiącą załącznik.")), ("incident_procedure",), "act"),
    HeldOut(_d("b03.odt", p("Załącznik nr 2 do Zarządzenia nr 14/2026 Wójta Gminy Jabłonna"),
               title("Plan ciągłości działania systemów teleinformatycznych"), p("RTO i RPO dla systemów.")),
            ("bcp_drp",), "policy"),
    HeldOut(_d("b04.txt", p("Regulamin korzystania z poczty elektronicznej i pracy poza siedzibą urzędu"),
               p("Praca zdalna wymaga zgody kierownika i połączenia VPN.")), (), "policy"),
    HeldOut(_d("b05.docx", title("Procedura wykonywania kopii zapasowych baz danych"), p("Kopie wykonuje się codziennie.")),
            ("backup_policy",), "policy"),
    HeldOut(_d("b06.pdf", title("Ewidencja nośników danych i kluczy szyfrujących"),
               row("Nr", "Nośnik", "Szyfrowanie"), row("1", "Pendrive 32 GB", "BitLocker To Go")), (), "record"),
    HeldOut(_d("b07.odt", title("Zasady nadawania i odbierania uprawnień w systemach dziedzinowych"),
               p("Uprawnienia nadaje informatyk na wniosek.")), ("access_control_policy",), "policy"),
    HeldOut(_d("b08.docx", title("Rejestr sprzętu komputerowego – stan na 30.09.2026"),
               row("Nr inw.", "Sprzęt", "Użytkownik"), row("1/2026", "Laptop Dell", "Sekretariat")),
            ("asset_inventory",), "record"),
    HeldOut(_d("b09.pdf", title("Raport z audytu wewnętrznego SZBI – 2026"), p("Ustalenia i zalecenia.")),
            ("internal_audit",), "report"),
    HeldOut(_d("b10.txt", p("Zarządzenie nr 3/2026 Kierownika Gminnego Ośrodka Pomocy Społecznej w sprawie "
                             "wprowadzenia Polityki bezpieczeństwa informacji w GOPS"), p("§ 1. Wprowadza się Politykę.")),
            ("pbi",), "act"),
    HeldOut(_d("b11.docx", title("Analiza ryzyka dla systemu ewidencji ludności"), p("Zagrożenia i skutki.")),
            ("risk_analysis",), "policy"),
    HeldOut(_d("b12.odt", title("Lista obecności na szkoleniu z ochrony przed phishingiem"),
               row("Lp.", "Nazwisko", "Podpis"), row("1", "Nowak", "—")), ("training",), "record"),
    HeldOut(_d("b13.pdf", title("Rejestr zdarzeń naruszających bezpieczeństwo informacji"),
               row("Data", "Opis"), row("02.02.2026", "Phishing")), ("incident_register",), "record"),
    HeldOut(_d("b14.docx", title("Polityka stosowania środków kryptograficznych"), p("AES-256 i RSA 3072.")),
            ("crypto_policy",), "policy"),
    HeldOut(_d("b15.odt", title("Regulamin pracy zdalnej pracowników Starostwa Powiatowego w Łowiczu"),
               p("Pracownik korzysta z VPN.")), ("remote_work_rules",), "policy"),
    HeldOut(_d("b16.pdf", p("Starostwo Powiatowe w Łowiczu"), title("Program szkoleń z cyberbezpieczeństwa 2027"),
               p("Szkolenia dla wszystkich pracowników.")), ("training",), "policy"),
    # distractors
    HeldOut(_d("b17.pdf", p("Sz. P. Burmistrz Miasta"), title("Petycja w sprawie cyberbezpieczeństwa placówek oświatowych"),
               p("Wnosimy o wprowadzenie polityki bezpieczeństwa informacji w szkołach.")), (), "petition"),
    HeldOut(_d("b18.docx", title("Wniosek o udostępnienie informacji publicznej – cyberbezpieczeństwo"),
               p("Proszę o kopię planu ciągłości działania.")), (), "information_request"),
    HeldOut(_d("b19.txt", p("ZAPYTANIE OFERTOWE NR 12/2026"), p("Przedmiot: usługa wykonywania kopii zapasowych w chmurze"),
               p("Wymagana polityka kopii zapasowych wykonawcy.")), (), "procurement"),
    HeldOut(_d("b20.odt", p("Uchwała Nr XXX/210/2026 Rady Powiatu Łowickiego z dnia 30 września 2026 r. w sprawie "
                             "rozpatrzenia skargi na działalność Starosty"), p("Skarga dotyczyła wycieku danych.")),
            (), "resolution"),
    HeldOut(_d("b21.pdf", title("Protokół z posiedzenia Zespołu ds. Cyberbezpieczeństwa"),
               p("Omówiono procedurę zarządzania incydentami.")), (), "minutes"),
    HeldOut(_d("b22.docx", p("Łowicz, 4 listopada 2026 r."), p("Szanowni Państwo,"),
               p("przekazuję Regulamin pracy zdalnej do zaopiniowania przez związki zawodowe.")), (), "correspondence"),
    HeldOut(_d("b23.txt", p("Informacja o przetwarzaniu danych osobowych (RODO)"),
               p("Administrator stosuje politykę bezpieczeństwa informacji.")), (), "correspondence"),
    HeldOut(_d("b24.odt", p("Zarządzenie nr 91/2026 Wójta Gminy Jabłonna w sprawie upoważnienia do przetwarzania danych"),
               p("§ 1. Upoważnia się pracownika do przetwarzania danych zgodnie z Polityką bezpieczeństwa informacji.")),
            (), "act"),
]
