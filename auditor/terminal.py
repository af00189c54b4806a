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
from auditor.analysis.texts import severity_word, status_word
from auditor.i18n import _, translation
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
        title = escape(_("Scanning"))
        self._progress = Progress(
            TextColumn(f"[bold]{title}[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
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
# The summary's words come from the gettext catalogue (``auditor.i18n``) in the
# analysis' language, status and severity words from the reports' labels.  The
# summary is plain lines: the same text goes to a terminal (with colour, no box
# drawing), to a cron log and to ``auditor report --format text``.

_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
#: Never narrower than this, whatever the terminal says: a summary must stay readable in a log.
MIN_WIDTH = 60


def targets_word(n: int, lang: str) -> str:
    """``1 cel``, ``3 cele``, ``12 celów`` — the catalogue's Polish plural forms; ``1 target`` / ``3 targets``."""
    return translation(lang).ngettext("{n} target", "{n} targets", n).format(n=n)


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
    _ = translation(lang).gettext

    def sev(severity: str) -> str:
        return severity_word(severity, lang)

    run = analysis.run
    lines: list[Line] = []
    by_severity = ", ".join(f"{sev(s)} {n}" for s, n in analysis.failing_by_severity.items())
    headline = _("{org}: failing checks: {checks}, findings to act on: {findings} ({by_severity})").format(org=_plain(run.organisation.get("name", "")), checks=len(analysis.actions),
                                    findings=len(analysis.open_failing), by_severity=by_severity)
    lines += [Line(t, "bold") for t in _wrap(headline, width, 2)]
    for tests in analysis.intrusive:  # whether default-credential tests ran: a clean result means nothing otherwise
        lines += [Line(t) for t in _wrap(tests.text, width, 2)]
    lines.append(Line(""))
    if analysis.actions:
        lines += [Line(t, "bold") for t in _wrap(_("Failing checks (number, severity, targets, message and check; "
                                                     "targets on the following lines):"), width, 2)]
        number_w = max(len(a.number) for a in analysis.actions)
        sev_w = max(len(sev(a.severity.value)) for a in analysis.actions)
        count_w = max(len(targets_word(len(a.targets), lang)) for a in analysis.actions)
        indent = number_w + 1 + sev_w + 1 + count_w + 1
        for action in analysis.actions:
            head = (f"{action.number:<{number_w}} {sev(action.severity.value):<{sev_w}} "
                    f"{targets_word(len(action.targets), lang):<{count_w}} {_plain(action.title)} ({action.check_id})")
            style = _SEVERITY_STYLE[action.severity.value]
            lines += [Line(t, style) for t in _wrap(head, width, indent)]
            lines += [Line(t, "dim") for t in _wrap(", ".join(_plain(t, 120) for t in action.targets), width,
                                                      indent, indent)]
    else:
        lines += [Line(t, "green") for t in _wrap(_("No failing checks."), width, 2)]
    for text, count in ((_("Accepted risks (not counted as failures): {n}."), len(analysis.accepted)),
                        (_("Expired acceptances (failures again): {n}."), len(analysis.expired)),
                        (_("Not checked — probe errors: {n} (details in the HTML report)."),
                         analysis.by_status.get("error", 0))):
        if count:
            lines += [Line(t) for t in _wrap(text.format(n=count), width, 2)]
    if analysis.top:
        lines += [Line(""), Line(_("Fix first:"), "bold")]
        for position, action in enumerate(analysis.top, 1):
            head = _("{position}. {number} {title} ({severity}, {targets}, deadline {deadline})").format(
                position=position, number=action.number, title=_plain(action.title),
                severity=sev(action.severity.value), targets=targets_word(len(action.targets), lang),
                deadline=action.deadline.isoformat())
            lines += [Line(t, _SEVERITY_STYLE[action.severity.value]) for t in _wrap(head, width, 3)]
            if action.first_step:
                lines += [Line(t) for t in _wrap(_("→ first step: {step}").format(step=action.first_step),
                                                 width, 5, 3)]
    lines += [Line(""), Line(_("Scores (with coverage of requirements by evidence):"), "bold")]
    if run.scores:
        for entry in run.scores.values():
            counts = entry.counts
            text = _("{title}: score {score}, grade {grade}, coverage {coverage} (automated {automated}); "
                     "met {met}, partial {partial}, not met {not_met}, manual {manual}, "
                     "not assessed {not_assessed}").format(
                title=_plain(entry.title.get(lang, entry.baseline)),
                score="-" if entry.score is None else f"{entry.score:.1f}", grade=entry.grade,
                coverage=f"{entry.coverage * 100:.0f}%", automated=f"{entry.automated_coverage * 100:.0f}%",
                **{k: counts.get(k, 0) for k in ("met", "partial", "not_met", "manual", "not_assessed")})
            lines += [Line(t) for t in _wrap(text, width, 2)]
    else:
        lines += [Line(t) for t in _wrap(_("No score: the run was not scored against any baseline."), width, 2)]
    if show_all:
        lines += [Line(""), Line(_("All findings:"), "bold")] + _all_findings(analysis, width)
    else:
        lines += [Line(t, "dim") for t in _wrap(_("Every finding: --all; report: auditor report --format html."),
                                                width, 2)]
    return lines


def _all_findings(analysis: Analysis, width: int) -> list[Line]:
    """Every finding, per target, worst first: status, severity, check id, subject, message."""
    lang = analysis.lang
    _ = translation(lang).gettext
    lines: list[Line] = []
    for group in analysis.groups:
        lines.append(Line(_plain(f"{group.name} ({group.kind})"), "bold"))
        for f in group.findings:
            mark = ""
            entry = analysis.acceptance(f)
            if entry is not None:
                mark = " [" + (_("accepted until {date}") if entry.active else _("acceptance expired on {date}")
                               ).format(date=entry.expires) + "]"
            severity = f" {severity_word(f.severity.value, lang)}" if f.failing else ""
            subject = f" {_plain(f.subject, 60)}" if f.subject else ""
            text = f"{status_word(f.status.value, lang)}{severity}{mark} {f.check_id}{subject}: {_plain(analysis.texts.message(f))}"
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
    statuses = ", ".join(f"{status_word(s, analysis.lang)}: {n}" for s, n in analysis.by_status.items() if n)
    return translation(analysis.lang).gettext("{total} findings ({statuses})").format(
        total=len(analysis.run.findings), statuses=statuses)
