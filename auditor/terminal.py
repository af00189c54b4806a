"""Terminal output: a progress bar while probes run and a summary table at the end.

Text that came from targets (banners, titles) is stripped of control and
escape sequences before it reaches a terminal, so a hostile server cannot
rewrite the screen or the admin's clipboard.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from auditor.model import Finding, ProbeAttempt, ScanRun, Severity, Status
from auditor.workflow.accepted import accepted_entry

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_STATUS_STYLE = {
    Status.FAIL: "bold red",
    Status.WARN: "yellow",
    Status.ERROR: "magenta",
    Status.PASS: "green",
    Status.MANUAL: "cyan",
    Status.NOT_APPLICABLE: "dim",
}
_STATUS_ORDER = [Status.FAIL, Status.WARN, Status.ERROR, Status.MANUAL, Status.PASS, Status.NOT_APPLICABLE]


def strip_control(text: str) -> str:
    """``text`` without escape sequences and control characters (tab and newlines kept)."""
    return _CONTROL.sub("", text)


def clean(text: object, limit: int = 300) -> str:
    """Target-supplied text made safe for a terminal (and for rich markup)."""
    value = strip_control(str(text))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return escape(value)


class ProgressObserver:
    """Engine observer drawing a rich progress bar; silent when disabled."""

    def __init__(self, console: Console, enabled: bool) -> None:
        self.console = console
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task = None

    def planned(self, total: int) -> None:
        if not self.enabled:
            return
        self._progress = Progress(
            TextColumn("[bold]Skanowanie[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=self.console, transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("", total=total)

    def finished(self, attempt: ProbeAttempt) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=clean(f"{attempt.probe} {attempt.target_id}", 60))

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (_STATUS_ORDER.index(f.status), -f.severity.rank, f.target_id, f.check_id))


def _accepted_mark(entry: dict[str, Any] | None, lang: str) -> str:
    """A risk acceptance beside the status: valid until …, or expired on … (then it counts again)."""
    if entry is None:
        return ""
    if entry["state"] == "active":
        return f" [dim]({'zaakceptowane do' if lang == 'pl' else 'accepted until'} {entry['expires']})[/]"
    return f" [bold]({'akceptacja wygasła' if lang == 'pl' else 'acceptance expired on'} {entry['expires']})[/]"


def summary_table(run: ScanRun, lang: str = "pl", *, show_passed: bool = False) -> Table:
    """Findings that need action — failures, warnings, errors — worst first (``show_passed``: all)."""
    heads = {"pl": ("Status", "Ważność", "Cel", "Kontrola", "Opis"), "en": ("Status", "Severity", "Target", "Check", "Message")}[lang]
    table = Table(title=clean(run.organisation.get("name", "")), show_lines=False, expand=True)
    for index, head in enumerate(heads):
        # status, severity and check id never wrap: they are what people grep for
        table.add_column(head, overflow="fold", no_wrap=index in (0, 1, 3))
    for finding in _sorted(run.findings):
        if not show_passed and finding.status in (Status.PASS, Status.NOT_APPLICABLE, Status.MANUAL):
            continue  # the terminal shows what needs action; the report and --all show the rest
        accepted = accepted_entry(run, finding)
        table.add_row(
            f"[{_STATUS_STYLE[finding.status]}]{finding.status.value}[/]" + _accepted_mark(accepted, lang),
            finding.severity.value if finding.failing else "",
            clean(finding.target_id, 60) + (f" {clean(finding.subject, 40)}" if finding.subject else ""),
            finding.check_id,
            clean(finding.message.get(lang) or finding.message.get("en", "")),
        )
    return table


def counts_line(run: ScanRun) -> str:
    by_status = Counter(f.status for f in run.findings)
    failing_by_severity = Counter(f.severity for f in run.findings if f.status is Status.FAIL)
    statuses = ", ".join(f"{s.value}: {by_status[s]}" for s in _STATUS_ORDER if by_status[s])
    severities = ", ".join(f"{s.value}: {failing_by_severity[s]}" for s in Severity if failing_by_severity[s])
    return f"{len(run.findings)} findings ({statuses})" + (f"; failing by severity: {severities}" if severities else "")


def scores_table(run: ScanRun, lang: str = "pl") -> Table:
    """One row per scored baseline: score, coverage and grade side by side (never a score alone)."""
    heads = {"pl": ("Wzorzec", "Wynik", "Pokrycie", "Ocena", "Spełnione / częściowo / niespełnione / ręczne / nieocenione"),
             "en": ("Baseline", "Score", "Coverage", "Grade", "Met / partial / not met / manual / not assessed")}[lang]
    table = Table(expand=True)
    for head in heads:
        table.add_column(head, overflow="fold")
    for entry in run.scores.values():
        counts = entry["counts"]
        score = "-" if entry["score"] is None else f"{entry['score']:.1f}"
        table.add_row(
            clean(entry["title"][lang]), score, f"{entry['coverage'] * 100:.0f}%", entry["grade"],
            " / ".join(str(counts[k]) for k in ("met", "partial", "not_met", "manual", "not_assessed")),
        )
    return table
