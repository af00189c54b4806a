"""The fleet report: one self-contained HTML (and a CSV) over every office in a store.

It renders a ``FleetRollup`` and nothing else: the ranking, the worse-off
offices, the common non-conformities and the requirement × office matrix are
computed once in ``auditor.fleet.rollup``.  Everything that came from an
inventory or a target (office names, check subjects) is escaped by Jinja2's
autoescape, and a CSP with a per-report nonce allows no script at all.
"""

from __future__ import annotations

import io
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo
from functools import lru_cache
from importlib.resources import files
from typing import Any, Mapping

import yaml
from jinja2 import Environment, FunctionLoader, StrictUndefined

from auditor.fleet.rollup import FleetRollup, Office
from auditor.settings import DEFAULT_TIMEZONE, local_time
from auditor.registry import Registry, default_registry
from auditor.report.cells import spreadsheet_cell, spreadsheet_writer
from auditor.terminal import strip_control

#: The common non-conformities table shows at most this many checks (the CSV has them all).
COMMON_LIMIT = 30


def _load(name: str) -> str:
    return files("auditor.report_templates").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FunctionLoader(_load), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True,
                      finalize=lambda v: strip_control(v) if isinstance(v, str) else v)
    env.filters["pct"] = lambda value: "-" if value is None else f"{value * 100:.0f}%"
    return env


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(_load("fleet_labels.yaml"))


def _date(moment: datetime, zone: ZoneInfo) -> str:
    return local_time(moment, zone)


def change_text(office: Office, lang: str) -> str:
    """What got worse since the office's previous snapshot, in words."""
    t = labels()[lang]
    if office.previous is None:
        return t["first_snapshot"]
    parts = [t["new_failures"] % office.new_failures] if office.new_failures else []
    parts += [t["score_fell"] % (baseline, drop) for baseline, drop in sorted(office.score_drops.items())]
    return "; ".join(parts) or t["unchanged"]


def render_html(rollup: FleetRollup, *, lang: str = "pl", links: Mapping[str, str] | None = None,
                registry: Registry | None = None, zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)) -> str:
    """``links``: series → href of that office's own report (relative to the fleet report); times in ``zone``."""
    registry = registry or default_registry()
    names = {office.series: office.name for office in rollup.offices}

    def check_title(check_id: str) -> str:
        spec = registry.checks.get(check_id)
        return spec.title(lang) if spec else check_id

    ranking = rollup.ranking_baseline or "-"
    ranking_title = rollup.baselines.get(ranking, {}).get(lang, ranking)
    return _environment().get_template("fleet.html.j2").render(
        rollup=rollup, lang=lang, t=labels()[lang], links=dict(links or {}), nonce=secrets.token_urlsafe(16),
        generated=_date(rollup.generated, zone), date=lambda moment: _date(moment, zone), change=lambda office: change_text(office, lang),
        check_title=check_title, office_names=lambda series: ", ".join(names.get(s, s) for s in series),
        ranking_title=ranking_title, limit_common=COMMON_LIMIT,
    )


def render_csv(rollup: FleetRollup, *, lang: str = "pl", zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)) -> str:
    """The ranking as a spreadsheet: one office a row, every baseline's score, coverage and grade."""
    baselines = list(rollup.baselines)
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    header = ["rank", "office", "series", "snapshot_id", "audit_date"]
    for baseline in baselines:
        header += [f"{baseline}_score", f"{baseline}_coverage", f"{baseline}_grade"]
    header += ["failing_critical", "failing_high", "failing_medium", "failing_low", "worse", "change"]
    writer.writerow(header)
    for rank, office in enumerate(rollup.offices, 1):
        row: list[Any] = [rank, office.name, office.series, office.snapshot.id, _date(office.snapshot.started, zone)]
        for baseline in baselines:
            score = office.scores.get(baseline)
            row += ([score.score if score.score is not None else "", score.coverage if score.coverage is not None else "",
                     score.grade] if score else ["", "", ""])
        row += [office.failing_by_severity.get(s, 0) for s in ("critical", "high", "medium", "low")]
        row += ["yes" if office.worse else "no", change_text(office, lang)]
        writer.writerow([spreadsheet_cell(str(value)) for value in row])
    return out.getvalue()
