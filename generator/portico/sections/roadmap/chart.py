"""The roadmap timeline: a lane per workstream, a bar per dated item, quarters and milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from portico.portal.charts import (
    STATUS_COLOURS,
    STATUS_TEXT_COLOURS,
    ChartLink,
    LinkedChart,
    chart_uid,
    fit_text,
    legend_layout,
    one_line,
    render_chart,
    text_width,
)
from portico.sections.roadmap.model import STATUSES, Milestone, RoadmapItem, quarter_bounds

# A glyph per status, so a bar's status never rests on colour alone.
STATUS_MARKS: dict[str, str] = {
    "planned": "○", "in-progress": "»", "done": "✓", "at-risk": "!", "blocked": "✕", "dropped": "–",
}

_TL_WIDTH, _TL_LEFT, _TL_RIGHT, _TL_HEADER = 880, 136, 12, 34
_TL_ROW, _TL_BAR_H, _TL_MARK_ROW, _TL_PAD, _TL_FONT = 31, 24, 26, 6, 14
_TL_MIN_BAR, _TL_GAP, _TL_MARK_LABEL, _TL_MARK_FONT = 8.0, 4.0, 220.0, 13
_UNASSIGNED = "Unassigned"
_TL_LEGEND_TEXT = (*(f"{STATUS_MARKS[s]} {s}" for s in STATUSES), "Milestone")
_TL_LEGEND = [  # (status or "milestone", label, x, y): the same on every timeline
    (key, text, x, row * 22) for key, text, (x, row) in zip(
        (*STATUSES, "milestone"), _TL_LEGEND_TEXT,
        legend_layout(_TL_LEGEND_TEXT, _TL_WIDTH, 13, 22), strict=True)
]
_BAR_LOOK: dict[str, dict[str, Any]] = {  # fill, text, outline, strike; planned is hatched
    status: {"fill": STATUS_COLOURS[status], "ink": STATUS_TEXT_COLOURS[status],
             "stroke": "none", "strike": False}
    for status in STATUSES
} | {
    "planned": {"fill": "hatch", "ink": "#1a1a1a", "stroke": STATUS_COLOURS["planned"],
                "strike": False},
    "dropped": {"fill": "#e0e0e0", "ink": "#616161", "stroke": "#9e9e9e", "strike": True},
}


@dataclass(frozen=True)
class TimelineBar:
    """One dated roadmap item, placed in a row of its lane."""

    item: RoadmapItem
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


def _lane_names(items: Sequence[RoadmapItem], milestones: Sequence[Milestone],
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
        q_first, q_last = quarter_bounds(f"{year}-Q{q}")
        x, end = axis.x(q_first), axis.x(q_last + dt.timedelta(days=1))
        label = f"{year} Q{q}"
        if end - x < text_width(label, _TL_FONT) + 8 and q != 1 and quarters:
            label = f"Q{q}"  # narrow columns: the year only where it changes
        shown = fit_text(label, end - x - 4, _TL_FONT)
        quarters.append(TimelineQuarter(shown, x, round(end - x, 1)))
    return quarters


def _place_marks(group: Sequence[Milestone], axis: _Axis, lane: str | None,
                 top: float) -> tuple[list[TimelineMark], int]:
    """Milestones in rows from `top`, each label right of its diamond unless it would overflow."""
    marks, extents = [], []
    for m in sorted(group, key=lambda m: m.date):
        x, label = axis.x(m.date), fit_text(m.title, _TL_MARK_LABEL, _TL_MARK_FONT)
        width = text_width(label, _TL_MARK_FONT)
        start = x + 11 + width <= axis.right
        extents.append((x - 8, x + 11 + width) if start else (x - 11 - width, x + 8))
        marks.append(TimelineMark(f"{one_line(m.title)}: {m.date.isoformat()}", label, lane,
                                  x, 0, x + 11 if start else x - 11, "start" if start else "end"))
    rows = _pack(extents)
    placed = [replace(mark, y=top + row * _TL_MARK_ROW + _TL_MARK_ROW / 2)
              for mark, row in zip(marks, rows, strict=True)]
    return placed, max(rows, default=-1) + 1


def _place_bars(dated: Sequence[tuple[RoadmapItem, tuple[dt.date, dt.date]]], axis: _Axis,
                lane: str, top: float, tags: Mapping[str, Sequence[str]]
                ) -> tuple[list[TimelineBar], int]:
    """The lane's bars in rows from `top`, in start order, none overlapping in a row."""
    dated = sorted(dated, key=lambda pair: (pair[1], pair[0].id))
    extents = [(axis.x(first), max(axis.x(last + dt.timedelta(days=1)),
                                   axis.x(first) + _TL_MIN_BAR)) for _, (first, last) in dated]
    rows = _pack(extents)
    bars = []
    for (item, (first, last)), (x0, x1), row in zip(dated, extents, rows, strict=True):
        delivers = " ".join(tags.get(item.id, ()))
        text = f"{STATUS_MARKS[item.status]} {item.id}{' · ' + delivers if delivers else ''} " \
               f"{one_line(item.title)}"
        bars.append(TimelineBar(
            item=item, lane=lane, row=row, x=x0, y=top + row * _TL_ROW, width=round(x1 - x0, 1),
            height=_TL_BAR_H, label=fit_text(text, x1 - x0 - 10, _TL_FONT),
            title=f"{item.id} {one_line(item.title)} ({item.status}), "
                  f"{first.isoformat()} to {last.isoformat()}"
                  f"{'; delivers ' + delivers if delivers else ''}"))
    return bars, max(rows, default=-1) + 1


