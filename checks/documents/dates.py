"""Dates and approval read from the text of a Polish office document.

An audit asks three things of a policy: was it approved (an act — usually
"Zarządzenie Nr 15/2025 Wójta Gminy X z dnia 3 marca 2025 r." — or a
signature under "Zatwierdzam"), since when does it apply, and when was it
last reviewed (a revision table, "Data przeglądu: …").  Everything here
works on folded text (see ``text.fold``), so "września" and "wrzesnia" read
the same, and cuts names and numbers from the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator, Sequence

from auditor.checks.documents.text import fold

_GENITIVE = "stycznia lutego marca kwietnia maja czerwca lipca sierpnia wrzesnia pazdziernika listopada grudnia".split()
_NOMINATIVE = "styczen luty marzec kwiecien maj czerwiec lipiec sierpien wrzesien pazdziernik listopad grudzien".split()
_ENGLISH = "january february march april may june july august september october november december".split()
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
MONTHS = {name: number for names in (_GENITIVE, _NOMINATIVE, _ENGLISH) for number, name in enumerate(names, 1)}
_ROMAN_MONTHS = {name: number for number, name in enumerate(_ROMAN, 1)}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ROMAN_RE = "|".join(sorted(_ROMAN_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})\s*(?P<m1>{_MONTH})\s*(?P<y1>\d{{4}})"  # 3 marca 2025
    rf"|\b(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"  # March 3, 2025
    rf"|\b(?P<y3>\d{{4}})-(?P<m3>\d{{1,2}})-(?P<d3>\d{{1,2}})\b"  # 2025-03-03
    rf"|\b(?P<d4>\d{{1,2}})[./-](?P<m4>\d{{1,2}})[./-](?P<y4>\d{{4}})\b"  # 03.03.2025
    rf"|\b(?P<d5>\d{{1,2}})[ .](?P<m5>{_ROMAN_RE})[ .](?P<y5>\d{{4}})\b"  # 3.III.2025
    rf"|\b(?P<m6>{_MONTH})\s+(?P<y6>\d{{4}})\b"  # marzec 2025 (first of the month)
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: date


def find_dates(folded: str) -> list[FoundDate]:
    """Every valid calendar date in folded text, in order."""
    found = []
    for match in _DATE.finditer(folded):
        value = _to_date(match.groupdict())
        if value is not None:
            found.append(FoundDate(match.start(), match.end(), value))
    return found


def _to_date(groups: dict[str, str | None]) -> date | None:
    for n in "123456":
        year = groups.get(f"y{n}")
        if year is None:
            continue
        month_text = groups[f"m{n}"] or ""
        month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text) or _ROMAN_MONTHS.get(month_text)
        day = int(groups.get(f"d{n}") or 1)
        try:
            value = date(int(year), int(month or 0), day)
        except ValueError:
            return None
        return value if 1990 <= value.year <= 2100 else None
    return None


def parse_date(text: str) -> date | None:
    """The first date in ``text`` (any supported spelling)."""
    found = find_dates(fold(text))
    return found[0].value if found else None


# ------------------------------------------------------------------ approval

_ACT = re.compile(
    r"\b(?P<kind>zarzadzeni|uchwal|decyzj)[a-z]*\s+(?:nr|numer)\.?\s*(?P<number>[0-9a-z][0-9a-z./-]*[0-9])"
)
_SIGNATURE = re.compile(r"(?<!nie )(?<!not )\b(zatwierdzam|zatwierdzil[a]?|zatwierdzono|approved by|approved on)\b")
_EFFECTIVE = re.compile(
    r"\b(wchodzi|wchodza) w zycie\b|\bobowiazuje\s+od\b|\bstosuje sie od\b|\beffective( from| date| as of)?\b"
)
_FROM_SIGNING = re.compile(r"\bz dniem (podpisania|ogloszenia|wydania)\b")
_DOCUMENT_DATE = re.compile(
    r"\bdata (sporzadzenia|opracowania|wydania|dokumentu|utworzenia|raportu|audytu)\b"
    r"|\bsporzadzon[a-z]*\b|\bprzeprowadzon[a-z]* (w dniu|w dniach|dnia)\b|\b[a-z]+, (dnia|dn\.?) |\bdate\b"
)
_REVIEW = re.compile(
    r"\b(przeglad|aktualizac|zaktualizowan|rewizj|wersj|zweryfikowan|weryfikacj|review|revis|updated|version)"
)
_NEXT = re.compile(r"\b(nastepn|kolejn|planowan|next)")
_HISTORY = re.compile(
    r"\b(historia zmian|rejestr zmian|metryka|historia wersji|przeglady dokumentu"
    r"|revision history|change history|version history)"
)
_ACT_KIND = {"zarzadzeni": "zarządzenie", "uchwal": "uchwała", "decyzj": "decyzja"}
#: "Traci moc Zarządzenie Nr 5/2019 …" names the act this one replaces, not its approval.
_REPEALED = re.compile(r"\b(traci|traca) moc\W*$|\buchyla sie\W*$|\brepeal[a-z]*\W*$")

HEAD_CHARS = 3000
TAIL_CHARS = 3000
_NEAR = 160


def _first_date_after(dates: Sequence[FoundDate], position: int, within: int = _NEAR) -> FoundDate | None:
    for found in dates:
        if position <= found.start <= position + within:
            return found
    return None


def _in_edges(position: int, length: int) -> bool:
    """Approval and review marks live at the top (act header) or the bottom (signature, metryka)."""
    return position < HEAD_CHARS or position > length - TAIL_CHARS


def approval(text: str, folded: str, dates: Sequence[FoundDate]) -> dict[str, Any] | None:
    """The approving act (zarządzenie/uchwała with number and date) or a dated approval signature."""
    for match in _ACT.finditer(folded):
        if not _in_edges(match.start(), len(folded)) or _REPEALED.search(
            folded[max(0, match.start() - 40) : match.start()]
        ):
            continue
        found = _first_date_after(dates, match.end(), 200)
        if found is None:
            continue
        between = text[match.end() : found.start]
        issuer = _squash(re.split(r"\bz\s+dnia\b|\bdnia\b|\bz\b\s*$", between, flags=re.I)[0]).strip(" ,")
        return {
            "kind": _ACT_KIND[match.group("kind")],
            "number": text[match.start("number") : match.end("number")],
            "issuer": issuer[:120] or None,
            "date": found.value.isoformat(),
            "text": _squash(text[match.start() : found.end]),
        }
    for match in _SIGNATURE.finditer(folded):
        if not _in_edges(match.start(), len(folded)):
            continue
        found = _first_date_after(dates, match.end()) or _last_date_before(dates, match.start())
        if found is not None:
            start, end = min(match.start(), found.start), max(match.end(), found.end)
            return {
                "kind": "podpis",
                "number": None,
                "issuer": None,
                "date": found.value.isoformat(),
                "text": _squash(text[start:end]),
            }
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:240]


def _last_date_before(dates: Sequence[FoundDate], position: int, within: int = 80) -> FoundDate | None:
    before = [d for d in dates if position - within <= d.end <= position]
    return before[-1] if before else None


# ------------------------------------------------------------------ other dates


def _dates_after(
    pattern: re.Pattern[str], folded: str, dates: Sequence[FoundDate], *, edges_only: bool
) -> Iterator[date]:
    for match in pattern.finditer(folded):
        if edges_only and not _in_edges(match.start(), len(folded)):
            continue
        found = _first_date_after(dates, match.end(), 60)
        if found is not None:
            yield found.value


def _line_spans(folded: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in folded.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _review_dates(folded: str, dates: Sequence[FoundDate]) -> tuple[list[date], list[date]]:
    """Dates on revision lines (at the edges) and in a revision-history table (anywhere)."""
    revisions: list[date] = []
    upcoming: list[date] = []
    in_history = 0
    for start, end in _line_spans(folded):
        line = folded[start:end]
        line_dates = [d.value for d in dates if start <= d.start < end]
        if _HISTORY.search(line):
            in_history = 30
        elif in_history:
            in_history = in_history - 1 if (line_dates or len(line) < 150) else 0
        if not line_dates:
            continue
        if _NEXT.search(line):
            upcoming.extend(line_dates)
        elif in_history or (_REVIEW.search(line) and _in_edges(start, len(folded))):
            revisions.extend(line_dates)
    return revisions, upcoming


def document_dates(text: str) -> dict[str, Any]:
    """Approval, effective, document and review dates found in the text (ISO strings or None)."""
    folded = fold(text)
    dates = find_dates(folded)
    act = approval(text, folded, dates)
    effective = next(_dates_after(_EFFECTIVE, folded, dates, edges_only=False), None)
    effective_from_signing = effective is None and act is not None and bool(_FROM_SIGNING.search(folded))
    if effective_from_signing and act is not None:
        effective = date.fromisoformat(act["date"])
    document = next(_dates_after(_DOCUMENT_DATE, folded, dates, edges_only=True), None)
    revisions, upcoming = _review_dates(folded, dates)
    return {
        "approval": act,
        "effective": effective.isoformat() if effective else None,
        "effective_from_signing": effective_from_signing,
        "document": document.isoformat() if document else None,
        "revisions": sorted({d.isoformat() for d in revisions}),
        "last_review": max(revisions).isoformat() if revisions else None,
        "next_review": min(upcoming).isoformat() if upcoming else None,
    }
