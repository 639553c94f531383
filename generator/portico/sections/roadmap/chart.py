"""The roadmap timeline: a lane per workstream, a bar per dated item, quarters and milestones.

Its phone form is in `phone.py`."""

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
    wrap_words,
)
from portico.portal.labels import label as word_for
from portico.sections.roadmap.axis import (
    Axis,
    MonthFormat,
    TimelineQuarter,
    english_month,
    time_axis,
)
from portico.sections.roadmap.model import STATUSES, Milestone, RoadmapItem

DayFormat = Callable[[dt.date | str], str]  # a day, or a quarter written 2026-Q3


def iso_day(day: dt.date | str) -> str:
    """A day or quarter as written in YAML, for callers without a portal locale (tests)."""
    return day.isoformat() if isinstance(day, dt.date) else str(day)


def written_span(item: RoadmapItem, day: DayFormat) -> str:
    """When the item runs, as its author wrote it: "Q3 2026 – Q1 2027", never the exact
    days a quarter stands for."""
    start, end = item.start or item.end, item.end or item.start
    return day(start) if start == end else f"{day(start)} – {day(end)}"  # type: ignore[arg-type]

# A glyph per status, so a bar's status never rests on colour alone.
STATUS_MARKS: dict[str, str] = {
    "planned": "○", "in-progress": "»", "done": "✓", "at-risk": "!", "blocked": "✕", "dropped": "–",
}

