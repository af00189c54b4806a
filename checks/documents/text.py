"""Folding and phrase matching that survive Polish inflection and missing diacritics.

Office documents are typed with and without Polish letters ("bezpieczeństwa",
"bezpieczenstwa") and every noun is inflected ("polityka", "polityki",
"polityką").  Text and phrases are therefore folded the same way — lower
case, diacritics removed, ``ł`` → ``l``, punctuation turned into spaces.  A
plain phrase word matches every inflected form of its lemma, taken from a
Polish dictionary (``lexicon.py``); a word ending in ``*`` matches by prefix
(for abbreviations and words the dictionary lacks); a word starting with
``=`` matches only itself ("=projekt": the draft stamp, not "projektu").  Folding keeps one
character per character, so a span found in folded text can be cut from the
original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from auditor.checks.documents import lexicon

_SPECIAL = {"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "s"}
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _SPECIAL:
        return _SPECIAL[char]
    base = unicodedata.normalize("NFKD", char)[:1] or char
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def fold(text: str) -> str:
    """Lower case without diacritics, exactly one output character per input character."""
    return "".join(_fold_char(c) for c in text)


@dataclass(frozen=True)
class Token:
    word: str
    start: int
    end: int


class Words:
    """The folded words of a text, indexed by first letter so phrase search skips most positions."""

    def __init__(self, text: str) -> None:
        self.tokens = [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(fold(text))]
        self.by_initial: dict[str, list[int]] = {}
        for position, token in enumerate(self.tokens):
            self.by_initial.setdefault(token.word[0], []).append(position)

    def __len__(self) -> int:
        return len(self.tokens)

    def starts(self, initials: set[str]) -> list[int]:
        return sorted(p for initial in initials for p in self.by_initial.get(initial, ()))


@dataclass(frozen=True)
class _Alternative:
    stem: str
    prefix: bool
    word: str = ""
    """The word as written in the profile (with Polish letters), whose lemma's forms match."""
    exact: bool = False

    def matches(self, token: str) -> bool:
        if self.prefix:
            return token.startswith(self.stem)
        return token == self.stem or (not self.exact and token in lexicon.forms(self.word))

    def initials(self) -> set[str]:
        if self.prefix or self.exact:
            return {self.stem[0]}
        return {self.stem[0]} | {form[0] for form in lexicon.forms(self.word) if form}

    def plain_word(self) -> str | None:
        return None if self.prefix or self.exact else self.word


@dataclass(frozen=True)
class Phrase:
    """A compiled phrase: a sequence of word slots, each with alternatives."""

    source: str
    slots: tuple[tuple[_Alternative, ...], ...]

    def find(self, words: Words, max_gap: int) -> list[tuple[int, int]]:
        """Every (first, last) token index where the phrase occurs, left to right, not overlapping."""
        hits: list[tuple[int, int]] = []
        after = -1
        for start in words.starts({initial for alternative in self.slots[0] for initial in alternative.initials()}):
            if start <= after:
                continue
            end = self._match_from(words.tokens, start, max_gap)
            if end is not None:
                hits.append((start, end))
                after = end
        return hits

    def occurs_in(self, words: Words, max_gap: int) -> bool:
        return bool(self.find(words, max_gap))

    def at_start(self, words: Words, max_gap: int, within: int = 0) -> bool:
        """Whether the phrase begins at one of the first ``within + 1`` words (a title that *starts* with it)."""
        return any(start <= within for start, _ in self.find(words, max_gap))

    def plain_words(self) -> list[str]:
        """The words matched through the lexicon (to ``lexicon.prepare`` them all at once)."""
        return [w for slot in self.slots for alternative in slot if (w := alternative.plain_word())]

    def _match_from(self, tokens: Sequence[Token], start: int, max_gap: int) -> int | None:
        if not _slot_matches(self.slots[0], tokens[start].word):
            return None
        position = start
        for slot in self.slots[1:]:
            for candidate in range(position + 1, min(len(tokens), position + 2 + max_gap)):
                if _slot_matches(slot, tokens[candidate].word):
                    position = candidate
                    break
            else:
                return None
        return position


def _slot_matches(slot: tuple[_Alternative, ...], word: str) -> bool:
    return any(alternative.matches(word) for alternative in slot)


class PhraseError(ValueError):
    """A phrase in the profile data cannot be compiled."""


@lru_cache(maxsize=2048)
def compile_phrase(source: str) -> Phrase:
    """``"polityk* bezpieczenstw*|ochron* informac*"`` → a Phrase; raises ``PhraseError``."""
    slots = []
    for word in source.split():
        alternatives = []
        for alternative in word.split("|"):
            prefix = alternative.endswith("*")
            exact = alternative.startswith("=") and not prefix
            stem = fold(alternative.rstrip("*").removeprefix("="))
            if not stem or not _WORD.fullmatch(stem):
                raise PhraseError(
                    f"phrase {source!r}: {alternative!r} is not a word (letters and digits, optional leading = or trailing *)"
                )
            alternatives.append(_Alternative(stem, prefix, alternative.lower(), exact))
        slots.append(tuple(alternatives))
    if not slots:
        raise PhraseError("empty phrase")
    return Phrase(source, tuple(slots))
