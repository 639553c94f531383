"""Charts as inline SVG, made at build time: risk heat map, roadmap timeline, scorecard, status bar.

Python computes every coordinate and decision; the templates in `templates/charts/` only
draw what they receive, with Jinja autoescape on. Each function returns one `<svg>` element
with no blank line and no XML declaration, so it can sit inside a `<div>` in Markdown.
Text uses `currentColor` (light and dark palettes, print); band and status fills are
explicit and kept in `BAND_COLOURS` / `STATUS_COLOURS` for badges and CSS. Callers pass
only what the portal may show (internal items already dropped). Ids inside a chart are
prefixed with a hash of its input, so several charts can share a page.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import jinja2

from portico.content import model
from portico.portal.jinja import template_loader

__all__ = [
    "BAND_COLOURS", "BAND_TEXT_COLOURS", "STATUS_COLOURS", "STATUS_TEXT_COLOURS", "STATUS_MARKS",
    "timeline_layout",
    "timeline_svg", "TimelineLayout", "TimelineBar", "TimelineLane", "TimelineMark",
    "TimelineQuarter", "scorecard_svg", "status_bar_svg",
]

BAND_COLOURS: dict[str, str] = {
    "low": "#a5d6a7", "medium": "#ffe082", "high": "#ffb74d", "critical": "#ef5350",
}
BAND_TEXT_COLOURS: dict[str, str] = {band: "#1a1a1a" for band in BAND_COLOURS}
STATUS_COLOURS: dict[str, str] = {
    "planned": "#546e7a", "in-progress": "#1565c0", "done": "#2e7d32",
    "at-risk": "#f9a825", "blocked": "#c62828", "dropped": "#9e9e9e",
}
STATUS_TEXT_COLOURS: dict[str, str] = {
    "planned": "#ffffff", "in-progress": "#ffffff", "done": "#ffffff",
    "at-risk": "#1a1a1a", "blocked": "#ffffff", "dropped": "#1a1a1a",
}
# A glyph per status, so a bar's status never rests on colour alone.
STATUS_MARKS: dict[str, str] = {
    "planned": "○", "in-progress": "»", "done": "✓", "at-risk": "!", "blocked": "✕", "dropped": "–",
}
_FALLBACK_FILLS = ("#3949ab", "#00796b", "#6d4c41", "#8e24aa", "#455a64")  # white text on each
MATURITY_WORDS = {0: "None", 5: "Best in class"}
_CHAR_WIDTH = 0.6  # average advance of a sans-serif glyph, in ems; errs wide so text fits
_LEGEND_CHAR_WIDTH = 0.55  # closer to Roboto's, for even spacing between legend entries


def _number(value: Any) -> Any:
    """Print floats as coordinates: at most two decimals, no float noise."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else value


@functools.cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=template_loader(),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
        finalize=_number,
    )


def render_chart(name: str, **context: Any) -> str:
    """Render a chart template and drop indentation and empty lines (Markdown-safe).

    `name` is `charts/<chart>` for the portal's own, `<section>/<chart>` for a section's.
    """
    svg = _env().get_template(f"{name}.svg.j2").render(**context)
    return "\n".join(line.strip() for line in svg.splitlines() if line.strip())


def chart_uid(kind: str, *parts: object) -> str:
    """An id prefix stable for the same input, distinct between charts on one page."""
    return f"{kind}-{hashlib.sha1(repr(parts).encode()).hexdigest()[:8]}"


def one_line(text: str) -> str:
    return " ".join(text.split())


def fit_text(text: str, width: float, size: float) -> str:
    """`text` cut with an ellipsis to fit `width` at font `size`; "" when nothing fits."""
    text = one_line(text)
    room = int(width / (size * _CHAR_WIDTH))
    if len(text) <= room:
        return text
    return text[: room - 1].rstrip() + "…" if room >= 3 else ""


