"""Options and labels shared by the snapshot commands (history, diff, prune, rejudge).

No command lives here; it is imported by the modules that define them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import click

from auditor.i18n import N_, _

from auditor.settings import DEFAULT_TIMEZONE, zone_named
from auditor.store.index import ScoreRow

STORE_ENV = "AUDITOR_STORE"

#: The severities the snapshot tables count failures of, worst first.
FAILING_SEVERITIES = ("critical", "high", "medium", "low")


def column_labels() -> dict[str, str]:
    """The words of the snapshot tables in the command's language (``auditor.i18n``)."""
    return {
        "id": _("ID"), "date": _("Date"), "organisation": _("Organisation"), "inventory": _("Inventory"),
        "critical": _("Crit."), "high": _("High"), "medium": _("Med."), "low": _("Low"),
        "interrupted": _("interrupted"), "baseline": _("Baseline"), "before": _("Before"), "after": _("After"),
        "change": _("Change"), "coverage": _("Coverage"), "new_failures": _("New failures"), "fixed": _("Fixed"),
        "not_rechecked": _("Not re-checked"), "severity": _("Severity"), "status": _("Status"),
        "target": _("Target"), "check": _("Check"),
    }


def short_severity(severity: str) -> str:
    """``crit.``/``kryt.``: a severity shortened for a one-line-per-office log."""
    return {"critical": _("crit."), "high": _("high"), "medium": _("med."), "low": _("low")}[severity]


def _zone(ctx: click.Context, param: click.Parameter, value: str) -> ZoneInfo:
    try:
        return zone_named(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def timezone_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--timezone ZONE``: the zone the snapshots' times are shown in (a store holds no inventory settings)."""
    return click.option("--timezone", "zone", default=DEFAULT_TIMEZONE, show_default=True, envvar="AUDITOR_TIMEZONE",
                        show_envvar=True, callback=_zone, metavar="ZONE",
                        help=N_("IANA time zone the times are shown in (as settings.timezone of an inventory)."))(command)


def store_option(required: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--store", "store_path", type=click.Path(path_type=Path), envvar=STORE_ENV,
                        required=required, show_envvar=True, help=N_("The snapshot store (SQLite file)."))



def score_text(row: ScoreRow | None) -> str:
    """``72.5 B (60%)``: score, grade and coverage side by side, so a high score on thin evidence shows."""
    if row is None:
        return "—"
    score = _("n/a") if row.score is None else f"{row.score:.1f}"
    coverage = "" if row.coverage is None else f" ({row.coverage:.0%})"
    grade = f" {row.grade}" if row.grade else ""
    return f"{score}{grade}{coverage}"
