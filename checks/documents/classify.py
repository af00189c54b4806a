"""Which expected document a text is — decided by what the document IS, not by what it mentions.

An office folder is full of paper that talks about the security policy
without being it: mass petitions about NIS2, requests for public
information, procurement notices for "opracowanie polityki
bezpieczeństwa", council resolutions, minutes, letters, registers.  So a
document is read the way an auditor reads it (rules and data in
``baselines/documents.yaml``):

1. its **head** — the opening lines, up to the first table, § or sentence
   of body text; annex notes and case numbers are set aside;
2. its **kind** — the first head line that *starts* with a kind marker
   ("Petycja", "Zarządzenie Nr …", "Rejestr …", "Szanowni Państwo");
3. its **subject** — for an act, what it introduces ("w sprawie
   wprowadzenia Polityki …"); otherwise its title line;
4. its **types** — those whose title phrase is in the subject and whose
   allowed kinds include the document's kind.

Every result carries ``why``: the kind, the line that showed it, the
subject and a reason code, so the report can say why a file was (or was
not) taken for a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Sequence

from auditor.checks.documents.profiles import DocumentType, Kind, Profiles
from auditor.checks.documents.text import Phrase, Words, compile_phrase, fold

_TOC = re.compile(r"\b(spis tresci|table of contents|contents)\b")
_TABLE_ROW = " | "
_DATE_ONLY = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\bdnia\b")
_CASE_NUMBER = re.compile(r"^[A-Za-z]{1,5}\.\d+(\.\d+)+")
_MAX_CANDIDATES = 5


def _is_prose(line: str) -> bool:
    """A sentence of body text rather than a title line."""
    folded = fold(line).strip()
    return folded.endswith((".", ";", ":")) and len(folded.split()) >= 4


def _is_boilerplate(line: str) -> bool:
    """A place-and-date line or a case number: neither a title nor a kind."""
    stripped = line.strip()
    if _CASE_NUMBER.match(stripped):
        return True
    return bool(_DATE_ONLY.search(stripped)) and len(stripped.split()) <= 6


@dataclass(frozen=True)
class DocumentText:
    """What the classifier reads: text blocks in order plus title hints."""

    blocks: Sequence[str]
    headings: Sequence[str] = ()
    metadata_title: str | None = None
    filename: str = ""

    def head(self, blocks: int, chars: int) -> list[str]:
        """The opening lines: up to ``blocks`` blocks or ``chars`` characters, ending at a table, a § or a TOC."""
        lines: list[str] = []
        budget = chars
        for block in self.blocks:
            text = block.strip()
            if not text:
                continue
            if len(lines) >= blocks or budget <= 0 or _TABLE_ROW in text or text.startswith("§") or _TOC.search(fold(text)):
                break
            lines.append(text[:budget])
            budget -= len(text)
        return lines

    def full_text(self) -> str:
        return "\n".join(self.blocks)


def matched_phrases(candidate: dict[str, Any]) -> list[str]:
    """The phrases behind a candidate type: title, file-name and body matches, each once."""
    return list(dict.fromkeys(candidate["title"] + candidate["file"] + candidate["body"]))


def _phrases(sources: Sequence[str]) -> list[Phrase]:
    return [compile_phrase(source) for source in sources]


@dataclass(frozen=True)
class Reading:
    """How the head was read: the document's kind, the line that showed it, its subject and title."""

    kind: str
    kind_line: str | None
    subject: str | None
    subject_source: str | None
    """``act`` (what the act introduces), ``title`` (its title line), ``metadata`` or None."""
    title_line: str | None
    act_enacting: bool | None = None
    """For an act: whether its subject introduces a document ("wprowadzenia …") or not ("powołania …")."""
    head_end: int = 0
    """How many head lines were read (up to and including the title line): where draft stamps count."""