def _text_width(text: str, size: float, em: float = _CHAR_WIDTH) -> float:
    return len(text) * size * em


def _fill(key: str, index: int) -> tuple[str, str]:
    """Fill and text colour of a status, a band, or (unknown key) a neutral colour."""
    if key in STATUS_COLOURS:
        return STATUS_COLOURS[key], STATUS_TEXT_COLOURS[key]
    if key in BAND_COLOURS:
        return BAND_COLOURS[key], BAND_TEXT_COLOURS[key]
    return _FALLBACK_FILLS[index % len(_FALLBACK_FILLS)], "#ffffff"


def _legend(entries: Sequence[str], width: float, size: float, swatch: float) -> list[
        tuple[float, int]]:
    """(x, row) of each legend entry (swatch, gap, label), wrapping rows at `width`."""
    placed, x, row = [], 0.0, 0
    for text in entries:
        step = swatch + 6 + _text_width(text, size, _LEGEND_CHAR_WIDTH) + 20
        if x and x + step - 20 > width:
            x, row = 0.0, row + 1
        placed.append((round(x, 1), row))
        x += step
    return placed


# --- Roadmap timeline ---------------------------------------------------------------

_TL_WIDTH, _TL_LEFT, _TL_RIGHT, _TL_HEADER = 880, 136, 12, 34
_TL_ROW, _TL_BAR_H, _TL_MARK_ROW, _TL_PAD, _TL_FONT = 31, 24, 26, 6, 14
_TL_MIN_BAR, _TL_GAP, _TL_MARK_LABEL, _TL_MARK_FONT = 8.0, 4.0, 220.0, 13
_UNASSIGNED = "Unassigned"
_TL_LEGEND_TEXT = (*(f"{STATUS_MARKS[s]} {s}" for s in model.ITEM_STATUSES), "Milestone")
_TL_LEGEND = [  # (status or "milestone", label, x, y): the same on every timeline
    (key, text, x, row * 22) for key, text, (x, row) in zip(
        (*model.ITEM_STATUSES, "milestone"), _TL_LEGEND_TEXT,
        _legend(_TL_LEGEND_TEXT, _TL_WIDTH, 13, 22), strict=True)
]
_BAR_LOOK: dict[str, dict[str, Any]] = {  # fill, text, outline, strike; planned is hatched
    status: {"fill": STATUS_COLOURS[status], "ink": STATUS_TEXT_COLOURS[status],
             "stroke": "none", "strike": False}
    for status in model.ITEM_STATUSES
} | {
    "planned": {"fill": "hatch", "ink": "#1a1a1a", "stroke": STATUS_COLOURS["planned"],
                "strike": False},
    "dropped": {"fill": "#e0e0e0", "ink": "#616161", "stroke": "#9e9e9e", "strike": True},
}


@dataclass(frozen=True)
class TimelineBar:
    """One dated roadmap item, placed in a row of its lane."""

    item: model.RoadmapItem
    lane: str
    row: int
    x: float
    y: float
    width: float
    height: float
    label: str  # fitted to the bar, maybe ""
    title: str  # the full text


@dataclass(frozen=True)
class TimelineMark:
    """A milestone diamond and its label; lane None means the band across the top."""

    title: str
    label: str
    lane: str | None
    x: float
    y: float
    label_x: float
    anchor: str  # "start" (label right of the diamond) or "end"


@dataclass(frozen=True)
class TimelineLane:
    """A workstream's band: its rows of bars, then its rows of milestones."""

    name: str
    label: str
    y: float
    height: float


@dataclass(frozen=True)
class TimelineQuarter:
    """A quarter column and its header label."""

    label: str
    x: float
    width: float


@dataclass(frozen=True)
class TimelineLayout:
    """Every coordinate of the timeline, in viewBox units (`width` × `height`)."""

    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float  # below the header
    plot_bottom: float
    first: dt.date
    last: dt.date
    quarters: tuple[TimelineQuarter, ...]
    lanes: tuple[TimelineLane, ...]
    bars: tuple[TimelineBar, ...]
    marks: tuple[TimelineMark, ...]
    top_band: float  # height of the band of milestones without a workstream
    today_x: float | None


