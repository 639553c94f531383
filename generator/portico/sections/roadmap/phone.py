"""The roadmap timeline on a phone: the quarters top to bottom, with what starts in each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from portico.portal.charts import ResponsiveChart, one_line, render_fragment
from portico.portal.labels import label
from portico.sections.roadmap.axis import MonthFormat, english_month, quarter_of
from portico.sections.roadmap.chart import (
    DayFormat,
    bar_label,
    iso_day,
    timeline_svg,
    written_span,
)
from portico.sections.roadmap.model import Milestone, RoadmapItem

__all__ = ["timeline_chart", "timeline_phone"]


def timeline_phone(
    items: Sequence[RoadmapItem], milestones: Sequence[Milestone], *, today: dt.date,
    link: Callable[[RoadmapItem], str], day: DayFormat = iso_day,
) -> Markup:
    """The timeline's phone form: the quarters top to bottom, each with the items that
    start in it and its milestones, in date order. The quarter holding `today` is marked
    and first lists the items under way through it. Quarters with nothing are left out."""
    quarters: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for item in items:
        span = item.span()
        if span is None:
            continue
        first, last = span
        quarters.setdefault(quarter_of(first), []).append({
            "sort": (first, 0, item.id), "href": link(item),
            "text": bar_label(item), "status": item.status,
            "facts": f"{label(item.status)} · {written_span(item, day)}"
                     f"{' · ' + item.workstream if item.workstream else ''}"})
        if first < today and quarter_of(first) < quarter_of(today) and last >= today:
            quarters.setdefault(quarter_of(today), []).append({
                "sort": (dt.date.min, 0, item.id), "href": link(item),
                "text": bar_label(item), "status": item.status,
                "facts": f"{label(item.status)} · started {day(item.start or first)}, "
                         f"due {day(item.end or last)}"})
    for m in milestones:
        quarters.setdefault(quarter_of(m.date), []).append({
            "sort": (m.date, 1, m.title), "href": None, "text": f"◆ {one_line(m.title)}",
            "status": "milestone", "facts": f"Milestone · {day(m.date)}"})
    shown = [{"label": f"Q{q} {year}", "now": (year, q) == quarter_of(today),
              "entries": sorted(entries, key=lambda e: e["sort"])}
             for (year, q), entries in sorted(quarters.items())]
    return render_fragment("roadmap/timeline_phone", quarters=shown)


def timeline_chart(
    items: Sequence[RoadmapItem], milestones: Sequence[Milestone],
    workstreams: Sequence[str], *, today: dt.date, link: Callable[[RoadmapItem], str],
    tags: Mapping[str, Sequence[str]] | None = None, day: DayFormat = iso_day,
    month: MonthFormat = english_month,
) -> ResponsiveChart:
    """The timeline in both forms: `timeline_svg` on wide screens, `timeline_phone` on phones."""
    return ResponsiveChart(
        timeline_svg(items, milestones, workstreams, today=today, link=link, tags=tags, day=day,
                     month=month),
        timeline_phone(items, milestones, today=today, link=link, day=day))