_TL_WIDTH, _TL_LEFT, _TL_RIGHT, _TL_HEADER = 880, 136, 12, 34
_TL_ROW, _TL_BAR_H, _TL_MARK_ROW, _TL_PAD, _TL_FONT = 31, 24, 26, 6, 14
_TL_MIN_BAR, _TL_GAP, _TL_MARK_FONT = 8.0, 4.0, 13
_TL_LANE_LINE = 17  # a lane name's line pitch
_TL_MIN_GUIDE = 12.0  # the shortest stretch of a Today or milestone line drawn
_TL_INSET, _TL_BESIDE = 6.0, 6.0  # label inside a bar from its left end; beside it, the gap
_UNASSIGNED = "Unassigned"
_TL_LEGEND_TEXT = (*(f"{STATUS_MARKS[s]} {word_for(s)}" for s in STATUSES), "Milestone")
_TL_LEGEND = [  # (status or "milestone", label, x, y): the same on every timeline
    (key, text, x, row * 22) for key, text, (x, row) in zip(
        (*STATUSES, "milestone"), _TL_LEGEND_TEXT,
        legend_layout(_TL_LEGEND_TEXT, _TL_WIDTH, 13, 22), strict=True)
]
_BAR_LOOK: dict[str, dict[str, Any]] = {  # fill, text, outline; planned is hatched, dropped dashed
    status: {"fill": STATUS_COLOURS[status], "ink": STATUS_TEXT_COLOURS[status],
             "stroke": "none", "dashed": False}
    for status in STATUSES
} | {
    "planned": {"fill": "hatch", "ink": "#1a1a1a", "stroke": STATUS_COLOURS["planned"],
                "dashed": False},
    "dropped": {"fill": "#e0e0e0", "ink": "#616161", "stroke": "#9e9e9e", "dashed": True},
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
    label: str  # the whole label, never cut, on one line
    title: str  # the full text
    label_x: float
    label_y: float  # its baseline
    label_anchor: str  # "start" or "end" (a label left of its bar)
    label_inside: bool  # on the bar, in the status's text colour; else beside or under it
    label_under: bool  # too long for either side: in the row under the bar, from its start

    @property
    def label_box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the label, at the width `text_width` allows."""
        return _text_box(self.label, self.label_x, self.label_y, self.label_anchor, _TL_FONT)


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

    @property
    def label_box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the label (bold: a little wider)."""
        return _text_box(self.label, self.label_x, self.y + 4, self.anchor, _TL_MARK_FONT * 1.08)


@dataclass(frozen=True)
class TimelineLane:
    """A workstream's band: its rows of bars, then its rows of milestones."""

    name: str
    label: tuple[str, ...]  # the name in up to three lines, each whole or cut with "…"
    y: float
    height: float


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
    today_segments: tuple[tuple[float, float], ...]  # (y1, y2): the Today line, gapped
    guides: tuple[tuple[int, float, tuple[tuple[float, float], ...]], ...]
    """(index of its mark, x, segments): the line down from each top-band milestone, gapped
    where it would cross a label (lines run behind labels and never through one)."""


def _text_box(text: str, x: float, baseline: float, anchor: str, size: float
              ) -> tuple[float, float, float, float]:
    width = text_width(text, size)
    left = x - width if anchor == "end" else x
    return left, baseline - size, left + width, baseline + size * 0.3


def _gapped(x: float, top: float, bottom: float,
            boxes: Sequence[tuple[float, float, float, float]]) -> tuple[tuple[float, float], ...]:
    """The stretches of a vertical line at `x` from `top` to `bottom` that cross no box (with
    a margin): a line passes behind a label as a gap, never through its text."""
    cuts = sorted((t - 3, b + 3) for left, t, right, b in boxes if left - 3 <= x <= right + 3)
    segments, y = [], top
    for cut_top, cut_bottom in cuts:
        if cut_top > y:
            segments.append((round(y, 1), round(min(cut_top, bottom), 1)))
        y = max(y, cut_bottom)
        if y >= bottom:
            break
    if y < bottom:
        segments.append((round(y, 1), round(bottom, 1)))
    # A stub left between two labels (a few units between rows) reads on paper as a stroke
    # through the text beside it: a line is drawn where it runs on, or not at all.
    return tuple((a, b) for a, b in segments if b - a >= _TL_MIN_GUIDE)


def _pack(extents: Sequence[tuple[float, float]], heights: Sequence[int] | None = None
          ) -> list[int]:
    """First row of each (left, right) extent so none overlaps another in any row it takes;
    an extent takes `heights[i]` rows (default one). Sorted by left, one row each, this is
    optimal."""
    ends: list[float] = []
    rows: list[int] = []
    for index, (left, right) in enumerate(extents):
        tall = heights[index] if heights else 1
        row = 0
        while any(k < len(ends) and left < ends[k] + _TL_GAP for k in range(row, row + tall)):
            row += 1
        ends += [float("-inf")] * (row + tall - len(ends))
        ends[row:row + tall] = [right] * tall
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


def _place_marks(group: Sequence[Milestone], axis: Axis, lane: str | None,
                 top: float, day: DayFormat = iso_day) -> tuple[list[TimelineMark], int]:
    """Milestones in rows from `top`, each label right of its diamond unless it would overflow."""
    marks, extents = [], []
    for m in sorted(group, key=lambda m: m.date):
        x, label = axis.x(m.date), one_line(m.title)  # whole: a board reads every word
        width = text_width(label, _TL_MARK_FONT * 1.08)
        start = x + 11 + width <= axis.right or x - 11 - width < axis.left
        label_x = min(x + 11, axis.right - width) if start else x - 11
        extents.append((min(x - 8, label_x), label_x + width) if start
                       else (x - 11 - width, x + 8))
        marks.append(TimelineMark(f"{one_line(m.title)}: {day(m.date)}", label, lane,
                                  x, 0, label_x, "start" if start else "end"))
    rows = _pack(extents)
    placed = [replace(mark, y=top + row * _TL_MARK_ROW + _TL_MARK_ROW / 2)
              for mark, row in zip(marks, rows, strict=True)]
    return placed, max(rows, default=-1) + 1


@dataclass(frozen=True)
class _Label:
    x: float
    anchor: str
    inside: bool
    under: bool
    left: float  # bar and label together, for packing
    right: float


def _place_label(text: str, x0: float, x1: float, axis: Axis) -> _Label:
    """Where a bar's label goes, always whole on one line: inside when it fits, else beside
    the bar (right, then left) where it fits, else in the row under the bar from its start
    (moved left as far as the plot's right edge needs)."""
    need = text_width(text, _TL_FONT)
    if x1 - x0 - 2 * _TL_INSET >= need:
        return _Label(x0 + _TL_INSET, "start", True, False, x0, x1)
    if axis.right - x1 - _TL_BESIDE >= need:
        return _Label(x1 + _TL_BESIDE, "start", False, False, x0, x1 + _TL_BESIDE + need)
    if x0 - _TL_BESIDE - axis.left >= need:
        return _Label(x0 - _TL_BESIDE, "end", False, False, x0 - _TL_BESIDE - need, x1)
    x = max(axis.left + 2, min(x0, axis.right - need))
    return _Label(x, "start", False, True, min(x, x0), max(x + need, x1))


def bar_label(item: RoadmapItem) -> str:
    """An item's label: its status glyph and title (its id is the CTO's bookkeeping)."""
    return f"{STATUS_MARKS[item.status]} {one_line(item.title)}"


def _place_bars(dated: Sequence[tuple[RoadmapItem, tuple[dt.date, dt.date]]], axis: Axis,
                lane: str, top: float, tags: Mapping[str, Sequence[str]],
                day: DayFormat = iso_day) -> tuple[list[TimelineBar], int]:
    """The lane's bars in rows from `top`, in start order; no bar or label overlaps another
    in a row (a label beside its bar takes its room in the row)."""
    dated = sorted(dated, key=lambda pair: (pair[1], pair[0].id))
    spans = [(axis.x(first), max(axis.x(last + dt.timedelta(days=1)),
                                 axis.x(first) + _TL_MIN_BAR)) for _, (first, last) in dated]
    labels = [_place_label(bar_label(item), x0, x1, axis)
              for (item, _), (x0, x1) in zip(dated, spans, strict=True)]
    order = sorted(range(len(dated)), key=lambda i: labels[i].left)  # packing: left order
    packed = _pack([(labels[i].left, labels[i].right) for i in order],
                   [2 if labels[i].under else 1 for i in order])
    rows = [0] * len(dated)
    for i, row in zip(order, packed, strict=True):
        rows[i] = row
    bars = []
    for (item, _), (x0, x1), label, row in zip(dated, spans, labels, rows,
                                                           strict=True):
        delivers = "; ".join(tags.get(item.id, ()))
        y = top + row * _TL_ROW
        bars.append(TimelineBar(
            item=item, lane=lane, row=row, x=x0, y=y, width=round(x1 - x0, 1),
            height=_TL_BAR_H, label=bar_label(item), label_x=round(label.x, 1),
            label_y=y + _TL_BAR_H / 2 + 5 + (_TL_ROW if label.under else 0),
            label_anchor=label.anchor, label_inside=label.inside, label_under=label.under,
            title=f"{one_line(item.title)} ({word_for(item.status).lower()}), "
                  f"{written_span(item, day)}"
                  f"{'; delivers ' + delivers if delivers else ''}"))
    used = max((row + (2 if label.under else 1) for row, label in zip(rows, labels, strict=True)),
               default=0)
    return bars, used


def _lane_label(name: str) -> tuple[str, ...]:
    """A workstream's name in up to three lines of whole words (bold, so a little wider);
    what still does not fit is cut with "…", and the full name is the label's title."""
    width, size = _TL_LEFT - 16, _TL_FONT * 1.08
    lines = wrap_words(name, width, size)
    if len(lines) > 3:
        lines = (*lines[:2], " ".join(lines[2:]))
    return tuple(fit_text(line, width, size) for line in lines)


def timeline_layout(
    items: Sequence[RoadmapItem], milestones: Sequence[Milestone],
    workstreams: Sequence[str], *, today: dt.date, tags: Mapping[str, Sequence[str]] | None = None,
    day: DayFormat = iso_day, month: MonthFormat = english_month,
) -> TimelineLayout:
    """Place the dated items and the milestones: quarters across, one lane per workstream.

    Columns run from the earliest to the latest date: months when they fit in six, else
    quarters (at least four; see `axis.time_axis`); lanes follow
    `workstreams`, then workstreams used but not listed, then "Unassigned"; a lane with
    nothing dated in it is not drawn. Undated items are left out. Bars, their labels and
    milestone labels are packed into rows that never overlap; every label is whole on one
    line: inside its bar, beside it, or in the row under it. The Today line and the lines
    down from the milestones are cut where they would cross a label.
    `tags`: item id → ids of what the item delivers (AI opportunities), shown on its bar.
    """
    dated = [(item, span) for item in items if (span := item.span()) is not None]
    days = [d for _, span in dated for d in span] + [m.date for m in milestones] or [today]
    axis, columns = time_axis(days, dated=bool(dated or milestones), left=_TL_LEFT,
                              right=_TL_WIDTH - _TL_RIGHT, month=month)
    marks, top_rows = _place_marks([m for m in milestones if not m.workstream], axis, None,
                                   _TL_HEADER + 2, day)
    top_band = top_rows * _TL_MARK_ROW + 4 if top_rows else 0
    y = _TL_HEADER + top_band
    lanes, bars = [], []
    for name in _lane_names([i for i, _ in dated], milestones, workstreams):
        mine = [(i, span) for i, span in dated if (i.workstream or _UNASSIGNED) == name]
        lane_bars, bar_rows = _place_bars(mine, axis, name, y + _TL_PAD, tags or {}, day)
        lane_marks, mark_rows = _place_marks([m for m in milestones if m.workstream == name],
                                             axis, name, y + _TL_PAD + bar_rows * _TL_ROW,
                                             day)
        if not lane_bars and not lane_marks:
            continue  # a workstream listed with nothing dated: an empty band says nothing
        label = _lane_label(name)
        height = 2 * _TL_PAD + max(bar_rows * _TL_ROW + mark_rows * _TL_MARK_ROW, _TL_ROW,
                                   len(label) * _TL_LANE_LINE + 10)
        lanes.append(TimelineLane(name, label, y, height))
        bars += lane_bars
        marks += lane_marks
        y += height
    boxes = [b.label_box for b in bars] + [m.label_box for m in marks]
    today_x = axis.x(today) if axis.first <= today <= axis.last else None
    guides = tuple((index, m.x, _gapped(m.x, m.y + 8, y, boxes))
                   for index, m in enumerate(marks, start=1) if m.lane is None)
    return TimelineLayout(
        width=_TL_WIDTH, height=y + 52 + _TL_LEGEND[-1][3], plot_left=axis.left,
        plot_right=axis.right, plot_top=_TL_HEADER, plot_bottom=y, first=axis.first,
        last=axis.last, quarters=tuple(columns), lanes=tuple(lanes),
        bars=tuple(bars), marks=tuple(marks), top_band=top_band, today_x=today_x,
        today_segments=() if today_x is None else _gapped(today_x, _TL_HEADER, y + 6, boxes),
        guides=guides,
    )


def timeline_svg(
    items: Sequence[RoadmapItem], milestones: Sequence[Milestone],
    workstreams: Sequence[str], *, today: dt.date, link: Callable[[RoadmapItem], str],
    tags: Mapping[str, Sequence[str]] | None = None, day: DayFormat = iso_day,
    month: MonthFormat = english_month,
) -> LinkedChart:
    """The roadmap timeline (see `timeline_layout`), each bar a link to its item."""
    layout = timeline_layout(items, milestones, workstreams, today=today, tags=tags, day=day,
                             month=month)
    svg = render_chart(
        "roadmap/timeline",
        uid=chart_uid("timeline", [(i.id, i.start, i.end) for i in items], today),
        layout=layout, look=_BAR_LOOK, row_pitch=_TL_ROW, lane_line=_TL_LANE_LINE,
        legend=_TL_LEGEND,
        description=(f"{len(layout.bars)} dated roadmap items in {len(layout.lanes)} workstreams "
                     f"from {layout.quarters[0].label} to {layout.quarters[-1].label}, "
                     f"and {len(layout.marks)} milestones."),
    )
    links = []
    for b in layout.bars:  # the bar and its label, one target
        left, top, right, bottom = b.label_box
        x0, y0 = min(b.x, left), min(b.y, top)
        links.append(ChartLink(link(b.item), b.title, x0, y0, max(b.x + b.width, right) - x0,
                               max(b.y + b.height, bottom) - y0))
    return LinkedChart(svg, tuple(links), layout.width, layout.height)