def _quarter(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarters(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out = [first]
    while out[-1] < last or len(out) < 4:
        year, q = out[-1]
        out.append((year + q // 4, q % 4 + 1))
    return out


def _pack(extents: Sequence[tuple[float, float]]) -> list[int]:
    """Row of each (left, right) extent so none overlaps in a row; sorted by left is optimal."""
    ends: list[float] = []
    rows: list[int] = []
    for left, right in extents:
        row = next((i for i, end in enumerate(ends) if left >= end + _TL_GAP), len(ends))
        ends[row:row + 1] = [right]
        rows.append(row)
    return rows


def _lane_names(items: Sequence[model.RoadmapItem], milestones: Sequence[model.Milestone],
                workstreams: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(workstreams))
    for used in [i.workstream for i in items] + [m.workstream for m in milestones]:
        if used and used not in names:
            names.append(used)
    if any(not item.workstream for item in items):
        names.append(_UNASSIGNED)
    return names


@dataclass(frozen=True)
class _Axis:
    """Days to x: `first` is at `left`, the day after `last` at `right`."""

    first: dt.date
    last: dt.date
    left: float
    right: float

    def x(self, day: dt.date) -> float:
        days = (self.last - self.first).days + 1
        return round(self.left + (day - self.first).days * (self.right - self.left) / days, 1)


def _quarter_columns(axis: _Axis, columns: Sequence[tuple[int, int]]) -> list[TimelineQuarter]:
    quarters: list[TimelineQuarter] = []
    for year, q in columns:
        q_first, q_last = model.quarter_bounds(f"{year}-Q{q}")
        x, end = axis.x(q_first), axis.x(q_last + dt.timedelta(days=1))
        label = f"{year} Q{q}"
        if end - x < _text_width(label, _TL_FONT) + 8 and q != 1 and quarters:
            label = f"Q{q}"  # narrow columns: the year only where it changes
        shown = fit_text(label, end - x - 4, _TL_FONT)
        quarters.append(TimelineQuarter(shown, x, round(end - x, 1)))
    return quarters


def _place_marks(group: Sequence[model.Milestone], axis: _Axis, lane: str | None,
                 top: float) -> tuple[list[TimelineMark], int]:
    """Milestones in rows from `top`, each label right of its diamond unless it would overflow."""
    marks, extents = [], []
    for m in sorted(group, key=lambda m: m.date):
        x, label = axis.x(m.date), fit_text(m.title, _TL_MARK_LABEL, _TL_MARK_FONT)
        width = _text_width(label, _TL_MARK_FONT)
        start = x + 11 + width <= axis.right
        extents.append((x - 8, x + 11 + width) if start else (x - 11 - width, x + 8))
        marks.append(TimelineMark(f"{one_line(m.title)}: {m.date.isoformat()}", label, lane,
                                  x, 0, x + 11 if start else x - 11, "start" if start else "end"))
    rows = _pack(extents)
    placed = [replace(mark, y=top + row * _TL_MARK_ROW + _TL_MARK_ROW / 2)
              for mark, row in zip(marks, rows, strict=True)]
    return placed, max(rows, default=-1) + 1


def _place_bars(dated: Sequence[tuple[model.RoadmapItem, tuple[dt.date, dt.date]]], axis: _Axis,
                lane: str, top: float) -> tuple[list[TimelineBar], int]:
    """The lane's bars in rows from `top`, in start order, none overlapping in a row."""
    dated = sorted(dated, key=lambda pair: (pair[1], pair[0].id))
    extents = [(axis.x(first), max(axis.x(last + dt.timedelta(days=1)),
                                   axis.x(first) + _TL_MIN_BAR)) for _, (first, last) in dated]
    rows = _pack(extents)
    bars = []
    for (item, (first, last)), (x0, x1), row in zip(dated, extents, rows, strict=True):
        text = f"{STATUS_MARKS[item.status]} {item.id} {one_line(item.title)}"
        bars.append(TimelineBar(
            item=item, lane=lane, row=row, x=x0, y=top + row * _TL_ROW, width=round(x1 - x0, 1),
            height=_TL_BAR_H, label=fit_text(text, x1 - x0 - 10, _TL_FONT),
            title=f"{item.id} {one_line(item.title)} ({item.status}), "
                  f"{first.isoformat()} to {last.isoformat()}"))
    return bars, max(rows, default=-1) + 1


def timeline_layout(
    items: Sequence[model.RoadmapItem], milestones: Sequence[model.Milestone],
    workstreams: Sequence[str], *, today: dt.date,
) -> TimelineLayout:
    """Place the dated items and the milestones: quarters across, one lane per workstream.

    Quarters run from the earliest to the latest date (at least four); lanes follow
    `workstreams`, then workstreams used but not listed, then "Unassigned". Undated
    items are left out. Bars and milestone labels are packed into rows that never overlap.
    """
    dated = [(item, span) for item in items if (span := item.span()) is not None]
    days = [d for _, span in dated for d in span] + [m.date for m in milestones] or [today]
    columns = _quarters(_quarter(min(days)), _quarter(max(days)))
    axis = _Axis(model.quarter_bounds("{}-Q{}".format(*columns[0]))[0],
                 model.quarter_bounds("{}-Q{}".format(*columns[-1]))[1],
                 _TL_LEFT, _TL_WIDTH - _TL_RIGHT)
    marks, top_rows = _place_marks([m for m in milestones if not m.workstream], axis, None,
                                   _TL_HEADER + 2)
    top_band = top_rows * _TL_MARK_ROW + 4 if top_rows else 0
    y = _TL_HEADER + top_band
    lanes, bars = [], []
    for name in _lane_names([i for i, _ in dated], milestones, workstreams):
        mine = [(i, span) for i, span in dated if (i.workstream or _UNASSIGNED) == name]
        lane_bars, bar_rows = _place_bars(mine, axis, name, y + _TL_PAD)
        lane_marks, mark_rows = _place_marks([m for m in milestones if m.workstream == name],
                                             axis, name, y + _TL_PAD + bar_rows * _TL_ROW)
        height = 2 * _TL_PAD + max(bar_rows * _TL_ROW + mark_rows * _TL_MARK_ROW, _TL_ROW)
        lanes.append(TimelineLane(name, fit_text(name, _TL_LEFT - 16, 14), y, height))
        bars += lane_bars
        marks += lane_marks
        y += height
    return TimelineLayout(
        width=_TL_WIDTH, height=y + 52 + _TL_LEGEND[-1][3], plot_left=axis.left,
        plot_right=axis.right, plot_top=_TL_HEADER, plot_bottom=y, first=axis.first,
        last=axis.last, quarters=tuple(_quarter_columns(axis, columns)), lanes=tuple(lanes),
        bars=tuple(bars), marks=tuple(marks), top_band=top_band,
        today_x=axis.x(today) if axis.first <= today <= axis.last else None,
    )


def timeline_svg(
    items: Sequence[model.RoadmapItem], milestones: Sequence[model.Milestone],
    workstreams: Sequence[str], *, today: dt.date, link: Callable[[model.RoadmapItem], str],
) -> str:
    """The roadmap timeline (see `timeline_layout`), each bar a link to its item."""
    layout = timeline_layout(items, milestones, workstreams, today=today)
    return render_chart(
        "charts/timeline",
        uid=chart_uid("timeline", [(i.id, i.start, i.end) for i in items], today),
        layout=layout, look=_BAR_LOOK, links=[link(bar.item) for bar in layout.bars],
        legend=_TL_LEGEND,
        description=(f"{len(layout.bars)} dated roadmap items in {len(layout.lanes)} workstreams "
                     f"from {layout.quarters[0].label} to {layout.quarters[-1].label}, "
                     f"and {len(layout.marks)} milestones."),
    )


# --- Scorecard and status bar ----------------------------------------------------------

_SC_WIDTH, _SC_NAME, _SC_BAR0, _SC_BAR1, _SC_ROW = 720, 196, 212, 602, 34


def _area_title(area: model.ScoreArea) -> str:
    target = f", target {area.target}" if area.target is not None else ""
    note = f". {one_line(area.note)}" if area.note else ""
    return f"{one_line(area.area)}: {area.score} of 5{target}{note}"


def scorecard_svg(scores: Sequence[model.ScoreArea]) -> str:
    """The maturity scorecard: a 0..5 bar per area, a target marker where given, "2 → 4"."""
    unit = (_SC_BAR1 - _SC_BAR0) / 5
    rows = [{
        "y": 8 + index * _SC_ROW, "name": fit_text(area.area, _SC_NAME - 8, 14),
        "title": _area_title(area), "width": area.score * unit,
        "numbers": str(area.score) if area.target is None else f"{area.score} → {area.target}",
        "target_x": None if area.target is None else _SC_BAR0 + area.target * unit,
    } for index, area in enumerate(scores)]
    bottom = 8 + len(scores) * _SC_ROW
    has_targets = any(area.target is not None for area in scores)
    return render_chart(
        "charts/scorecard",
        uid=chart_uid("scorecard", [(s.area, s.score, s.target) for s in scores]),
        width=_SC_WIDTH, height=bottom + (66 if has_targets else 44), rows=rows, bottom=bottom,
        name_right=_SC_NAME, bar0=_SC_BAR0, row_h=_SC_ROW, has_targets=has_targets,
        grid=[(_SC_BAR0 + n * unit, n, MATURITY_WORDS.get(n, "")) for n in range(6)],
        description="Maturity by area, 0 (none) to 5 (best in class): "
        + "; ".join(_area_title(area) for area in scores) + ".",
    )


_SB_WIDTH, _SB_BAR_Y, _SB_BAR_H = 720, 26, 24


def status_bar_svg(counts: Sequence[tuple[str, int]], *, label: str) -> str:
    """A stacked bar of counts in the given order (e.g. items by status), with a legend.

    Roadmap statuses and risk bands get their colours; other keys a neutral palette.
    """
    total = sum(n for _, n in counts)
    segments, x = [], 0.0
    for index, (key, n) in enumerate(counts):
        fill, ink = _fill(key, index)
        width = _SB_WIDTH * n / total if total else 0
        if n:
            segments.append({"x": round(x, 1), "width": round(width, 1), "fill": fill,
                             "ink": ink, "title": f"{key}: {n}",
                             "text": str(n) if width >= _text_width(str(n), 13) + 8 else ""})
        x += width
    entries = [f"{key} {n}" for key, n in counts]
    placed = _legend(entries, _SB_WIDTH, 13, 14)
    legend = [{"x": x, "y": _SB_BAR_Y + _SB_BAR_H + 14 + row * 22, "text": text,
               "fill": _fill(key, index)[0]}
              for index, (text, (key, _), (x, row)) in enumerate(zip(entries, counts, placed,
                                                                    strict=True))]
    rows = 1 + max((row for _, row in placed), default=0)
    return render_chart(
        "charts/status_bar", uid=chart_uid("status", list(counts), label), width=_SB_WIDTH,
        height=_SB_BAR_Y + _SB_BAR_H + 14 + rows * 22, label=one_line(label),
        total=total, bar_y=_SB_BAR_Y, bar_h=_SB_BAR_H, segments=segments, legend=legend,
        description=f"{one_line(label)}: " + ", ".join(f"{k} {n}" for k, n in counts)
        + f"; {total} in total.",
    )
