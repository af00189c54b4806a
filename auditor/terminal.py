"""Terminal output: a progress bar while probes run and the admin's summary at the end.

Text that came from targets (banners, titles) is stripped of control and
escape sequences before it reaches a terminal, so a hostile server cannot
rewrite the screen or the admin's clipboard.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text as RichText

from auditor.analysis import Analysis
from auditor.model import ProbeAttempt, Status

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_STATUS_STYLE = {
    Status.FAIL: "bold red",
    Status.WARN: "yellow",
    Status.ERROR: "magenta",
    Status.PASS: "green",
    Status.MANUAL: "cyan",
    Status.NOT_APPLICABLE: "dim",
}


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
        self._task: TaskID | None = None

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
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, description=clean(f"{attempt.probe} {attempt.target_id}", 60))

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


# ----------------------------------------------------------------------------- the summary
#
# Every user-facing string of the summary is in _LABELS (one place, for a later
# gettext catalogue).  The summary is plain lines: the same text goes to a
# terminal (with colour, no box drawing), to a cron log and to
# ``auditor report --format text``.

_LABELS: dict[str, dict[str, str]] = {
    "pl": {
        "headline": "{org}: niezgodne kontrole: {checks}, ustalenia do działania: {findings} ({by_severity})",
        "failing": "Niezgodne kontrole (numer, ważność, liczba celów, opis i kontrola; cele w kolejnych wierszach):",
        "none_failing": "Brak niezgodnych kontroli.",
        "fix_first": "Najpierw napraw / Fix first:",
        "first_step": "pierwszy krok",
        "deadline": "termin",
        "scores": "Wyniki (z pokryciem wymagań dowodami):",
        "score_line": "{title}: wynik {score}, ocena {grade}, pokrycie {coverage} (automatyczne {automated}); "
                      "spełnione {met}, częściowo {partial}, niespełnione {not_met}, ręczne {manual}, "
                      "nieocenione {not_assessed}",
        "no_scores": "Brak wyniku: przebieg nie był oceniany względem żadnego wzorca.",
        "accepted": "Ryzyka zaakceptowane (nie liczą się jako niezgodność): {n}.",
        "expired": "Akceptacje wygasłe (znów niezgodność): {n}.",
        "errors": "Nie sprawdzono — błędy sond: {n} (szczegóły w raporcie HTML).",
        "all": "Wszystkie ustalenia:",
        "accepted_until": "zaakceptowane do {date}",
        "acceptance_expired": "akceptacja wygasła {date}",
        "more": "Pełna lista ustaleń: --all; raport: auditor report --format html.",
        "counts": "{total} ustaleń ({statuses})",
    },
    "en": {
        "headline": "{org}: failing checks: {checks}, findings to act on: {findings} ({by_severity})",
        "failing": "Failing checks (number, severity, targets, message and check; targets on the following lines):",
        "none_failing": "No failing checks.",
        "fix_first": "Najpierw napraw / Fix first:",
        "first_step": "first step",
        "deadline": "deadline",
        "scores": "Scores (with coverage of requirements by evidence):",
        "score_line": "{title}: score {score}, grade {grade}, coverage {coverage} (automated {automated}); "
                      "met {met}, partial {partial}, not met {not_met}, manual {manual}, not assessed {not_assessed}",
        "no_scores": "No score: the run was not scored against any baseline.",
        "accepted": "Accepted risks (not counted as failures): {n}.",
        "expired": "Expired acceptances (failures again): {n}.",
        "errors": "Not checked — probe errors: {n} (details in the HTML report).",
        "all": "All findings:",
        "accepted_until": "accepted until {date}",
        "acceptance_expired": "acceptance expired on {date}",
        "more": "Every finding: --all; report: auditor report --format html.",
        "counts": "{total} findings ({statuses})",
    },
}

SEVERITY_WORDS = {
    "pl": {"critical": "krytyczna", "high": "wysoka", "medium": "średnia", "low": "niska", "info": "informacyjna"},
    "en": {"critical": "critical", "high": "high", "medium": "medium", "low": "low", "info": "info"},
}
STATUS_WORDS = {
    "pl": {"fail": "niezgodne", "warn": "ostrzeżenie", "error": "błąd", "manual": "ręczne", "pass": "zgodne",
           "not_applicable": "nie dotyczy"},
    "en": {"fail": "fail", "warn": "warn", "error": "error", "manual": "manual", "pass": "pass",
           "not_applicable": "not applicable"},
}
_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
#: Never narrower than this, whatever the terminal says: a summary must stay readable in a log.
MIN_WIDTH = 60


def targets_word(n: int, lang: str) -> str:
    """``1 cel``, ``3 cele``, ``12 celów`` — Polish plural; ``1 target`` / ``3 targets``."""
    if lang == "en":
        return f"{n} target" + ("" if n == 1 else "s")
    if n == 1:
        return "1 cel"
    return f"{n} cele" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else f"{n} celów"


@dataclass(frozen=True)
class Line:
    """One line of the summary and its style on a terminal (``""``: none)."""

    text: str
    style: str = ""


def _wrap(text: str, width: int, indent: int, first_indent: int = 0) -> list[str]:
    return textwrap.wrap(text, width=max(width, MIN_WIDTH), initial_indent=" " * first_indent,
                         subsequent_indent=" " * indent, break_long_words=True, break_on_hyphens=False) or [""]


def _plain(text: object, limit: int = 300) -> str:
    """Target text without escapes and without line breaks (one finding, one logical line)."""
    value = " ".join(strip_control(str(text)).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def summary_lines(analysis: Analysis, *, width: int = 80, show_all: bool = False) -> list[Line]:
    """The admin's summary: failing checks, "Najpierw napraw / Fix first", scores with coverage.

    Nothing is cut to fit: long titles and target lists wrap onto indented
    lines at ``width`` (at least ``MIN_WIDTH``).
    """
    lang = analysis.lang
    L, sev = _LABELS[lang], SEVERITY_WORDS[lang]
    run = analysis.run
    lines: list[Line] = []
    by_severity = ", ".join(f"{sev[s]} {n}" for s, n in analysis.failing_by_severity.items())
    headline = L["headline"].format(org=_plain(run.organisation.get("name", "")), checks=len(analysis.actions),
                                    findings=len(analysis.open_failing), by_severity=by_severity)
    lines += [Line(t, "bold") for t in _wrap(headline, width, 2)]
    for tests in analysis.intrusive:  # whether default-credential tests ran: a clean result means nothing otherwise
        lines += [Line(t) for t in _wrap(tests.text, width, 2)]
    lines.append(Line(""))
    if analysis.actions:
        lines += [Line(t, "bold") for t in _wrap(L["failing"], width, 2)]
        number_w = max(len(a.number) for a in analysis.actions)
        sev_w = max(len(sev[a.severity.value]) for a in analysis.actions)
        count_w = max(len(targets_word(len(a.targets), lang)) for a in analysis.actions)
        indent = number_w + 1 + sev_w + 1 + count_w + 1
        for action in analysis.actions:
            head = (f"{action.number:<{number_w}} {sev[action.severity.value]:<{sev_w}} "
                    f"{targets_word(len(action.targets), lang):<{count_w}} {_plain(action.title)} ({action.check_id})")
            style = _SEVERITY_STYLE[action.severity.value]
            lines += [Line(t, style) for t in _wrap(head, width, indent)]
            lines += [Line(t, "dim") for t in _wrap(", ".join(_plain(t, 120) for t in action.targets), width,
                                                      indent, indent)]
    else:
        lines += [Line(t, "green") for t in _wrap(L["none_failing"], width, 2)]
    for key, count in (("accepted", len(analysis.accepted)), ("expired", len(analysis.expired)),
                       ("errors", analysis.by_status.get("error", 0))):
        if count:
            lines += [Line(t) for t in _wrap(L[key].format(n=count), width, 2)]
    if analysis.top:
        lines += [Line(""), Line(L["fix_first"], "bold")]
        for position, action in enumerate(analysis.top, 1):
            head = (f"{position}. {action.number} {_plain(action.title)} ({sev[action.severity.value]}, "
                    f"{targets_word(len(action.targets), lang)}, {L['deadline']} {action.deadline.isoformat()})")
            lines += [Line(t, _SEVERITY_STYLE[action.severity.value]) for t in _wrap(head, width, 3)]
            if action.first_step:
                lines += [Line(t) for t in _wrap(f"→ {L['first_step']}: {action.first_step}", width, 5, 3)]
    lines += [Line(""), Line(L["scores"], "bold")]
    if run.scores:
        for entry in run.scores.values():
            counts = entry.counts
            text = L["score_line"].format(
                title=_plain(entry.title.get(lang, entry.baseline)),
                score="-" if entry.score is None else f"{entry.score:.1f}", grade=entry.grade,
                coverage=f"{entry.coverage * 100:.0f}%", automated=f"{entry.automated_coverage * 100:.0f}%",
                **{k: counts.get(k, 0) for k in ("met", "partial", "not_met", "manual", "not_assessed")})
            lines += [Line(t) for t in _wrap(text, width, 2)]
    else:
        lines += [Line(t) for t in _wrap(L["no_scores"], width, 2)]
    if show_all:
        lines += [Line(""), Line(L["all"], "bold")] + _all_findings(analysis, width)
    else:
        lines += [Line(t, "dim") for t in _wrap(L["more"], width, 2)]
    return lines


def _all_findings(analysis: Analysis, width: int) -> list[Line]:
    """Every finding, per target, worst first: status, severity, check id, subject, message."""
    lang = analysis.lang
    L, sev, statuses = _LABELS[lang], SEVERITY_WORDS[lang], STATUS_WORDS[lang]
    lines: list[Line] = []
    for group in analysis.groups:
        lines.append(Line(_plain(f"{group.name} ({group.kind})"), "bold"))
        for f in group.findings:
            mark = ""
            entry = analysis.acceptance(f)
            if entry is not None:
                mark = " [" + (L["accepted_until"] if entry.active else L["acceptance_expired"]).format(
                    date=entry.expires) + "]"
            severity = f" {sev[f.severity.value]}" if f.failing else ""
            subject = f" {_plain(f.subject, 60)}" if f.subject else ""
            text = f"{statuses[f.status.value]}{severity}{mark} {f.check_id}{subject}: {_plain(analysis.texts.message(f))}"
            lines += [Line(t, _STATUS_STYLE[f.status]) for t in _wrap(text, width, 4, 2)]
    return lines


def summary_text(analysis: Analysis, *, width: int = 100, show_all: bool = False) -> str:
    """The summary as plain text (a log, ``auditor report --format text``)."""
    return "\n".join(line.text for line in summary_lines(analysis, width=width, show_all=show_all)) + "\n"


def print_summary(console: Console, analysis: Analysis, *, show_all: bool = False) -> None:
    """The summary on ``console``: coloured on a terminal, plain text in a pipe or a cron log."""
    lines = summary_lines(analysis, width=console.width, show_all=show_all)
    if not console.is_terminal:
        console.file.write("".join(line.text + "\n" for line in lines))
        console.file.flush()
        return
    for line in lines:
        console.print(RichText(line.text, style=line.style or ""), soft_wrap=True)


def counts_line(analysis: Analysis) -> str:
    """All findings by status (for commands that judge without scoring, such as ``backup-test``)."""
    statuses = ", ".join(f"{STATUS_WORDS[analysis.lang][s]}: {n}" for s, n in analysis.by_status.items() if n)
    return _LABELS[analysis.lang]["counts"].format(total=len(analysis.run.findings), statuses=statuses)
