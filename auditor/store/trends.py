"""Trend charts for the HTML report, as self-contained inline SVG strings.

No JavaScript, no external CSS or fonts: the report must open offline and
print.  Every label passes through ``html.escape`` because organisation
names and baseline titles are user data.  Interrupted snapshots are left
out: their missing findings would draw false dips.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo

from auditor.wording import report_labels
from auditor.settings import DEFAULT_TIMEZONE, local_time
from auditor.store.db import Store

WIDTH, HEIGHT = 640, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 120, 30, 34
_MARKERS_UP_TO = 60
_PALETTE = ("#1f5fa8", "#2e9e5b", "#7d3c98", "#5d6d7e")
_SEVERITY_COLOUR = {"critical": "#b03a2e", "high": "#e67e22"}

@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float | None]
    """One value per point in time; ``None`` leaves a gap."""
    colour: str | None = None
    """Default: the palette colour of the line's position."""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _nice_ceiling(value: float) -> int:
    """4, 8, 20, 40, 100 …: a y-axis top that divides into four whole steps."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 8, 10):
        if step * magnitude >= value and (step * magnitude) % 4 == 0:
            return int(step * magnitude)
    return int(math.ceil(value / 4) * 4)


def line_chart(title: str, times: Sequence[datetime], lines: Sequence[Line], y_max: float | None = None,
               zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)) -> str:
    """A time-series line chart: one polyline per ``Line`` (split at gaps), a legend and dates (in ``zone``)."""
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    top = y_max if y_max is not None else _nice_ceiling(max((v for l in lines for v in l.values if v is not None),
                                                            default=0))
    start, end = (times[0], times[-1]) if times else (None, None)
    span = (end - start).total_seconds() if times and end != start else 0.0

    def x(i: int) -> float:
        if not span:
            return _LEFT + plot_w / 2
        return _LEFT + plot_w * (times[i] - start).total_seconds() / span

    def y(value: float) -> float:
        return _TOP + plot_h * (1 - min(max(value, 0), top) / top)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
           f'height="{HEIGHT}" role="img" font-family="sans-serif" font-size="11" class="trend">',
           f"<title>{_esc(title)}</title>",
           f'<text x="{_LEFT}" y="16" font-size="13" font-weight="bold" fill="#222">{_esc(title)}</text>']
    for k in range(5):
        value = top * k / 4
        out.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                   f'stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text x="{_LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#555">{value:g}</text>')
    for i in sorted({0, len(times) // 2, len(times) - 1} if times else set()):
        anchor = "start" if i == 0 and span else ("end" if i == len(times) - 1 and span else "middle")
        out.append(f'<text x="{x(i):.1f}" y="{HEIGHT - _BOTTOM + 16}" text-anchor="{anchor}" fill="#555">'
                   f'{_esc(local_time(times[i], zone, date_only=True))}</text>')
    for n, line in enumerate(lines):
        colour = line.colour or _PALETTE[n % len(_PALETTE)]
        for segment in _segments(line.values):
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in segment)
            out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        if len(times) <= _MARKERS_UP_TO:
            for i, v in enumerate(line.values):
                if v is not None:
                    out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"><title>'
                               f'{_esc(line.label)} {_esc(local_time(times[i], zone))}: '
                               f'{v:g}</title></circle>')
        legend_y = _TOP + 14 * n + 6
        out.append(f'<rect x="{WIDTH - _RIGHT + 12}" y="{legend_y - 8}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{WIDTH - _RIGHT + 27}" y="{legend_y + 1}" fill="#222">{_esc(line.label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _segments(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    segments: list[list[tuple[int, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append((i, value))
    return [s for s in segments if s]


def trend_svgs(store: Store | Path | str, series: str | None = None, *, lang: str = "pl",
               limit: int | None = None, until: datetime | None = None,
               zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)) -> dict[str, str]:
    """The report's trend charts for one office (``series``; default: the office of the latest snapshot).

    Keys: ``score:<baseline id>`` (score and coverage over time, one chart per
    baseline, in baseline-id order) and ``findings`` (open critical and high
    failures over time).  ``until`` (the reported snapshot's start) keeps
    later snapshots out of a report of an older one; ``limit`` keeps the
    newest N.  Empty when the office has no complete snapshot.
    """
    if not isinstance(store, Store):
        with Store(store, read_only=True) as opened:
            return trend_svgs(opened, series, lang=lang, limit=limit, until=until, zone=zone)
    if series is None:
        latest = store.snapshots(limit=1)
        if not latest:
            return {}
        series = latest[0].series
    snapshots = [s for s in store.snapshots(series) if s.usable and (until is None or s.started <= until)]
    snapshots = snapshots[-limit:] if limit else snapshots
    if not snapshots:
        return {}
    text = report_labels()[lang]["trend_chart"]
    times = [s.started for s in snapshots]
    scores = store.scores(s.id for s in snapshots)
    charts: dict[str, str] = {}
    for baseline in sorted({b for per in scores.values() for b in per}):
        rows = [scores.get(s.id, {}).get(baseline) for s in snapshots]
        title = next((r.title.get(lang) or r.title.get("en") for r in reversed(rows) if r and r.title), None)
        charts[f"score:{baseline}"] = line_chart(
            text["score_title"].format(title=title or baseline), times,
            [Line(text["score"], [r.score if r else None for r in rows]),
             Line(text["coverage"], [None if r is None or r.coverage is None else round(100 * r.coverage, 1)
                                     for r in rows])],
            y_max=100, zone=zone,
        )
    charts["findings"] = line_chart(
        text["findings_title"], times,
        [Line(text[severity], [s.counts.get("failing", {}).get(severity, 0) for s in snapshots],
              _SEVERITY_COLOUR[severity]) for severity in ("critical", "high")], zone=zone,
    )
    return charts
