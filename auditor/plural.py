"""Counted nouns for user-facing lines: "1 host, 10 hostów" / "1 host, 10 hosts".

Polish has three forms: one (1), few (2–4, 22–24 … but not 12–14) and many
(0, 5–21, 25 …); English has two.  Kinds without a word of their own are
evidence sources, counted as "źródło typu …" / "… source".
"""

from __future__ import annotations

#: kind → (Polish one, few, many), (English one, many)
NOUNS: dict[str, tuple[tuple[str, str, str], tuple[str, str]]] = {
    "host": (("host", "hosty", "hostów"), ("host", "hosts")),
    "domain": (("domena", "domeny", "domen"), ("domain", "domains")),
    "system": (("system", "systemy", "systemów"), ("system", "systems")),
}
_SOURCE = (("źródło", "źródła", "źródeł"), ("source", "sources"))


def polish_form(count: int) -> int:
    """0 for the "one" form, 1 for "few", 2 for "many"."""
    if count == 1:
        return 0
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return 1
    return 2


def counted(count: int, kind: str, lang: str = "pl") -> str:
    """``count`` targets of ``kind`` with the noun in the right form."""
    polish, english = NOUNS.get(kind, _SOURCE)
    if lang == "pl":
        noun = polish[polish_form(count)]
        return f"{count} {noun}" if kind in NOUNS else f"{count} {noun} typu {kind}"
    noun = english[0 if count == 1 else 1]
    return f"{count} {noun}" if kind in NOUNS else f"{count} {kind} {noun}"
