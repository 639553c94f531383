"""Promises kept: each declared cadence measured against the dated files, as of a day.

The rule, for status-note, risk-review and board-pack: the next one is *due* one period
(plus the cadence's `grace` days) after the latest one dated on or before today, or after
the engagement's start while there is none yet. Up to the due date it is *on time*; for
one period after it, *late*; once a whole further period has passed with nothing, *missed*.

vendor-review is due at each vendor's notice deadline (contract end less notice days): a
review dated in the period before the deadline keeps it. A deadline before the engagement
started, or of a vendor exited or still being evaluated, asks for nothing.

Nothing is due after the engagement's end: such a promise is on time, with no due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from dateutil.relativedelta import relativedelta

from portico.content.cadences import CadenceSpec

ON_TIME, LATE, MISSED = "on time", "late", "missed"
_ORDER = {ON_TIME: 0, LATE: 1, MISSED: 2}
_PERIOD = {"week": relativedelta(days=7), "2 weeks": relativedelta(days=14),
           "month": relativedelta(months=1), "quarter": relativedelta(months=3)}
_OFTEN = {"week": "Weekly", "2 weeks": "Fortnightly", "month": "Monthly",
          "quarter": "Quarterly"}
_NOUN = {"status-note": "status note", "risk-review": "risk review",
         "board-pack": "board pack"}


@dataclass(frozen=True)
class VendorDeadline:
    """One vendor's notice deadline and the dates it was reviewed on."""

    vendor: str  # its id (never shown to the client: the state alone is)
    deadline: dt.date
    reviews: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """The dates a promise is kept with, read from the engagement's files."""

    status_notes: tuple[dt.date, ...] = ()  # notes/*.md of kind status
    risk_reviews: tuple[dt.date, ...] = ()  # risks.yml `reviewed:` dates
    board_packs: tuple[dt.date, ...] = ()  # board/YYYY-MM-DD-*.md
    vendors: tuple[VendorDeadline, ...] = ()

    def dates(self, what: str) -> tuple[dt.date, ...]:
        """The dates that keep a periodic promise (`what` other than vendor-review)."""
        return {"status-note": self.status_notes, "risk-review": self.risk_reviews,
                "board-pack": self.board_packs}.get(what, ())


@dataclass(frozen=True)
class CadenceState:
    """One promise as it stands today."""

    what: str  # status-note | risk-review | board-pack | vendor-review
    every: str  # week | 2 weeks | month | quarter
    shown: bool  # on the client's home page
    state: str  # on time | late | missed
    last: dt.date | None  # the latest one on or before today
    due: dt.date | None  # when the next one is (or was) due; None: nothing asks for one
    vendors: tuple[str, ...] = field(default=())  # vendor-review: ids late or missed

    @property
    def label(self) -> str:
        """The promise in the client's words: "Weekly status note"."""
        if self.what == "vendor-review":
            return "Vendor review before each notice date"
        return f"{_OFTEN[self.every]} {_NOUN[self.what]}"

    @property
    def kept(self) -> bool:
        """On time."""
        return self.state == ON_TIME


def measure_cadences(promises: Iterable[CadenceSpec], evidence: Evidence, start: dt.date,
                     today: dt.date, end: dt.date | None = None) -> list[CadenceState]:
    """Each promise measured as of `today` (see the module's rule), in the given order.

    `start`, `end`: the engagement's; the first one is due a period after the start, and
    nothing is due after the end."""
    found = []
    for spec in promises:
        if spec.what == "vendor-review":
            state = _vendor_reviews(spec, evidence.vendors, start, today)
        else:
            state = _periodic(spec, evidence.dates(spec.what), start, today)
        if end is not None and state.due is not None and state.due > end:
            state = replace(state, state=ON_TIME, due=None, vendors=())
        found.append(state)
    return found


def late_cadences(states: Sequence[CadenceState]) -> list[CadenceState]:
    """The promises late or missed."""
    return [s for s in states if not s.kept]


def _periodic(spec: CadenceSpec, dates: Iterable[dt.date], start: dt.date,
              today: dt.date) -> CadenceState:
    period = _PERIOD[spec.every]
    last = max((day for day in dates if day <= today), default=None)
    due = (last or start) + period + dt.timedelta(days=spec.grace)
    return CadenceState(spec.what, spec.every, spec.shown, _state(due, period, today), last, due)


def _state(due: dt.date, period: relativedelta, today: dt.date) -> str:
    if today <= due:
        return ON_TIME
    return LATE if today <= due + period else MISSED


def _vendor_reviews(spec: CadenceSpec, vendors: Iterable[VendorDeadline], start: dt.date,
                    today: dt.date) -> CadenceState:
    period = _PERIOD[spec.every]
    grace = dt.timedelta(days=spec.grace)
    worst, behind, upcoming = ON_TIME, [], []
    reviewed = [day for v in vendors for day in v.reviews if day <= today]
    for v in vendors:
        if v.deadline < start:
            continue
        opens = v.deadline - period
        if any(opens <= day <= min(v.deadline + grace, today) for day in v.reviews):
            continue
        due = v.deadline + grace
        state = _state(due, period, today)
        if state == ON_TIME:
            upcoming.append(due)
            continue
        behind.append((due, v.vendor))
        worst = max(worst, state, key=_ORDER.__getitem__)
    due_day = min(d for d, _ in behind) if behind else min(upcoming, default=None)
    return CadenceState(spec.what, spec.every, spec.shown, worst, max(reviewed, default=None),
                        due_day, tuple(v for _, v in sorted(behind)))
