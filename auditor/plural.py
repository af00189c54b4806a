"""Counted nouns for user-facing lines: "1 host, 10 hostów" / "1 host, 10 hosts".

The forms come from the gettext catalogue (``auditor.i18n``), whose
``Plural-Forms`` gives Polish its three: one (1), few (2–4, 22–24 … but not
12–14) and many (0, 5–21, 25 …).  Kinds without a word of their own are
evidence sources, counted as "źródło typu …" / "… source".
"""

from __future__ import annotations

from auditor.i18n import translation


def counted(count: int, kind: str, lang: str = "pl") -> str:
    """``count`` targets of ``kind`` with the noun in the right form."""
    ngettext = translation(lang).ngettext
    if kind == "host":
        text = ngettext("{n} host", "{n} hosts", count)
    elif kind == "domain":
        text = ngettext("{n} domain", "{n} domains", count)
    elif kind == "system":
        text = ngettext("{n} system", "{n} systems", count)
    else:
        text = ngettext("{n} {kind} source", "{n} {kind} sources", count)
    return text.format(n=count, kind=kind)
