"""When meetings happen: a cadence's dates from python-dateutil's rrule (the same rule the
calendar file carries, so the page and the reader's calendar agree), and each meeting of
an engagement as an `Occurrence` in date order.

Dates and times are the meeting's own wall-clock time in the file's time zone; a rule is
expanded in that time, as calendars expand an RRULE with a TZID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil import rrule

from portico.sections.meetings.model import (
    LAST_DAY,
    ORDINALS,
    WEEKDAYS,
    WEEKLY,
    Cadence,
    Meeting,
)

_FREQUENCY = {"week": (rrule.WEEKLY, 1), "2 weeks": (rrule.WEEKLY, 2),
              "month": (rrule.MONTHLY, 1), "quarter": (rrule.MONTHLY, 3)}
_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_ORDINAL_NUMBER = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}


def fits(every: str, rule: str) -> bool:
    """Whether a day rule suits the frequency: a weekday for week and 2 weeks; a week of
    the month and a day ("first tuesday"), or a day of the month, for month and quarter."""
    weekly = rule in WEEKDAYS
    return weekly if every in WEEKLY else not weekly


def rule_parts(cadence: Cadence) -> dict[str, Any]:
    """freq, interval and the day of the cadence as rrule keywords. A rule that does not fit
    its frequency (`check` refuses it) is read as the nearest that does."""
    freq, interval = _FREQUENCY[str(cadence.every)]
    words = (cadence.rule or WEEKDAYS[cadence.starts.weekday()]).split()
    if words[-1].isdigit():
        day = min(int(words[-1]), LAST_DAY)
        if freq == rrule.WEEKLY:
            return {"freq": freq, "interval": interval,
                    "byweekday": _DAYS[cadence.starts.weekday()]}
        return {"freq": freq, "interval": interval, "bymonthday": day}
    weekday = _DAYS[WEEKDAYS.index(words[-1])]
    if freq == rrule.WEEKLY:
        return {"freq": freq, "interval": interval, "byweekday": weekday}
    nth = _NTH[words[0]] if len(words) == 2 and words[0] in ORDINALS else 1
    return {"freq": freq, "interval": interval, "byweekday": weekday(nth)}


def first_meeting(cadence: Cadence) -> dt.datetime | None:
    """The first meeting: the first day on or after `starts` the rule gives (None when
    `ends` comes first)."""
    parts = {**rule_parts(cadence), "interval": 1}
    start = dt.datetime.combine(cadence.starts, cadence.time)
    found: dt.datetime | None = rrule.rrule(dtstart=start, count=1, **parts).after(
        start, inc=True)
    if found is None or (cadence.ends is not None and found.date() > cadence.ends):
        return None
    return found


def cadence_rule(cadence: Cadence) -> rrule.rrule | None:
    """The cadence as a rule from its first meeting to `ends` (skipped dates included)."""
    first = first_meeting(cadence)
    if first is None:
        return None
    until = dt.datetime.combine(cadence.ends, dt.time(23, 59, 59)) if cadence.ends else None
    return rrule.rrule(dtstart=first, until=until, **rule_parts(cadence))


def meets_on(cadence: Cadence, day: dt.date) -> bool:
    """Whether the rule gives `day` (skipped dates aside): what a `skip:` date must be."""
    rule = cadence_rule(cadence)
    start = dt.datetime.combine(day, cadence.time)
    return rule is not None and rule.after(start, inc=True) == start


def cadence_dates(cadence: Cadence, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days it meets from `first` to `last`, both included, skipped dates left out."""
    rule = cadence_rule(cadence)
    if rule is None or last < first:
        return []
    found = rule.between(dt.datetime.combine(first, dt.time()),
                         dt.datetime.combine(last, dt.time.max), inc=True)
    skipped = set(cadence.skip)
    return [when.date() for when in found if when.date() not in skipped]


def next_date(cadence: Cadence, today: dt.date) -> dt.date | None:
    """The first day on or after `today` it meets, skipped dates passed over."""
    rule = cadence_rule(cadence)
    if rule is None:
        return None
    skipped = set(cadence.skip)
    after = dt.datetime.combine(today, dt.time())
    found: dt.datetime
    for found in rule.xafter(after, count=len(skipped) + 1, inc=True):
        if found.date() not in skipped:
            return found.date()
    return None


def describe(cadence: Cadence) -> str:
    """How often, in words: "Every Tuesday", "First Wednesday of every month"."""
    words = (cadence.rule or "").split()
    every = str(cadence.every)
    if not words:
        return "Every week"
    if words[-1].isdigit():
        n = int(words[-1])
        day = f"{n}{_ORDINAL_NUMBER.get(n, 'th')}"
        return (f"On the {day} of every month" if every == "month"
                else f"On the {day} of every third month")
    weekday = words[-1].capitalize()
    if every == "week":
        return f"Every {weekday}"
    if every == "2 weeks":
        return f"Every other {weekday}"
    nth = words[0] if len(words) == 2 else "first"
    return (f"{nth.capitalize()} {weekday} of every month" if every == "month"
            else f"{nth.capitalize()} {weekday} of every third month")


@dataclass(frozen=True)
class Occurrence:
    """One meeting on one day: a cadence's, a one-off or a board meeting."""

    day: dt.date
    title: str
    kind: str  # "regular", "one-off" or "board"
    item: Any  # the Cadence, Meeting or board pack
    time: dt.time | None = None  # None: the whole day
    minutes: int | None = None

    @property
    def end(self) -> dt.time | None:
        """When it ends, on the clock (a meeting past midnight wraps)."""
        if self.time is None or self.minutes is None:
            return None
        start = dt.datetime.combine(self.day, self.time)
        return (start + dt.timedelta(minutes=self.minutes)).time()

    @property
    def cancelled(self) -> bool:
        return isinstance(self.item, Meeting) and self.item.cancelled

    @property
    def order(self) -> tuple[dt.date, dt.time, str]:
        return self.day, self.time or dt.time(), self.title


def regular(cadence: Cadence, day: dt.date) -> Occurrence:
    """The cadence's meeting on `day`."""
    return Occurrence(day, cadence.title, "regular", cadence, cadence.time, cadence.minutes)


def one_off(meeting: Meeting) -> Occurrence:
    """A one-off meeting as an occurrence."""
    minutes = meeting.minutes if meeting.time is not None else None
    return Occurrence(meeting.date, meeting.title, "one-off", meeting, meeting.time, minutes)
