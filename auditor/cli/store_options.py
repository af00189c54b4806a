"""Options and labels shared by the snapshot commands (history, diff, prune, rejudge).

No command lives here; it is imported by the modules that define them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import click

from auditor.store.index import ScoreRow

STORE_ENV = "AUDITOR_STORE"

LABELS: dict[str, dict[str, str]] = {
    "pl": {
        "id": "ID", "date": "Data", "organisation": "Organizacja", "inventory": "Inwentarz",
        "critical": "Kryt.", "high": "Wys.", "medium": "Śr.", "low": "Nis.", "interrupted": "przerwany",
        "baseline": "Wzorzec", "before": "Przed", "after": "Po", "change": "Zmiana", "coverage": "Pokrycie",
        "new_failures": "Nowe niezgodności", "fixed": "Naprawione", "not_rechecked": "Niesprawdzone ponownie",
        "severity": "Ważność", "status": "Status", "target": "Cel", "check": "Kontrola",
        "summary": "nowe niezgodności: {new}, naprawione: {fixed}, nadal niezgodne: {still}, "
                   "niesprawdzone ponownie: {unchecked}",
        "no_changes": "Brak zmian w ustaleniach.",
    },
    "en": {
        "id": "ID", "date": "Date", "organisation": "Organisation", "inventory": "Inventory",
        "critical": "Crit.", "high": "High", "medium": "Med.", "low": "Low", "interrupted": "interrupted",
        "baseline": "Baseline", "before": "Before", "after": "After", "change": "Change", "coverage": "Coverage",
        "new_failures": "New failures", "fixed": "Fixed", "not_rechecked": "Not re-checked",
        "severity": "Severity", "status": "Status", "target": "Target", "check": "Check",
        "summary": "new failures: {new}, fixed: {fixed}, still failing: {still}, not re-checked: {unchecked}",
        "no_changes": "No change in findings.",
    },
}


def store_option(required: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--store", "store_path", type=click.Path(path_type=Path), envvar=STORE_ENV,
                        required=required, show_envvar=True, help="The snapshot store (SQLite file).")


def lang_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--lang", type=click.Choice(["pl", "en"], case_sensitive=False), default="pl", show_default=True)


def score_text(row: ScoreRow | None) -> str:
    """``72.5 B (60%)``: score, grade and coverage side by side, so a high score on thin evidence shows."""
    if row is None:
        return "—"
    score = "n/a" if row.score is None else f"{row.score:.1f}"
    coverage = "" if row.coverage is None else f" ({row.coverage:.0%})"
    grade = f" {row.grade}" if row.grade else ""
    return f"{score}{grade}{coverage}"
