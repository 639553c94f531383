"""Promises kept: each cadence measured from dated evidence, as of a day (the module's rule)."""

from __future__ import annotations

import datetime as dt

from portico.content.cadences import CadenceSpec
from portico.sections.cadences.measure import (
    Evidence,
    VendorDeadline,
    late_cadences,
    measure_cadences,
)

START = dt.date(2026, 3, 2)
WEEKLY = CadenceSpec(what="status-note", every="week", shown=True)
D = dt.date


def status(*days: dt.date, today: dt.date, spec: CadenceSpec = WEEKLY,
           end: dt.date | None = None) -> tuple[str, dt.date | None, dt.date | None]:
    [found] = measure_cadences([spec], Evidence(status_notes=days), START, today, end)
    return found.state, found.last, found.due


def test_a_note_within_the_week_is_on_time() -> None:
    assert status(D(2026, 11, 20), D(2026, 11, 27), today=D(2026, 12, 2)) == \
        ("on time", D(2026, 11, 27), D(2026, 12, 4))
    # Due on Friday 4 December: still on time that day.
    assert status(D(2026, 11, 27), today=D(2026, 12, 4))[0] == "on time"


def test_a_note_older_than_a_week_is_late_since_its_due_date() -> None:
    # The example: the last note dated Friday 20 November, nothing on the 27th.
    assert status(D(2026, 11, 13), D(2026, 11, 20), today=D(2026, 12, 1)) == \
        ("late", D(2026, 11, 20), D(2026, 11, 27))


def test_a_whole_further_week_with_nothing_is_missed() -> None:
    # Due 27 November: late for the week after, missed from the day that week is over.
    assert status(D(2026, 11, 20), today=D(2026, 12, 4))[0] == "late"
    assert status(D(2026, 11, 20), today=D(2026, 12, 5))[0] == "missed"


def test_none_yet_is_due_a_period_after_the_start() -> None:
    assert status(today=D(2026, 3, 5)) == ("on time", None, D(2026, 3, 9))
    assert status(today=D(2026, 3, 12)) == ("late", None, D(2026, 3, 9))
    assert status(today=D(2026, 6, 15))[0] == "missed"


def test_a_note_dated_after_today_does_not_count_yet() -> None:
    assert status(D(2026, 11, 13), D(2026, 12, 11), today=D(2026, 11, 24)) == \
        ("late", D(2026, 11, 13), D(2026, 11, 20))


def test_grace_days_move_the_due_date() -> None:
    spec = CadenceSpec(what="status-note", every="week", grace=1)
    assert status(D(2026, 11, 20), today=D(2026, 11, 28), spec=spec) == \
        ("on time", D(2026, 11, 20), D(2026, 11, 28))


def test_months_and_quarters_are_calendar_months() -> None:
    monthly = CadenceSpec(what="risk-review", every="month")
    quarterly = CadenceSpec(what="board-pack", every="quarter")
    evidence = Evidence(risk_reviews=(D(2026, 10, 30),), board_packs=(D(2026, 9, 15),))
    review, pack = measure_cadences([monthly, quarterly], evidence, START, D(2026, 12, 6))
    assert (review.state, review.due) == ("late", D(2026, 11, 30))
    assert (pack.state, pack.due) == ("on time", D(2026, 12, 15))
    assert review.label == "Monthly risk review" and pack.label == "Quarterly board pack"
    assert late_cadences([review, pack]) == [review]


def test_nothing_is_due_after_the_engagement_ends() -> None:
    # The next note would be due on the 11th, after the end on the 10th.
    assert status(D(2026, 12, 4), today=D(2027, 2, 1), end=D(2026, 12, 10)) == \
        ("on time", D(2026, 12, 4), None)
    # One due before the end is still owed.
    assert status(D(2026, 12, 4), today=D(2027, 2, 1), end=D(2026, 12, 18))[0] == "missed"


def test_a_vendor_review_is_due_by_each_notice_deadline() -> None:
    spec = CadenceSpec(what="vendor-review", every="quarter")
    netsuite = VendorDeadline("V-NETSUITE", D(2026, 12, 30))
    reviewed = VendorDeadline("V-M365", D(2027, 1, 1), (D(2026, 11, 12),))
    stale = VendorDeadline("V-OLD", D(2027, 1, 1), (D(2026, 6, 1),))  # before the window

    def measure(*vendors: VendorDeadline, today: dt.date) -> tuple[str, tuple[str, ...]]:
        [found] = measure_cadences([spec], Evidence(vendors=vendors), START, today)
        return found.state, found.vendors

    assert measure(netsuite, reviewed, today=D(2026, 12, 6)) == ("on time", ())
    assert measure(netsuite, reviewed, today=D(2027, 1, 5)) == ("late", ("V-NETSUITE",))
    assert measure(reviewed, today=D(2027, 6, 1)) == ("on time", ())
    assert measure(stale, today=D(2027, 6, 1)) == ("missed", ("V-OLD",))
    # A deadline before the engagement began asks for nothing.
    assert measure(VendorDeadline("V-X", D(2026, 1, 1)), today=D(2027, 6, 1)) == ("on time", ())
