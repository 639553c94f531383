"""The timeline's time axis: quarter columns, or month columns for a roadmap of a few months.

A roadmap whose dates all fall within six calendar months (a new engagement's first 90
days) is drawn by month, so its bars are not squeezed into one quarter of four; anything
longer by quarter, at least four of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portico.portal.charts import fit_text, text_width
from portico.sections.roadmap.model import quarter_bounds

MonthFormat = Callable[[dt.date], str]  # the first day of a month → "Nov 2026"

_MOST_MONTHS, _LEAST_MONTHS, _LEAST_QUARTERS = 6, 3, 4
_COLUMN_FONT = 14  # the header labels' size, as the timeline draws them


def english_month(day: dt.date) -> str:
    """A month as "Nov 2026", for callers without a portal locale (tests)."""
    return day.strftime("%b %Y")


@dataclass(frozen=True)
class TimelineQuarter:
    """A column (a quarter, or a month on a short roadmap) and its header label."""

    label: str
    x: float
    width: float


@dataclass(frozen=True)
class Axis:
    """Days to x: `first` is at `left`, the day after `last` at `right`."""

    first: dt.date
    last: dt.date
    left: float
    right: float

    def x(self, day: dt.date) -> float:
        days = (self.last - self.first).days + 1
        return round(self.left + (day - self.first).days * (self.right - self.left) / days, 1)


def quarter_of(day: dt.date) -> tuple[int, int]:
    """(year, quarter) of a day."""
    return day.year, (day.month - 1) // 3 + 1


def _month_key(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(key: int) -> dt.date:
    return dt.date(key // 12, key % 12 + 1, 1)


def _quarter_spans(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date, str, str]]:
    keys = [quarter_of(first)]
    while keys[-1] < quarter_of(last) or len(keys) < _LEAST_QUARTERS:
        year, q = keys[-1]
        keys.append((year + q // 4, q % 4 + 1))
    return [(*quarter_bounds(f"{year}-Q{q}"), f"Q{q} {year}", f"Q{q}" if q != 1 else "")
            for year, q in keys]


def _month_spans(first: dt.date, last: dt.date, month: MonthFormat
                 ) -> list[tuple[dt.date, dt.date, str, str]]:
    low, high = _month_key(first), max(_month_key(last), _month_key(first) + _LEAST_MONTHS - 1)
    return [(_month_start(key), _month_start(key + 1) - dt.timedelta(days=1),
             month(_month_start(key)), "") for key in range(low, high + 1)]


def time_axis(days: Sequence[dt.date], *, dated: bool, left: float, right: float,
              month: MonthFormat = english_month) -> tuple[Axis, list[TimelineQuarter]]:
    """The axis and its columns for `days` (every date drawn; `dated`: any is a roadmap
    date, not only today). Months when the dates fit in six, else quarters; a column too
    narrow for its whole label shows it shorter ("Q3"), the year only where it changes."""
    first, last = min(days), max(days)
    by_month = dated and _month_key(last) - _month_key(first) < _MOST_MONTHS
    spans = _month_spans(first, last, month) if by_month else _quarter_spans(first, last)
    axis = Axis(spans[0][0], spans[-1][1], left, right)
    columns: list[TimelineQuarter] = []
    for start, end, label, short in spans:
        x, x_end = axis.x(start), axis.x(end + dt.timedelta(days=1))
        if x_end - x < text_width(label, _COLUMN_FONT) + 8 and short and columns:
            label = short
        columns.append(TimelineQuarter(fit_text(label, x_end - x - 4, _COLUMN_FONT), x,
                                       round(x_end - x, 1)))
    return axis, columns