class Classifier:
    """Applies the profiles to documents; build once per scan (phrases are compiled once)."""

    def __init__(self, profiles: Profiles) -> None:
        self.profiles = profiles
        self.settings = profiles.classification
        self._drafts = _phrases(self.settings.draft_markers)
        self._head_lines = _phrases(self.settings.head_lines)
        self._kinds: list[tuple[str, Kind, list[Phrase]]] = [
            (kind_id, kind, _phrases(kind.markers)) for kind_id, kind in profiles.kinds.items()
        ]
        self._subject = _phrases(profiles.act.subject)
        self._enacting = _phrases(profiles.act.enacting)
        self._types: dict[str, tuple[DocumentType, list[Phrase], list[Phrase]]] = {
            type_id: (profile, _phrases(profile.title), _phrases(profile.body))
            for type_id, profile in profiles.types.items()
        }

    def examine(self, doc: DocumentText) -> dict[str, Any]:
        """Classification, sections covered per counted type, and draft markers of one document."""
        head = doc.head(self.settings.title_blocks, self.settings.title_chars)
        reading = self.read_head(head, doc.metadata_title)
        body = Words(doc.full_text())
        classification = self._classify(reading, body, Words(PurePath(doc.filename).stem))
        return {
            "classification": classification,
            "sections": {type_id: self._sections(type_id, body) for type_id in classification["types"]},
            "draft_markers": [
                p.source
                for p in self._drafts
                if p.occurs_in(Words("\n".join(head[: reading.head_end])), self.settings.max_gap)
            ],
        }

    def filename_hints(self, filename: str) -> list[str]:
        """Types a file name suggests (for files whose text could not be read)."""
        words = Words(PurePath(filename).stem)
        return [
            type_id
            for type_id, (_, title, _) in self._types.items()
            if any(p.occurs_in(words, self.settings.max_gap) for p in title)
        ]

    # ------------------------------------------------------------------ the head

    @staticmethod
    def _starts_with(phrases: list[Phrase], line: Words, gap: int, within: int) -> str | None:
        return next((p.source for p in phrases if p.at_start(line, gap, within)), None)

    def _kind_of(self, line: Words) -> str | None:
        for kind_id, _, markers in self._kinds:
            if self._starts_with(markers, line, self.settings.kind_gap, self.settings.kind_within):
                return kind_id
        return None

    def read_head(self, head: list[str], metadata_title: str | None = None) -> Reading:
        """Kind, subject and title of a document from its opening lines.

        The title is the first line that names an expected document or
        carries a kind marker; a plain line before it (the office's name, an
        addressee, a sender's address) is only a fallback title.  Nothing
        after the title counts for the kind: it is the body ("Przyjęty
        Zarządzeniem …" under a plan's title does not make the plan an act).
        """
        kind: str | None = None
        kind_line: str | None = None
        title_line: str | None = None
        fallback: tuple[str, int] | None = None
        end = len(head)
        for index, line in enumerate(head):
            words = Words(line)
            if not len(words) or _is_boilerplate(line) or self._starts_with(self._head_lines, words, 0, 0):
                continue
            found = self._kind_of(words)
            if found is not None and kind is None:
                kind, kind_line = found, line
                if found == "act":
                    subject, enacting = self._act_subject(head[index:])
                    return Reading("act", line, subject, "act" if enacting else None, None, enacting, index + 2)
                if not self.profiles.kinds[found].types:
                    end = index + 2
                    break
            if _is_prose(line):
                continue
            candidate = self._with_continuation(head, index)
            if found is not None or self._names_a_type(candidate):
                title_line, end = candidate, index + 2
                break
            if fallback is None:
                fallback = (candidate, index + 2)
        if title_line is None and fallback is not None and (kind is None or self.profiles.kinds[kind].types):
            title_line, end = fallback
        if title_line is None and metadata_title:
            kind = kind or self._kind_of(Words(metadata_title))
            return Reading(kind or self.settings.default_kind, kind_line, metadata_title, "metadata", None, None, end)
        resolved = kind or self.settings.default_kind
        return Reading(resolved, kind_line, title_line, "title" if title_line else None, title_line, None, end)

    def _names_a_type(self, line: str) -> bool:
        words = Words(line)
        return any(p.occurs_in(words, self.settings.title_gap) for _, title, _ in self._types.values() for p in title)

    @staticmethod
    def _with_continuation(head: list[str], index: int) -> str:
        """A title line, with the next line when it continues it ("PETYCJA" / "w sprawie …")."""
        line = head[index]
        following = head[index + 1] if index + 1 < len(head) else ""
        if following[:1].islower() and not _is_prose(following):
            return f"{line} {following}"
        return line

    def _act_subject(self, lines: list[str]) -> tuple[str | None, bool | None]:
        """What an act is about ("wprowadzenia Polityki …"), from the lines before its first §."""
        joined: list[str] = []
        for line in lines[:6]:
            if line.lstrip().startswith("§"):
                break
            joined.append(line)
        text = " ".join(joined)
        words = Words(text)
        gap = self.settings.max_gap
        for phrase in self._subject:
            hits = phrase.find(words, gap)
            if hits:
                start = words.tokens[hits[0][1]].end
                subject = text[start:].strip(" ,:")
                enacting = any(p.at_start(Words(subject), 0, 0) for p in self._enacting)
                return subject, enacting
        return None, None

    # ------------------------------------------------------------------ typing

    def _classify(self, reading: Reading, body: Words, filename: Words) -> dict[str, Any]:
        kind = self.profiles.kinds[reading.kind]
        subject = Words(reading.subject or "") if reading.subject_source else Words("")
        s = self.settings
        candidates, counted, mentioned, by_filename = [], [], [], []
        # A file name counts, backed by the body, only when the title names no expected document at all.
        untitled = not self._names_a_type(reading.subject or "") if reading.subject_source else True

        def body_score(hits: list[str]) -> float:
            return min(s.body_max, s.body_weight * len(hits))

        for type_id, (profile, title, extra) in self._types.items():
            title_hits = [p.source for p in title if p.occurs_in(subject, s.title_gap)]
            file_hits = [p.source for p in title if p.occurs_in(filename, s.max_gap)]
            body_hits = list(dict.fromkeys(p.source for p in title + extra if p.occurs_in(body, s.max_gap)))
            confidence = round(
                min(1.0, (s.title_weight if title_hits else 0.0) + min(s.body_max, s.body_weight * len(body_hits))),
                2,
            )
            allowed = kind.types and reading.kind in profile.kinds
            if title_hits and allowed and confidence >= s.threshold:
                counted.append(type_id)
            elif file_hits and allowed and untitled and s.file_weight + body_score(body_hits) >= s.threshold:
                confidence = round(s.file_weight + body_score(body_hits), 2)
                counted.append(type_id)
                by_filename.append(type_id)
            elif title_hits or any(p.occurs_in(body, s.max_gap) for p in title):
                mentioned.append(type_id)
            if confidence > 0:
                candidates.append(
                    {"type": type_id, "confidence": confidence, "title": title_hits, "file": file_hits, "body": body_hits}
                )
        candidates.sort(key=lambda c: (-c["confidence"], c["type"]))
        by_type = {c["type"]: c for c in candidates}
        counted.sort(key=lambda t: (-by_type[t]["confidence"], t))
        best = by_type[counted[0]] if counted else None
        return {
            "types": counted,
            "type": best["type"] if best else None,
            "confidence": best["confidence"] if best else 0.0,
            "matched": matched_phrases(best) if best else [],
            "candidates": candidates[:_MAX_CANDIDATES],
            "kind": reading.kind,
            "approval_judged": kind.approval and kind.types,
            "mentioned": mentioned,
            "why": self._why(reading, kind, counted, by_type, by_filename),
        }

    def _why(
        self, reading: Reading, kind: Kind, counted: list[str], by_type: dict[str, Any], by_filename: list[str]
    ) -> dict[str, Any]:
        """The reason for the result, as a code plus the lines it rests on."""
        if by_filename:
            code = "typed_by_filename"
        elif not kind.types:
            code = "kind_not_a_document"
        elif reading.kind == "act" and reading.act_enacting is False:
            code = "act_introduces_nothing"
        elif reading.subject is None:
            code = "no_title"
        elif counted:
            code = f"typed_by_{reading.subject_source}"
        elif any(by_type.get(t, {}).get("title") for t in self._types):
            code = "kind_not_allowed"
        else:
            code = "title_names_no_type"
        return {
            "code": code,
            "kind": reading.kind,
            "kind_line": reading.kind_line,
            "subject": reading.subject,
            "subject_source": reading.subject_source,
            "phrases": {t: by_type[t]["title"] or by_type[t]["file"] for t in counted},
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