def timeline_layout(
    items: Sequence[RoadmapItem], milestones: Sequence[Milestone],
    workstreams: Sequence[str], *, today: dt.date, tags: Mapping[str, Sequence[str]] | None = None,
) -> TimelineLayout:
    """Place the dated items and the milestones: quarters across, one lane per workstream.

    Quarters run from the earliest to the latest date (at least four); lanes follow
    `workstreams`, then workstreams used but not listed, then "Unassigned". Undated
    items are left out. Bars and milestone labels are packed into rows that never overlap.
    `tags`: item id → ids of what the item delivers (AI opportunities), shown on its bar.
    """
    dated = [(item, span) for item in items if (span := item.span()) is not None]
    days = [d for _, span in dated for d in span] + [m.date for m in milestones] or [today]
    columns = _quarters(_quarter(min(days)), _quarter(max(days)))
    axis = _Axis(quarter_bounds("{}-Q{}".format(*columns[0]))[0],
                 quarter_bounds("{}-Q{}".format(*columns[-1]))[1],
                 _TL_LEFT, _TL_WIDTH - _TL_RIGHT)
    marks, top_rows = _place_marks([m for m in milestones if not m.workstream], axis, None,
                                   _TL_HEADER + 2)
    top_band = top_rows * _TL_MARK_ROW + 4 if top_rows else 0
    y = _TL_HEADER + top_band
    lanes, bars = [], []
    for name in _lane_names([i for i, _ in dated], milestones, workstreams):
        mine = [(i, span) for i, span in dated if (i.workstream or _UNASSIGNED) == name]
        lane_bars, bar_rows = _place_bars(mine, axis, name, y + _TL_PAD, tags or {})
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
    items: Sequence[RoadmapItem], milestones: Sequence[Milestone],
    workstreams: Sequence[str], *, today: dt.date, link: Callable[[RoadmapItem], str],
    tags: Mapping[str, Sequence[str]] | None = None,
) -> LinkedChart:
    """The roadmap timeline (see `timeline_layout`), each bar a link to its item."""
    layout = timeline_layout(items, milestones, workstreams, today=today, tags=tags)
    svg = render_chart(
        "roadmap/timeline",
        uid=chart_uid("timeline", [(i.id, i.start, i.end) for i in items], today),
        layout=layout, look=_BAR_LOOK,
        legend=_TL_LEGEND,
        description=(f"{len(layout.bars)} dated roadmap items in {len(layout.lanes)} workstreams "
                     f"from {layout.quarters[0].label} to {layout.quarters[-1].label}, "
                     f"and {len(layout.marks)} milestones."),
    )
    links = tuple(ChartLink(link(b.item), b.title, b.x, b.y, b.width, b.height)
                  for b in layout.bars)
    return LinkedChart(svg, links, layout.width, layout.height)
