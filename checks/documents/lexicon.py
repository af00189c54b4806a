"""Polish inflection from a maintained lemmatiser (simplemma's Polish dictionary), not hand-written stems.

A profile phrase word written plainly ("polityka", "bezpieczeństwa") matches
every inflected form of its lemma: "polityki", "polityką", "politykę" — and,
because the forms are folded like the text, also "polityke" typed without
Polish letters, which no lemmatiser would recognise on its own.

simplemma maps form → lemma; we need lemma → forms for the (few hundred)
words the profiles use, so one pass over its 3.7 million Polish entries
builds that reverse index.  The pass takes seconds, so its result is kept
in memory and on disk (``$XDG_CACHE_HOME/auditor``), keyed by the simplemma
version and the word set: editing a profile phrase rebuilds it, nothing
else does.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Iterable

LANGUAGE = "pl"


def _fold(text: str) -> str:
    from auditor.checks.documents.text import fold

    return fold(text)


def lemma(word: str) -> str:
    """The dictionary form of a Polish word (the word itself when simplemma does not know it)."""
    import simplemma

    return str(simplemma.lemmatize(word, lang=LANGUAGE)).lower()


_FORMAT = "2"
"""Bumped when the way forms are gathered changes (the cache must not serve the old answer)."""


def _cache_file(words: list[str]) -> Path:
    key = "\n".join(words) + "\n" + version("simplemma") + "\n" + _FORMAT
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "auditor" / f"lexicon-{LANGUAGE}-{digest}.json"


def _build(words: list[str]) -> dict[str, list[str]]:
    """folded word → sorted folded forms, from one pass over the dictionary.

    A word's forms are those of its lemma *and* those listed under the word
    itself as a headword: simplemma files some verbal nouns under the verb
    ("przyjęcie" → przyjąć) and their other cases under the noun
    ("przyjęcia" → przyjęcie), so both are needed for "przyjęcie" to match
    "w sprawie przyjęcia".
    """
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    headwords = {word: {lemma(word), word.lower()} for word in words}
    wanted = set().union(*headwords.values()) if headwords else set()
    forms: dict[str, set[str]] = {value: {_fold(value)} for value in wanted}
    for form, value in DefaultDictionaryFactory().get_dictionary(LANGUAGE).items():
        lowered = value.lower()
        if lowered in wanted:
            forms[lowered].add(_fold(form.lower()))
    return {_fold(word): sorted(set().union(*(forms[h] for h in headwords[word])) | {_fold(word)}) for word in words}


def _load_or_build(words: list[str]) -> dict[str, list[str]]:
    path = _cache_file(words)
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    built = _build(words)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as handle:
            json.dump(built, handle)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home only costs the rebuild next time
    return built


_FORMS: dict[str, frozenset[str]] = {}


def prepare(words: Iterable[str]) -> None:
    """Computes (or loads) the forms of every word at once; call with all the profile's words."""
    missing = sorted({w for w in words if _fold(w) not in _FORMS})
    if missing:
        for word, forms in _load_or_build(missing).items():
            _FORMS[word] = frozenset(forms)


@lru_cache(maxsize=4096)
def forms(word: str) -> frozenset[str]:
    """Folded inflected forms of ``word``'s lemma (``prepare`` first, or this builds for one word)."""
    folded = _fold(word)
    if folded not in _FORMS:
        prepare([word])
    return _FORMS[folded]
