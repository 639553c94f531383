"""What the client sees of meetings.yml and the board packs: the next meetings, every
regular meeting with its next date, the one-off meetings ahead and those held. Computed
once here; the templates only show it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from portico.sections.meetings.model import Cadence, Meeting
from portico.sections.meetings.schedule import (
    Occurrence,
    cadence_dates,
    describe,
    next_date,
    one_off,
    regular,
)

NEXT = 5  # meetings named on the home card
HORIZON_DAYS = 56  # "Coming up" on the Meetings page: the next eight weeks
BOARD_TITLE = "Board meeting"
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"  # a link's own characters; ( ) < > and spaces escaped


@dataclass
class MeetingsView:
    """The meetings on `today`: the client's, internal ones gone (`portico status`, the
    CTO's view, passes them all)."""

    today: dt.date
    zone: str | None = None  # the IANA time zone of the times
    cadences: list[Cadence] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    board: list[Any] = field(default_factory=list)  # client-visible board packs
    decisions: dict[str, Any] = field(default_factory=dict)  # number → visible decision
    asks: dict[str, Any] = field(default_factory=dict)  # id → visible ask

    @property
    def shown(self) -> bool:
        """Whether there is anything to show (else no page, no card, no calendar file)."""
        return bool(self.cadences or self.meetings)

    def every(self, cadence: Cadence, *, first: bool = True) -> str:
        """How often the cadence meets, in words: "Every Tuesday" first in a sentence,
        "every Tuesday" within one."""
        words = describe(cadence)
        return words if first else words[0].lower() + words[1:]

    def next_of(self, cadence: Cadence) -> dt.date | None:
        return next_date(cadence, self.today)

    @property
    def current(self) -> list[Cadence]:
        """Cadences still meeting on or after today, the soonest first."""
        found = [(self.next_of(c), c) for c in self.cadences]
        return [c for day, c in sorted((p for p in found if p[0] is not None),
                                       key=lambda p: (p[0], p[1].time, p[1].title))]

    @property
    def ended(self) -> list[Cadence]:
        """Cadences that meet no more, the latest to end first."""
        current = {c.id for c in self.current}
        return sorted((c for c in self.cadences if c.id not in current),
                      key=lambda c: (c.ends or c.starts, c.title), reverse=True)

    def occurrence(self, item: Cadence | Meeting) -> Occurrence:
        """A one-off meeting, or a cadence's next meeting (its first, once ended)."""
        if isinstance(item, Meeting):
            return one_off(item)
        return regular(item, self.next_of(item) or item.starts)

    @staticmethod
    def web(where: str) -> tuple[str, Markup] | None:
        """(host, link) when `where` is a web link (a video call), else None."""
        text = where.strip()
        if not re.match(r"^https?://\S+$", text, re.IGNORECASE):
            return None
        return urlsplit(text).hostname or text, Markup(quote(text, safe=_URL_SAFE))

    def board_meetings(self) -> list[Occurrence]:
        """One all-day meeting per client-visible board pack, by date."""
        return sorted((Occurrence(p.date, BOARD_TITLE, "board", p) for p in self.board),
                      key=lambda o: o.order)

    @property
    def ahead(self) -> list[Meeting]:
        """One-off meetings today or later (cancelled ones too, marked), soonest first."""
        return sorted((m for m in self.meetings if m.date >= self.today),
                      key=lambda m: one_off(m).order)

    @property
    def held(self) -> list[Meeting]:
        """One-off meetings before today (cancelled ones too, marked), the latest first."""
        return sorted((m for m in self.meetings if m.date < self.today),
                      key=lambda m: one_off(m).order, reverse=True)

    @property
    def next(self) -> list[Occurrence]:
        """The next meetings for the home card: each cadence at its next date, then the
        one-off and board meetings ahead, soonest first; none cancelled."""
        found = [regular(c, day) for c in self.current if (day := self.next_of(c))]
        found += [one_off(m) for m in self.ahead if not m.cancelled]
        found += [o for o in self.board_meetings() if o.day >= self.today]
        return sorted(found, key=lambda o: o.order)[:NEXT]

    @property
    def coming_up(self) -> list[Occurrence]:
        """The next eight weeks: each cadence once, at its next date (the page says how
        often), every one-off meeting (cancelled ones marked) and board meeting."""
        last = self.today + dt.timedelta(days=HORIZON_DAYS)
        found = [regular(c, day) for c in self.current
                 if (day := self.next_of(c)) and day <= last]
        found += [one_off(m) for m in self.ahead if m.date <= last]
        found += [o for o in self.board_meetings() if self.today <= o.day <= last]
        return sorted(found, key=lambda o: o.order)

    def dates(self, cadence: Cadence, first: dt.date, last: dt.date) -> list[dt.date]:
        """The cadence's meetings between two days."""
        return cadence_dates(cadence, first, last)

    def skipped_ahead(self, cadence: Cadence) -> list[dt.date]:
        """Dates ahead on which the cadence does not meet."""
        return sorted(d for d in cadence.skip if d >= self.today)

    def covers(self, item: Cadence | Meeting) -> list[Any]:
        """The client-visible asks and decisions its agenda covers, as listed."""
        asks = [self.asks[i] for i in item.links.actions if i in self.asks]
        decisions = [self.decisions[n] for n in item.links.decisions if n in self.decisions]
        return asks + decisions
