"""What a run could not check at all: a whole family, or the whole scan, without one verdict.

A scan whose TLS checks are all ``error`` (a CA file not found, a firewall
dropping the scanner) printed a table of errors, 0 % coverage — and exited
0, so a nightly job reported success for a night in which nothing was
checked.  This module says so, from the findings alone (pure, so the
terminal, the reports and the exit code all read the same answer):

- a *family* checked nothing when none of its findings is a verdict
  (pass, fail, warn) and at least one is an ``error`` — the probe could not
  do its job; a family that only found nothing to judge (every finding
  ``not_applicable``) is not a failure;
- the *scan* checked nothing when it has findings and none is a verdict
  (an inventory with nothing to scan has no findings: nothing was asked, so
  nothing failed — ``auditor validate`` already says "no targets").

Either is DESIGN's exit 3, "could not run", which ``--fail-on`` cannot
lower: a threshold is met only by what was checked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from auditor.i18n import translation
from auditor.model import Finding, Status, Text

VERDICTS = frozenset({Status.PASS, Status.FAIL, Status.WARN})


@dataclass(frozen=True)
class FamilyGap:
    """One family without a single verdict: how many findings it had and the first error's text."""

    family: str
    findings: int
    example: Text


@dataclass(frozen=True)
class Unchecked:
    families: tuple[FamilyGap, ...]
    everything: bool

    def __bool__(self) -> bool:
        return self.everything or bool(self.families)

    def lines(self, lang: str = "pl") -> list[str]:
        """The lines a terminal or a log shows, most important first."""
        _ = translation(lang).gettext
        lines = []
        if self.everything:
            lines.append(_("NOTHING COULD BE CHECKED: no check gave a verdict (only errors or missing data)."))
        for gap in self.families:
            lines.append(_("family {family}: nothing checked — all {n} findings are errors or missing data, "
                           "e.g.: {example}").format(family=gap.family, n=gap.findings,
                                                     example=gap.example.get(lang, "")))
        return lines


def unchecked(findings: Iterable[Finding], family_of: Mapping[str, str]) -> Unchecked:
    """The families (``family_of``: check id → family) and whether the whole scan checked nothing.

    A check id missing from ``family_of`` (a plugin removed since) counts
    under its first dotted segment.
    """
    by_family: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_family[family_of.get(finding.check_id) or finding.check_id.split(".")[0]].append(finding)
    gaps = []
    for family, found in sorted(by_family.items()):
        errors = [f for f in found if f.status is Status.ERROR]
        if errors and not any(f.status in VERDICTS for f in found):
            gaps.append(FamilyGap(family, len(found), errors[0].message))
    everything = bool(by_family) and not any(f.status in VERDICTS for found in by_family.values() for f in found)
    return Unchecked(tuple(gaps), everything)
