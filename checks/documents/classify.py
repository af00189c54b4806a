"""Which expected document a text is, how sure we are, and which sections it has.

Scoring is described in ``baselines/documents.yaml``: a type counts only
when one of its title phrases names the document (in its title zone, or in
its file name backed by body phrases); body phrases alone never reach the
threshold, so a text that mentions "polityka bezpieczeństwa" in passing is
not taken for the policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Sequence

from auditor.checks.documents.profiles import DocumentType, Profiles
from auditor.checks.documents.text import Phrase, Words, compile_phrase, fold

_TOC = re.compile(r"\b(spis tresci|table of contents|contents)\b")
_ACT_HEADER = re.compile(r"\b(w sprawie|zarzadzeni|zalacznik|uchwal)|\br\.$")


def _is_prose(folded: str) -> bool:
    """A sentence of body text rather than a title line (an act header ending in "r." is a title)."""
    return folded.endswith((".", ";", ":")) and len(folded.split()) >= 6 and not _ACT_HEADER.search(folded)


_MAX_CANDIDATES = 5


@dataclass(frozen=True)
class DocumentText:
    """What the classifier reads: text blocks in order plus title hints."""

    blocks: Sequence[str]
    headings: Sequence[str] = ()
    metadata_title: str | None = None
    filename: str = ""

    def title_zone(self, blocks: int, chars: int) -> str:
        """Metadata title, first heading and the opening title lines.

        The opening stops at the first sentence of body text, a paragraph
        sign, a table of contents, or after ``chars`` characters.
        """
        parts = [self.metadata_title or "", self.headings[0] if self.headings else ""]
        budget = chars
        for block in self.blocks[:blocks]:
            folded = fold(block).strip()
            if not folded:
                continue
            if budget <= 0 or folded.startswith("§") or _TOC.search(folded) or _is_prose(folded):
                break
            parts.append(block[:budget])
            budget -= len(block)
        return "\n".join(p for p in parts if p)

    def full_text(self) -> str:
        return "\n".join(self.blocks)


def matched_phrases(candidate: dict[str, Any]) -> list[str]:
    """The phrases behind a candidate type: title, file-name and body matches, each once."""
    return list(dict.fromkeys(candidate["title"] + candidate["file"] + candidate["body"]))


def _phrases(sources: Sequence[str]) -> list[Phrase]:
    return [compile_phrase(source) for source in sources]


class Classifier:
    """Applies the profiles to documents; build once per scan (phrases are compiled once)."""

    def __init__(self, profiles: Profiles) -> None:
        self.profiles = profiles
        self.settings = profiles.classification
        self._negations = _phrases(self.settings.not_the_document)
        self._drafts = _phrases(self.settings.draft_markers)

    def examine(self, doc: DocumentText) -> dict[str, Any]:
        """Classification, sections covered per counted type, and draft markers of one document."""
        title = Words(doc.title_zone(self.settings.title_blocks, self.settings.title_chars))
        body = Words(doc.full_text())
        classification = self._classify(title, body, Words(PurePath(doc.filename).stem))
        return {
            "classification": classification,
            "sections": {type_id: self._sections(type_id, body) for type_id in classification["types"]},
            "draft_markers": [p.source for p in self._drafts if p.occurs_in(title, self.settings.max_gap)],
        }

    def filename_hints(self, filename: str) -> list[str]:
        """Types a file name suggests (for files whose text could not be read)."""
        words = Words(PurePath(filename).stem)
        return [
            type_id
            for type_id, profile in self.profiles.types.items()
            if any(p.occurs_in(words, self.settings.max_gap) for p in _phrases(profile.title))
        ]

    def _classify(self, title: Words, body: Words, filename: Words) -> dict[str, Any]:
        """Types whose confidence reaches the threshold, best first, with the phrases behind it."""
        negated_before = self._negated_positions(title)
        candidates = []
        for type_id, profile in self.profiles.types.items():
            scored = self._score(profile, title, negated_before, filename, body)
            if scored["confidence"] > 0:
                candidates.append({"type": type_id, **scored})
        candidates.sort(key=lambda c: (-c["confidence"], c["type"]))
        counted = [c for c in candidates if c["confidence"] >= self.settings.threshold]
        best = counted[0] if counted else None
        return {
            "types": [c["type"] for c in counted],
            "type": best["type"] if best else None,
            "confidence": best["confidence"] if best else 0.0,
            "matched": matched_phrases(best) if best else [],
            "candidates": candidates[:_MAX_CANDIDATES],
        }

    def _sections(self, type_id: str, body: Words) -> dict[str, list[str]]:
        """Which of the type's sections the text covers."""
        found, missing_required, missing_optional = [], [], []
        for section in self.profiles.types[type_id].sections:
            if any(p.occurs_in(body, self.settings.max_gap) for p in section.phrases()):
                found.append(section.id)
            else:
                (missing_required if section.required else missing_optional).append(section.id)
        return {"found": found, "missing_required": missing_required, "missing_optional": missing_optional}

    # ------------------------------------------------------------------ scoring

    def _negated_positions(self, title: Words) -> list[int]:
        """Token positions where a "not the document" word (report, minutes …) ends."""
        return [end for phrase in self._negations for _, end in phrase.find(title, self.settings.max_gap)]

    def _title_hits(self, phrases: list[Phrase], title: Words, negated: list[int]) -> list[str]:
        window = self.settings.negation_window
        hits = []
        for phrase in phrases:
            for start, _ in phrase.find(title, self.settings.max_gap):
                if not any(start - window <= end < start for end in negated):
                    hits.append(phrase.source)
                    break
        return hits

    def _score(
        self, profile: DocumentType, title: Words, negated: list[int], filename: Words, body: Words
    ) -> dict[str, Any]:
        s = self.settings
        title_phrases = _phrases(profile.title)
        title_hits = self._title_hits(title_phrases, title, negated)
        file_hits = [p.source for p in title_phrases if p.occurs_in(filename, s.max_gap)]
        body_hits = [p.source for p in title_phrases + _phrases(profile.body) if p.occurs_in(body, s.max_gap)]
        body_hits = list(dict.fromkeys(body_hits))
        confidence = (
            (s.title_weight if title_hits else 0.0)
            + (s.file_weight if file_hits else 0.0)
            + min(s.body_max, s.body_weight * len(body_hits))
        )
        return {
            "confidence": round(min(1.0, confidence), 2),
            "title": title_hits,
            "file": file_hits,
            "body": body_hits,
        }
