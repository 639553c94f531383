"""Slips: a date an item promised, moved between commits (a roadmap item's start or end,
an ask's due date), counted and measured in weeks from the history in git.

Sections record the dates an item promises in its trace (`Trace.dates`: name → the date
as written, ISO `2027-01-11` or a quarter `2026-Q3`). A quarter compares by its last day
for an end or a due date and by its first day for a start: "2026-Q3" promises the work
ends by September 30 and starts from July 1. A date that appears or disappears (an item
dated for the first time, a due date removed) is not a move: only a date that was there
and changed the day it promises is.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from portico.content.model import iso_date

if TYPE_CHECKING:
    from portico.content.history import History
    from portico.sections.base import Trace

__all__ = ["DateMove", "Slip", "date_moves", "pack_moves", "slip_of", "weeks_text",
           "written_date"]


def written_date(value: str) -> dt.date | str:
    """A traced date as the model wrote it: a day, or a quarter string (`2026-Q3`)."""
    try:
        found = iso_date(value)
    except ValueError:
        found = None
    return found if found is not None else value


@functools.lru_cache(maxsize=4096)
def _bound(name: str, value: str) -> dt.date:
    """The day a written date promises: a quarter's first day for a start, else its last."""
    from portico.sections.roadmap.model import quarter_bounds  # sections import this module

    first, last = quarter_bounds(written_date(value))
    return first if name == "start" else last


def weeks_text(days: int) -> str:
    """`+10 weeks`, `-1 week`, `+3 days` (a move under a week is told in days); `0 weeks`
    when moves cancel out."""
    if days == 0:
        return "0 weeks"
    sign = "+" if days > 0 else "-"
    if abs(days) < 7:
        return f"{sign}{abs(days)} day{'s' if abs(days) != 1 else ''}"
    weeks = round(abs(days) / 7)
    return f"{sign}{weeks} week{'s' if weeks != 1 else ''}"


@dataclass(frozen=True)
class DateMove:
    """One promised date, changed: `end` from Dec 18, 2026 to Feb 26, 2027."""

    name: str  # start | end | due
    before: dt.date | str  # as written (a day or a quarter)
    after: dt.date | str
    days: int  # after's bound minus before's (see `_bound`), signed

    @property
    def weeks(self) -> str:
        return weeks_text(self.days)


def date_moves(before: dict[str, str], after: dict[str, str]) -> list[DateMove]:
    """The dates present in both whose promised day changed, in `after`'s order."""
    found = []
    for name, value in after.items():
        old = before.get(name)
        if old is None or old == value:
            continue
        days = (_bound(name, value) - _bound(name, old)).days
        if days:  # "2026-Q3" rewritten as its own last day promises the same
            found.append(DateMove(name, written_date(old), written_date(value), days))
    return found


@dataclass(frozen=True)
class Slip:
    """How one date of one item moved over its history: "End moved twice, +9 weeks since
    Mar 2026"."""

    name: str
    moves: int  # how many times it changed
    days: int  # from the first recorded date to today's, signed
    since: dt.date  # the day the first recorded date was seen
    first: dt.date | str
    now: dt.date | str

    @property
    def weeks(self) -> str:
        return weeks_text(self.days)

    @property
    def times(self) -> str:
        return {1: "once", 2: "twice"}.get(self.moves, f"{self.moves} times")


def slip_of(history: History | None, key: tuple[str, str], name: str, now: Trace,
            today: dt.date) -> Slip | None:
    """How date `name` of item `key` moved within the item's current run (the files being
    built count as today's point); None when it never moved."""
    points = [(day, dates[name]) for day, dates in _dated_runs(history).get(key, ())
              if name in dates]
    if name in now.dates:
        points.append((today, now.dates[name]))
    if not points:
        return None
    # Most commits leave a date as written: only a changed text can promise a new day.
    moves = sum(1 for (_, a), (_, b) in zip(points, points[1:], strict=False)
                if a != b and _bound(name, a) != _bound(name, b))
    if not moves:
        return None
    first, last = points[0][1], points[-1][1]
    return Slip(name, moves, (_bound(name, last) - _bound(name, first)).days, points[0][0],
                written_date(first), written_date(last))


def _dated_runs(history: History | None
                ) -> dict[tuple[str, str], list[tuple[dt.date, dict[str, str]]]]:
    """Each item's promised dates at every revision of its current run, oldest first: one
    pass over the timeline for every item, not one per item and date (memoised)."""
    from portico.portal.changes import current_runs, timeline

    if history is None:
        return {}
    if "dated runs" not in history.memo:
        runs = current_runs(history)
        found: dict[tuple[str, str], list[tuple[dt.date, dict[str, str]]]] = {}
        for index, (revision, traces) in enumerate(timeline(history)):
            for key, trace in traces.items():
                start = runs.get(key)
                if trace.dates and start is not None and index >= start:
                    found.setdefault(key, []).append((revision.day, trace.dates))
        history.memo["dated runs"] = found
    return history.memo["dated runs"]  # type: ignore[no-any-return]


def pack_moves(then: Any, now: Any, names: tuple[str, ...]) -> list[DateMove]:
    """The dates `names` of one item as two states hold it (the previous pack's and this
    one's), where they moved; items are models with those attributes."""
    def dates(item: Any) -> dict[str, str]:
        return {n: str(v) for n in names if (v := getattr(item, n, None)) is not None}

    return date_moves(dates(then), dates(now))
