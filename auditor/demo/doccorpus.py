"""A labelled corpus of a Polish office's security documents, dated relative to "today".

The demo lab writes a realistic subset into its documents folder; the tests
and ``bench/documents_bench.py`` write all of it and compare the
classifier's answer with the label.  Near-misses are part of the corpus on
purpose: a draft, a 2019 policy, a report *about* the policy, a letter that
mentions "polityka bezpieczeństwa" in passing.  Dates are computed from
``today`` so "approved two months ago" stays true whenever the tests run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from auditor.demo.docwriter import Doc, h, p, row, title

_GENITIVE = "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia".split()
OFFICE = "Urzędu Gminy Łąka"


def pl_date(day: date) -> str:
    """``3 marca 2025 r.`` — how Polish acts write dates."""
    return f"{day.day} {_GENITIVE[day.month - 1]} {day.year} r."


def dotted(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def months_before(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, min(today.day, 28))


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=timezone.utc)


def act(number: str, day: date, subject: str) -> str:
    return f"Zarządzenie Nr {number} Wójta Gminy Łąka z dnia {pl_date(day)} w sprawie {subject}"


def annex(number: str, day: date) -> str:
    return f"Załącznik nr 1 do Zarządzenia Nr {number} Wójta Gminy Łąka z dnia {pl_date(day)}"


def history(*entries: tuple[str, date, str]) -> tuple:
    """A revision table ("Historia zmian") as a heading plus rows."""
    return (
        h("Historia zmian"),
        row("Wersja", "Data", "Opis zmian", "Zatwierdził"),
        *(row(version, dotted(day), what, "Wójt Gminy") for version, day, what in entries),
    )


@dataclass(frozen=True)
class Labelled:
    doc: Doc
    types: tuple[str, ...]
    """The document types a careful auditor would assign (empty: none of the expected ones)."""
    note: str = ""


# ------------------------------------------------------------------ documents


def pbi(today: date, filename: str = "Polityka_bezpieczenstwa_informacji.docx") -> Doc:
    approved = months_before(today, 2)
    return Doc(
        filename,
        (
            p(
                act(
                    f"12/{approved.year}",
                    approved,
                    "wprowadzenia Polityki bezpieczeństwa informacji w Urzędzie Gminy Łąka",
                )
            ),
            title("Polityka bezpieczeństwa informacji Urzędu Gminy Łąka"),
            h("1. Cel i zakres"),
            p(
                "Celem polityki jest zapewnienie poufności, integralności i dostępności informacji przetwarzanych w urzędzie. "
                "Zakres stosowania obejmuje wszystkie systemy teleinformatyczne, dokumenty papierowe i pracowników."
            ),
            h("2. Role i odpowiedzialność"),
            p(
                "Wójt Gminy odpowiada za ustanowienie systemu zarządzania bezpieczeństwem informacji (SZBI). "
                "Pełnomocnik ds. bezpieczeństwa informacji koordynuje jego działanie, administratorzy systemów odpowiadają za zabezpieczenia techniczne."
            ),
            h("3. Zarządzanie ryzykiem"),
            p("Analiza ryzyka jest przeprowadzana co najmniej raz w roku według metodyki zatwierdzonej przez Wójta."),
            h("4. Przegląd polityki"),
            p("Polityka podlega przeglądowi i aktualizacji co najmniej raz w roku oraz po każdym poważnym incydencie."),
            p("§ 3. Zarządzenie wchodzi w życie z dniem podpisania."),
            *history(
                ("1.0", months_before(today, 26), "Wersja pierwotna"),
                ("2.0", approved, "Przegląd roczny, dostosowanie do ustawy o KSC"),
            ),
        ),
        meta_title="Polityka bezpieczeństwa informacji",
        created=_stamp(approved),
    )


def risk_2019(filename: str = "Analiza_ryzyka_2019.pdf") -> Doc:
    made = date(2019, 5, 15)
    return Doc(
        filename,
        (
            title("Raport z analizy ryzyka"),
            p("Urząd Gminy Łąka"),
            p(f"Łąka, dnia {pl_date(made)}"),
            h("1. Metodyka"),
            p(
                "Ryzyko wyznaczono jako iloczyn prawdopodobieństwa wystąpienia zagrożenia (skala 1–5) i skutków (skala 1–5). "
                "Akceptowalny poziom ryzyka wynosi 6."
            ),
            h("2. Zidentyfikowane zagrożenia i podatności"),
            row("Aktywo", "Zagrożenie", "Podatność", "Poziom ryzyka"),
            row("Serwer plików", "Ransomware", "Brak kopii offline", "20"),
            row("Poczta elektroniczna", "Phishing", "Brak szkoleń", "16"),
            h("3. Plan postępowania z ryzykiem"),
            p("Dla ryzyk powyżej poziomu akceptowalnego wskazano działania, osoby odpowiedzialne i terminy."),
            p(f"Zatwierdzam: Wójt Gminy Łąka, {dotted(date(2019, 5, 20))}"),
        ),
        meta_title="Raport z analizy ryzyka 2019",
    )


def incident_procedure(
    today: date, filename: str = "Procedura_zarzadzania_incydentami.odt", complete: bool = True
) -> Doc:
    approved = months_before(today, 5)
    deadlines = (
        (
            p(
                "Pełnomocnik przekazuje wczesne ostrzeżenie do CSIRT NASK w ciągu 24 godzin od wykrycia poważnego incydentu, "
                "zgłoszenie incydentu w ciągu 72 godzin, a raport końcowy w ciągu miesiąca od zgłoszenia."
            ),
            p("Dane kontaktowe: CSIRT NASK, https://incydent.cert.pl, telefon dyżurny."),
        )
        if complete
        else (p("Pełnomocnik niezwłocznie informuje Wójta o incydencie i uzgadnia dalsze działania."),)
    )
    return Doc(
        filename,
        (
            p(annex(f"31/{approved.year}", approved)),
            title("Procedura zarządzania incydentami bezpieczeństwa informacji"),
            h("1. Zgłaszanie incydentów"),
            p(
                "Każdy pracownik zgłasza incydent lub podejrzenie incydentu pełnomocnikowi telefonicznie lub na adres incydent@laka.test."
            ),
            h("2. Obsługa incydentu"),
            p(
                "Pełnomocnik klasyfikuje zdarzenie, ogranicza skutki, usuwa przyczynę i odtwarza działanie systemów. Incydent wpisuje się do rejestru incydentów."
            ),
            h("3. Zgłoszenie do CSIRT"),
            *deadlines,
        ),
        created=_stamp(approved),
    )


def bcp(today: date) -> Doc:
    approved = months_before(today, 7)
    return Doc(
        "Plan_ciaglosci_dzialania.pdf",
        (
            p(annex(f"40/{approved.year}", approved)),
            title("Plan ciągłości działania i odtwarzania systemów"),
            h("1. Usługi krytyczne"),
            p("Ewidencja ludności, podatki, EZD i poczta elektroniczna. Dla każdej usługi określono RTO i RPO."),
            row("System", "RTO", "RPO"),
            row("EZD", "8 godzin", "24 godziny"),
            row("Podatki", "24 godziny", "24 godziny"),
            h("2. Zespół kryzysowy"),
            p("Skład zespołu, role i lista kontaktów do dostawców są w załączniku."),
            h("3. Testy planu"),
            p("Plan jest testowany co najmniej raz w roku w formie ćwiczenia; z testu sporządza się protokół."),
        ),
    )


def backup_policy(today: date, draft: bool = False, filename: str = "Polityka_kopii_zapasowych.docx") -> Doc:
    approved = months_before(today, 4)
    head = (
        (p("PROJEKT – wersja robocza do konsultacji"),)
        if draft
        else (p(act(f"27/{approved.year}", approved, "wprowadzenia Polityki kopii zapasowych")),)
    )
    return Doc(
        filename,
        (
            *head,
            title("Polityka kopii zapasowych"),
            h("1. Zakres i częstotliwość"),
            p(
                "Kopie baz danych EZD i systemu podatkowego wykonywane są codziennie, pełna kopia serwera plików – co tydzień."
            ),
            h("2. Retencja"),
            p("Okres przechowywania kopii dziennych wynosi 30 dni, tygodniowych 12 tygodni, miesięcznych 12 miesięcy."),
            h("3. Separacja kopii"),
            p(
                "Zgodnie z zasadą 3-2-1 jedna kopia przechowywana jest offline, poza siedzibą urzędu, na nośniku odseparowanym od sieci."
            ),
            h("4. Testy odtworzenia"),
            p(
                "Test odtworzenia kopii wykonuje się raz na kwartał dla każdego systemu; wynik wpisuje się do protokołu."
            ),
        ),
        created=_stamp(approved),
    )


def crypto_2019() -> Doc:
    approved = date(2019, 9, 2)
    return Doc(
        "Zasady_stosowania_kryptografii.odt",
        (
            p(act("55/2019", approved, "wprowadzenia Zasad stosowania kryptografii")),
            title("Zasady stosowania kryptografii"),
            h("1. Algorytmy"),
            p("Dopuszczone algorytmy: AES-256, RSA 2048, SHA-256. Zakazane: MD5, SHA-1, DES."),
            h("2. Zarządzanie kluczami"),
            p("Klucze kryptograficzne generuje administrator; klucze odzyskiwania przechowuje się w sejfie."),
            h("3. Szyfrowanie urządzeń"),
            p("Dyski laptopów i nośniki wynośne szyfruje się (BitLocker)."),
        ),
    )


def access_control(today: date) -> Doc:
    approved = months_before(today, 9)
    return Doc(
        "Instrukcja_zarzadzania_systemem_informatycznym.docx",
        (
            title("Instrukcja zarządzania systemem informatycznym"),
            h("1. Nadawanie uprawnień"),
            p(
                "Nadawanie uprawnień odbywa się na pisemny wniosek kierownika komórki, w zakresie niezbędnym do wykonywania zadań. "
                "Odbieranie uprawnień następuje w dniu ustania zatrudnienia."
            ),
            h("2. Hasła i uwierzytelnianie"),
            p(
                "Hasło ma co najmniej 12 znaków. Dostęp zdalny i konta administratorów wymagają uwierzytelniania wieloskładnikowego (MFA)."
            ),
            h("3. Przegląd uprawnień"),
            p("Przegląd uprawnień wykonuje się raz w roku."),
            p(f"Zatwierdzam, {dotted(approved)}, Wójt Gminy Łąka"),
        ),
        header=f"Załącznik nr 2 do Zarządzenia Nr 12/{approved.year} Wójta Gminy Łąka z dnia {pl_date(approved)}",
    )


def remote_work(today: date) -> Doc:
    approved = months_before(today, 3)
    return Doc(
        "Regulamin_pracy_zdalnej.pdf",
        (
            p(act(f"44/{approved.year}", approved, "wprowadzenia Regulaminu pracy zdalnej")),
            title("Regulamin pracy zdalnej i korzystania z urządzeń mobilnych"),
            p("§ 1. Praca zdalna wykonywana jest wyłącznie na służbowym laptopie z zaszyfrowanym dyskiem."),
            p(
                "§ 2. Połączenie z systemami urzędu odbywa się tylko przez VPN. Zabrania się korzystania z publicznych sieci bez VPN."
            ),
            p("§ 3. Utratę lub kradzież urządzenia mobilnego pracownik zgłasza niezwłocznie jako incydent."),
        ),
    )


def asset_inventory(today: date) -> Doc:
    updated = months_before(today, 1)
    return Doc(
        "Inwentaryzacja_sprzetu_i_oprogramowania.odt",
        (
            title("Ewidencja sprzętu i oprogramowania"),
            p(f"Data aktualizacji: {dotted(updated)}"),
            h("Sprzęt"),
            row("Nr inwentarzowy", "Sprzęt", "Numer seryjny", "Lokalizacja"),
            row("UG/IT/001", "Serwer Dell R740", "7XK2J93", "Serwerownia"),
            row("UG/IT/014", "Laptop Lenovo T14", "PF3A2B", "Sekretariat"),
            h("Oprogramowanie"),
            row("Oprogramowanie", "Wersja", "Licencja"),
            row("Windows Server", "2022", "OEM"),
            row("EZD RP", "3.2", "Licencja otwarta"),
            p(f"Zatwierdzam, {dotted(updated)}, Sekretarz Gminy"),
        ),
        created=_stamp(updated),
    )


def training(today: date) -> Doc:
    approved = months_before(today, 10)
    return Doc(
        "Plan_szkolen_2026.docx",
        (
            title("Plan szkoleń z zakresu bezpieczeństwa informacji"),
            p(f"Zatwierdzam: Wójt Gminy Łąka, {dotted(approved)}"),
            row("Termin", "Temat", "Uczestnicy"),
            row("marzec", "Rodzaje zagrożeń, phishing, cyberhigiena", "wszyscy pracownicy"),
            row("wrzesień", "Reagowanie na incydenty i konsekwencje naruszeń", "wszyscy, w tym kierownictwo"),
            h("Potwierdzenia udziału"),
            p("Udział potwierdza się podpisem na liście obecności."),
        ),
    )


def internal_audit(today: date, months_old: int = 2, filename: str = "Raport_z_audytu_wewnetrznego.pdf") -> Doc:
    done = months_before(today, months_old)
    return Doc(
        filename,
        (
            title("Raport z audytu wewnętrznego bezpieczeństwa informacji"),
            p(f"Audyt przeprowadzono w dniach {dotted(done)}. Data raportu: {dotted(done)}"),
            h("1. Zakres i kryteria"),
            p("Zakres audytu: SZBI urzędu; kryteria: KRI §20, załącznik 4 do ustawy o KSC."),
            h("2. Ustalenia"),
            p("Stwierdzono dwie niezgodności: brak testu odtworzenia kopii oraz nieaktualną analizę ryzyka."),
            h("3. Zalecenia"),
            p("Zalecenia i działania korygujące z terminami zawiera tabela w załączniku."),
        ),
    )


def incident_register(today: date) -> Doc:
    return Doc(
        "Rejestr_incydentow.odt",
        (
            title("Rejestr incydentów bezpieczeństwa informacji"),
            row("Lp.", "Data wykrycia", "Opis", "Podjęte działania", "Zgłoszono do CSIRT"),
            row(
                "1",
                dotted(months_before(today, 6)),
                "Phishing na skrzynkę sekretariatu",
                "Zablokowano konto, zmiana hasła",
                "nie",
            ),
            row("2", dotted(months_before(today, 2)), "Zgubiony pendrive", "Nośnik był szyfrowany", "nie"),
        ),
    )


def english_policy(today: date) -> Doc:
    approved = months_before(today, 6)
    return Doc(
        "information-security-policy.md",
        (
            title("Information Security Policy"),
            p(f"Approved by the Mayor on {approved.strftime('%B')} {approved.day}, {approved.year}."),
            h("Purpose and scope"),
            p(
                "This policy protects the confidentiality, integrity and availability of information of the municipal office."
            ),
            h("Responsibilities"),
            p("The security officer coordinates risk assessment and incident handling."),
        ),
    )


def english_incident_plan(today: date) -> Doc:
    return Doc(
        "incident_response_plan.docx",
        (
            title("Incident Response Plan"),
            p(
                "Staff report incidents to the security officer. Early warning goes to CSIRT NASK within 24 hours, "
                "the incident notification within 72 hours, a final report within one month."
            ),
        ),
        meta_title="Incident Response Plan",
    )


def plain_ascii_pbi(today: date) -> Doc:
    approved = months_before(today, 8)
    return Doc(
        "pbi_bez_polskich_znakow.txt",
        (
            p(f"Zarzadzenie nr 7/{approved.year} Wojta Gminy Laka z dnia {dotted(approved)} w sprawie wprowadzenia"),
            p("POLITYKI BEZPIECZENSTWA INFORMACJI"),
            p("Polityka okresla zasady ochrony poufnosci, integralnosci i dostepnosci informacji w urzedzie."),
        ),
    )


def combined_act(today: date) -> Doc:
    approved = months_before(today, 1)
    return Doc(
        "Zarzadzenie_SZBI.pdf",
        (
            p(
                act(
                    f"61/{approved.year}",
                    approved,
                    "wprowadzenia Polityki bezpieczeństwa informacji oraz Procedury reagowania na incydenty",
                )
            ),
            p("§ 1. Wprowadza się Politykę bezpieczeństwa informacji stanowiącą załącznik nr 1."),
            p(
                "§ 2. Wprowadza się Procedurę reagowania na incydenty stanowiącą załącznik nr 2; zgłoszenia do CSIRT NASK "
                "przekazuje się w ciągu 24 godzin (wczesne ostrzeżenie) i 72 godzin (zgłoszenie)."
            ),
        ),
    )


def risk_methodology(today: date) -> Doc:
    approved = months_before(today, 11)
    return Doc(
        "Metodyka_szacowania_ryzyka.docx",
        (
            title("Metodyka szacowania ryzyka"),
            p(f"Wersja 1.2 z dnia {dotted(approved)}"),
            p(
                "Ryzyko = prawdopodobieństwo × skutki. Zagrożenia i podatności identyfikuje właściciel aktywa. "
                "Plan postępowania z ryzykiem zatwierdza Wójt."
            ),
        ),
    )


def scanned_pbi(today: date) -> Doc:
    return Doc(
        "Skan_PBI_podpisany.pdf",
        (
            title("Polityka bezpieczenstwa informacji"),
            p("Zatwierdzam, Wojt Gminy Laka (podpis nieczytelny)"),
        ),
        scan=True,
    )


# ------------------------------------------------------------------ near-misses


def regulamin_organizacyjny() -> Doc:
    return Doc(
        "Regulamin_organizacyjny.pdf",
        (
            title("Regulamin organizacyjny Urzędu Gminy Łąka"),
            p("§ 1. Regulamin określa organizację i zasady funkcjonowania urzędu."),
            p(
                "§ 12. Pracownicy przestrzegają polityki bezpieczeństwa informacji, instrukcji kancelaryjnej oraz zasad ochrony danych osobowych."
            ),
            p("§ 13. Sekretarz Gminy nadzoruje obieg dokumentów."),
        ),
    )


def report_about_pbi(today: date) -> Doc:
    return Doc(
        "Sprawozdanie_z_wdrozenia_PBI.docx",
        (
            title("Sprawozdanie z wdrożenia polityki bezpieczeństwa informacji za rok ubiegły"),
            p(
                "W roku ubiegłym przeprowadzono szkolenia, zaktualizowano ewidencję sprzętu i przetestowano kopie zapasowe."
            ),
        ),
    )


def session_minutes() -> Doc:
    return Doc(
        "Protokol_z_sesji_Rady_Gminy.odt",
        (
            title("Protokół z XV sesji Rady Gminy Łąka"),
            p(
                "Radni wysłuchali informacji o kopiach zapasowych i incydencie z pocztą elektroniczną. "
                "Wójt zapowiedział aktualizację polityki bezpieczeństwa informacji."
            ),
        ),
    )


def training_invitation(today: date) -> Doc:
    return Doc(
        "Zaproszenie_szkolenie.txt",
        (
            p("Zaproszenie na szkolenie z cyberbezpieczeństwa dla pracowników urzędu"),
            p("Zapraszamy na szkolenie dotyczące phishingu i bezpiecznej pracy zdalnej."),
        ),
    )


def service_contract() -> Doc:
    return Doc(
        "Umowa_serwisowa_IT.docx",
        (
            title("Umowa serwisowa nr 4/2025 na obsługę informatyczną"),
            p(
                "Wykonawca wykonuje kopie zapasowe serwera i zgłasza incydenty Zamawiającemu zgodnie z polityką kopii zapasowych Zamawiającego."
            ),
        ),
    )


def restore_test_report(today: date) -> Doc:
    return Doc(
        "Raport_z_testu_odtworzenia.pdf",
        (
            title("Raport z testu odtworzenia kopii zapasowych"),
            p(f"Data testu: {dotted(months_before(today, 1))}. Odtworzono bazę EZD w 2 godziny."),
        ),
    )


def petition() -> Doc:
    return Doc(
        "Petycja_cyberbezpieczenstwo.txt",
        (
            p("Wójt Gminy Łąka"),
            p("PETYCJA"),
            p("w sprawie przyjęcia polityki bezpieczeństwa informacji i planu ciągłości działania (NIS2)"),
            p(
                "Wnosimy o wdrożenie polityki bezpieczeństwa informacji, polityki kopii zapasowych, procedury "
                "zarządzania incydentami i szkoleń z cyberhigieny dla pracowników."
            ),
        ),
    )


def public_information_request() -> Doc:
    return Doc(
        "Wniosek_UIP.docx",
        (
            title("Wniosek o udostępnienie informacji publicznej"),
            p("Proszę o przesłanie Polityki bezpieczeństwa informacji oraz rejestru incydentów za 2025 r."),
        ),
    )


def procurement_notice() -> Doc:
    return Doc(
        "Zapytanie_ofertowe_polityka.pdf",
        (
            p("Zapytanie ofertowe nr 3/2026"),
            p("na opracowanie polityki bezpieczeństwa informacji i analizy ryzyka dla Urzędu Gminy Łąka"),
            p("Oferty należy składać do dnia 15.12.2026 r."),
        ),
    )


def council_resolution() -> Doc:
    return Doc(
        "Uchwala_Rady_cyfryzacja.odt",
        (
            p("Uchwała Nr X/55/2026 Rady Gminy Łąka z dnia 2 lutego 2026 r. w sprawie przyjęcia Programu cyfryzacji"),
            p("§ 1. Przyjmuje się Program, obejmujący politykę bezpieczeństwa informacji jednostek gminy."),
        ),
    )


def reply_letter() -> Doc:
    return Doc(
        "Odpowiedz_na_wniosek.docx",
        (
            p("Łąka, dnia 3 marca 2026 r."),
            p("Szanowni Państwo,"),
            p("uprzejmie informuję, że Polityka bezpieczeństwa informacji Urzędu Gminy Łąka jest dostępna w BIP."),
        ),
    )


def appointment_act() -> Doc:
    return Doc(
        "Zarzadzenie_powolanie_ABI.pdf",
        (
            p(act("9/2026", date(2026, 1, 12), "wyznaczenia osoby odpowiedzialnej za politykę bezpieczeństwa informacji")),
            p("§ 1. Wyznacza się Panią Ewę Nowak."),
        ),
    )


def training_register(today: date) -> Doc:
    """A register whose first table row names a remote-work topic: it is a record of training, nothing else."""
    return Doc(
        "Rejestr_szkolen.docx",
        (
            title("Rejestr szkoleń pracowników"),
            row("Data", "Temat szkolenia", "Uczestnik"),
            row(dotted(months_before(today, 2)), "Regulamin pracy zdalnej i urządzenia mobilne", "J. Nowak"),
            row(dotted(months_before(today, 1)), "Polityka bezpieczeństwa informacji – zmiany", "A. Kowal"),
        ),
    )


def annex_of_the_policy(today: date) -> Doc:
    return Doc(
        "Zalacznik_3_PBI_klasyfikacja.odt",
        (
            p("Załącznik nr 3 do Polityki bezpieczeństwa informacji"),
            title("Zasady klasyfikacji informacji"),
            p("Informacje dzieli się na publiczne, wewnętrzne i chronione."),
        ),
    )


def corpus(today: date) -> list[Labelled]:
    """Every labelled document (readable ones; the scan is separate, it has no text to classify)."""
    return [
        Labelled(pbi(today), ("pbi",), "approved policy with a revision table"),
        Labelled(risk_2019(), ("risk_analysis",), "2019 report, stale"),
        Labelled(incident_procedure(today), ("incident_procedure",)),
        Labelled(
            incident_procedure(today, "Procedura_incydenty_stara.odt", complete=False),
            ("incident_procedure",),
            "no 24 h/72 h/CSIRT",
        ),
        Labelled(bcp(today), ("bcp_drp",)),
        Labelled(backup_policy(today), ("backup_policy",)),
        Labelled(backup_policy(today, draft=True, filename="Projekt_polityki_kopii.docx"), ("backup_policy",), "draft"),
        Labelled(crypto_2019(), ("crypto_policy",), "2019 policy"),
        Labelled(access_control(today), ("access_control_policy",)),
        Labelled(remote_work(today), ("remote_work_rules",)),
        Labelled(asset_inventory(today), ("asset_inventory",)),
        Labelled(training(today), ("training",)),
        Labelled(internal_audit(today), ("internal_audit",)),
        Labelled(incident_register(today), ("incident_register",)),
        Labelled(english_policy(today), ("pbi",), "English, Markdown"),
        Labelled(english_incident_plan(today), ("incident_procedure",), "English"),
        Labelled(plain_ascii_pbi(today), ("pbi",), "no diacritics, plain text"),
        Labelled(combined_act(today), ("pbi", "incident_procedure"), "one act introducing two documents"),
        Labelled(risk_methodology(today), ("risk_analysis",)),
        Labelled(regulamin_organizacyjny(), (), "mentions the policy in passing"),
        Labelled(report_about_pbi(today), (), "a report about the policy"),
        Labelled(session_minutes(), (), "minutes mentioning backups and incidents"),
        Labelled(training_invitation(today), (), "an invitation, not a training plan"),
        Labelled(service_contract(), (), "a contract mentioning the backup policy"),
        Labelled(restore_test_report(today), (), "a restore test report, not the policy"),
        Labelled(petition(), (), "a petition asking for the policy"),
        Labelled(public_information_request(), (), "a request for public information"),
        Labelled(procurement_notice(), (), "a procurement notice for writing the policy"),
        Labelled(council_resolution(), (), "a council resolution"),
        Labelled(reply_letter(), (), "a letter about the policy"),
        Labelled(appointment_act(), (), "an act that introduces no document"),
        Labelled(training_register(today), ("training",), "a register: a record, its table rows are not titles"),
        Labelled(annex_of_the_policy(today), (), "an annex of the policy is not the policy"),
    ]
