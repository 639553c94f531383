"""What the client sees of the engagement's terms and time: days used against days agreed,
per month and in total, the split by activity, and the notice date as it nears. Computed
once here; the templates only show it."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from portico.content.model import Deliverable, EngagementInfo
from portico.sections.engagement.model import TimeEntry, TimeLog

NOTICE_WARNING_DAYS = 60  # as vendor notices: the portal and `portico status` flag it
OVER_TOLERANCE = 0.5  # days: less over the agreed time than half a day is rounding, not news


@dataclass(frozen=True)
class MonthRow:
    """One month of the engagement: days agreed and days used."""

    month: str  # YYYY-MM
    agreed: float | None  # None without a commitment
    used: float

    @property
    def over(self) -> float:
        """Days used beyond those agreed (0 when within)."""
        if self.agreed is None or self.used - self.agreed < OVER_TOLERANCE:
            return 0.0
        return round(self.used - self.agreed, 1)


@dataclass
class EngagementView:
    """The client-visible terms and time of one engagement."""

    today: dt.date
    info: EngagementInfo
    months: list[MonthRow] = field(default_factory=list)
    activities: list[tuple[str, float]] = field(default_factory=list)  # most time first
    entries: list[TimeEntry] = field(default_factory=list)  # newest first; internal notes gone
    deliverables: list[Deliverable] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        """Whether the engagement has terms or time to show (else no page, no card)."""
        i = self.info
        return bool(i.scope or self.deliverables or i.commitment or i.renewal or self.entries)

    @property
    def used(self) -> float:
        return round(sum(m.used for m in self.months), 1)

    @property
    def agreed(self) -> float | None:
        """Days agreed from the start to the end of the current month."""
        if self.info.commitment is None:
            return None
        return round(sum(m.agreed or 0.0 for m in self.months), 1)

    @property
    def agreed_whole(self) -> float | None:
        """Days agreed over the whole engagement, when it has an end."""
        if self.info.commitment is None or self.info.end is None:
            return None
        return round(sum(agreed_in(self.info, month) for month in months_between(
            self.info.start, self.info.end)), 1)

    @property
    def over(self) -> float:
        agreed = self.agreed
        if agreed is None or self.used - agreed < OVER_TOLERANCE:
            return 0.0
        return round(self.used - agreed, 1)

    @property
    def notice_date(self) -> dt.date | None:
        return self.info.notice_date

    @property
    def notice(self) -> str | None:
        """`due` when the notice date is within 60 days, `passed` when it has passed before
        a renewal still to come; else None."""
        day, renewal = self.info.notice_date, self.info.renewal
        if day is None or renewal is None:
            return None
        if day < self.today:
            return "passed" if renewal >= self.today else None
        return "due" if (day - self.today).days <= NOTICE_WARNING_DAYS else None

    @property
    def days_to_notice(self) -> int | None:
        day = self.info.notice_date
        return None if day is None else (day - self.today).days

    @property
    def next_deliverables(self) -> list[Deliverable]:
        """Deliverables not done nor dropped, soonest due first."""
        return sorted((d for d in self.deliverables if d.status not in ("done", "dropped")),
                      key=lambda d: (d.due or dt.date.max, d.title))

    def late(self, deliverable: Deliverable) -> bool:
        """Past its due date and not done nor dropped."""
        return deliverable.due is not None and deliverable.due < self.today \
            and deliverable.status not in ("done", "dropped")


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """The months from `start`'s to `end`'s, as YYYY-MM."""
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _weekdays(first: dt.date, last: dt.date) -> int:
    """Monday to Friday days from `first` to `last`, both included."""
    if last < first:
        return 0
    whole, rest = divmod((last - first).days + 1, 7)
    return whole * 5 + sum(1 for i in range(rest)
                           if (first + dt.timedelta(days=whole * 7 + i)).weekday() < 5)


def agreed_in(info: EngagementInfo, month: str) -> float:
    """Days agreed in `month`: a week's days for each five working days of the month inside
    the engagement, or the month's days prorated the same way when the engagement starts or
    ends within it."""
    c = info.commitment
    if c is None:
        return 0.0
    year, number = (int(part) for part in month.split("-"))
    first = dt.date(year, number, 1)
    last = (dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1))
    inside = _weekdays(max(first, info.start), min(last, info.end or last))
    if c.days_per_week is not None:
        return round(c.days_per_week * inside / 5, 1)
    whole = _weekdays(first, last)
    return round((c.days_per_month or 0.0) * inside / whole, 1) if whole else 0.0


def apportion(parts: dict[str, float], total: float) -> dict[str, float]:
    """Each part to a tenth of a day so that the parts add up to `total` (the days used the
    page shows, itself the sum of the rounded months): largest remainders round up, so
    "Time by activity" never reads 3.7 days beside 3.8 used."""
    tenths = {key: round(value * 10, 6) for key, value in parts.items()}
    shown = {key: math.floor(value) for key, value in tenths.items()}
    left = round(total * 10) - sum(shown.values())
    order = sorted(parts, key=lambda k: (-(tenths[k] - shown[k]), -tenths[k], k))
    step = 1 if left > 0 else -1
    while left and order:
        for key in order if step > 0 else reversed(order):
            if left == 0:
                break
            if step < 0 and shown[key] == 0:
                continue
            shown[key] += step
            left -= step
        if step < 0 and not any(shown.values()):
            break
    return {key: value / 10 for key, value in shown.items()}


def engagement_view(info: EngagementInfo, log: TimeLog, today: dt.date) -> EngagementView:
    """The terms and time as the client may see them: internal deliverables gone, internal
    entries' notes gone (their time still counts), months up to the current one."""
    per_day = info.commitment.hours_per_day if info.commitment else 8.0
    used: dict[str, float] = defaultdict(float)
    activity: dict[str, float] = defaultdict(float)
    for logged in log.entries:
        e = logged.entry
        used[e.date.strftime("%Y-%m")] += e.in_days(per_day)
        activity[str(e.activity)] += e.in_days(per_day)
    last = min(today, info.end) if info.end else today
    months = months_between(info.start, last) if last >= info.start else []
    months += sorted(m for m in used if m not in months)
    rows = [MonthRow(m, agreed_in(info, m) if info.commitment else None, round(used[m], 1))
            for m in sorted(months)]
    entries = [e if not e.internal else e.model_copy(update={"note": None})
               for e in (logged.entry for logged in log.entries)]
    shares = apportion({a: d for a, d in activity.items() if d},
                       round(sum(r.used for r in rows), 1))
    return EngagementView(
        today=today, info=info, months=rows,
        activities=sorted(shares.items(),
                          key=lambda pair: (-pair[1], pair[0])),
        entries=sorted(entries, key=lambda e: e.date, reverse=True),
        deliverables=sorted((d for d in info.deliverables if not d.internal),
                            key=lambda d: (d.due or dt.date.max, d.title)),
    )
