"""``auditor diff [A] [B]``: what changed between two snapshots (default: the last two of an office)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.console import Console, Group, RenderableType
from rich.table import Table

from auditor.cli import lang_option, main, run_command
from auditor.i18n import N_, _
from auditor.analysis.texts import severity_word, status_word
from auditor.cli.store_options import column_labels, score_text, store_option, timezone_option
from auditor.errors import ExitCode
from auditor.registry import default_registry
from auditor.store import Store
from auditor.store.diff import Diff, FindingChange, diff_snapshots, resolve_pair
from auditor.terminal import clean


def _check_title(check_id: str, lang: str) -> str:
    spec = default_registry().checks.get(check_id)
    return f"{check_id} — {spec.title(lang)}" if spec else check_id


def _findings_table(title: str, changes: list[FindingChange], lang: str) -> Table:
    labels = column_labels()
    table = Table(title=title, title_justify="left", expand=True)
    for head in ("severity", "status", "target", "check"):
        table.add_column(labels[head], overflow="fold")
    for change in changes:
        row = change.row
        status = " → ".join(status_word(side.status, lang) if side else "—" for side in (change.before, change.after))
        target = clean(row.target_id, 60) + (f" {clean(row.subject, 40)}" if row.subject else "")
        table.add_row(severity_word(row.severity, lang), status, target, clean(_check_title(row.check_id, lang)))
    return table


def summary_line(result: Diff) -> str:
    """New, fixed, still failing and not re-checked findings, in one line."""
    return _("new failures: {new}, fixed: {fixed}, still failing: {still}, not re-checked: {unchecked}").format(
        new=len(result.new_failures), fixed=len(result.fixed), still=result.still_failing,
        unchecked=len(result.not_rechecked))


def diff_renderable(result: Diff, lang: str) -> RenderableType:
    """The whole diff for a terminal: scores first, then the finding changes, then a one-line summary."""
    labels = column_labels()
    parts: list[RenderableType] = [f"[bold]{clean(result.before.label)} → {clean(result.after.label)}[/]"]
    if result.scores:
        scores = Table(expand=False)
        for head in ("baseline", "before", "after", "change"):
            scores.add_column(labels[head], justify="left" if head == "baseline" else "right")
        for change in result.scores:
            delta = "" if change.delta is None else f"{change.delta:+.1f}"
            style = "red" if change.lower else ("green" if change.delta and change.delta > 0 else "")
            name = clean(change.title.get(lang) or change.baseline)
            scores.add_row(name, score_text(change.before), score_text(change.after),
                           f"[{style}]{delta}[/]" if style else delta)
        parts.append(scores)
    for key in ("new_failures", "fixed", "not_rechecked"):
        changes = getattr(result, key)
        if changes:
            parts.append(_findings_table(f"{labels[key]} ({len(changes)})", changes, lang))
    if not (result.new_failures or result.fixed or result.not_rechecked):
        parts.append(_("No change in findings."))
    parts.append(summary_line(result))
    return Group(*parts)


@main.command("diff", help=N_(
    "Compare snapshot A with B (ids, run ids or 'latest').\n\n"
    "Without arguments: the latest snapshot against the one before it of the same office. "
    "With A only: A against the latest snapshot of A's office."))
@click.argument("a", required=False)
@click.argument("b", required=False)
@store_option()
@click.option("--json", "as_json", is_flag=True, help=N_("Print the diff as JSON."))
@click.option("--fail-on-regression", is_flag=True, help=N_("Exit 1 when B has new failures or a lower score than A."))
@lang_option
@timezone_option
def diff_command(a: str | None, b: str | None, store_path: Path, as_json: bool, fail_on_regression: bool,
                 lang: str, zone: ZoneInfo) -> None:

    def body() -> ExitCode:
        with Store(store_path, read_only=True) as store:
            before, after = resolve_pair(store, a, b)
            result = diff_snapshots(store, before, after, zone)
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            Console().print(diff_renderable(result, lang))
        return ExitCode.THRESHOLD if fail_on_regression and result.regressions else ExitCode.OK

    sys.exit(run_command(body))
