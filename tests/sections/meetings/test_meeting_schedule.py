"""When regular meetings happen: meetings.yml's cadences expanded with python-dateutil's
rrule, the first meeting on or after `starts`, skipped dates passed over, `ends` obeyed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from portico.content.yamlfile import parse_yaml
from portico.sections.meetings.model import Cadence, Meeting
from portico.sections.meetings.schedule import (
    cadence_dates,
    describe,
    first_meeting,
    meets_on,
    next_date,
    one_off,
)
from portico.sections.meetings.view import MeetingsView

D = dt.date


def _cadence(**fields: Any) -> Cadence:
    base = {"id": "c", "title": "Steering", "every": "week", "weekday": "Tuesday",
            "time": "09:30", "starts": "2026-09-01"}
    return Cadence.model_validate({**base, **fields})


def test_a_weekly_cadence_meets_every_named_day_from_its_start() -> None:
    c = _cadence(starts="2026-09-02")  # a Wednesday: the first Tuesday after it
    assert first_meeting(c) == dt.datetime(2026, 9, 8, 9, 30)
    assert cadence_dates(c, D(2026, 9, 1), D(2026, 9, 30)) == [
        D(2026, 9, 8), D(2026, 9, 15), D(2026, 9, 22), D(2026, 9, 29)]
    assert describe(c) == "Every Tuesday"


def test_every_2_weeks_counts_from_the_first_meeting_not_the_start_date() -> None:
    c = _cadence(every="2 weeks", weekday="tue", starts="2026-09-02")
    assert cadence_dates(c, D(2026, 9, 1), D(2026, 10, 31)) == [
        D(2026, 9, 8), D(2026, 9, 22), D(2026, 10, 6), D(2026, 10, 20)]
    assert describe(c) == "Every other Tuesday"


@pytest.mark.parametrize(("every", "rule", "dates", "words"), [
    ("month", "first Wednesday", [D(2026, 10, 7), D(2026, 11, 4), D(2026, 12, 2)],
     "First Wednesday of every month"),
    ("month", "last Friday", [D(2026, 9, 25), D(2026, 10, 30), D(2026, 11, 27)],
     "Last Friday of every month"),
    ("month", 15, [D(2026, 9, 15), D(2026, 10, 15), D(2026, 11, 15)],
     "On the 15th of every month"),
    ("quarter", "second Monday", [D(2026, 9, 14), D(2026, 12, 14)],
     "Second Monday of every third month"),
])
def test_monthly_and_quarterly_cadences(every: str, rule: Any, dates: list[dt.date],
                                        words: str) -> None:
    c = _cadence(every=every, weekday=rule, starts="2026-09-03")
    found = cadence_dates(c, D(2026, 9, 1), D(2026, 12, 31))
    assert found[:len(dates)] == dates and (every != "quarter" or len(found) == 2)
    assert describe(c) == words


def test_skipped_dates_and_the_end_date_are_obeyed() -> None:
    c = _cadence(skip=["2026-12-29"], ends="2027-01-12")
    assert next_date(c, D(2026, 12, 23)) == D(2027, 1, 5)  # the 29th is skipped
    assert cadence_dates(c, D(2026, 12, 20), D(2027, 2, 1)) == [
        D(2026, 12, 22), D(2027, 1, 5), D(2027, 1, 12)]
    assert next_date(c, D(2027, 1, 13)) is None
    assert meets_on(c, D(2026, 12, 29)) and not meets_on(c, D(2026, 12, 30))
    assert first_meeting(_cadence(starts="2026-09-02", ends="2026-09-05")) is None


def test_the_yaml_forms_people_write_are_read_as_meant() -> None:
    """`on:` (which YAML 1.1 reads as the boolean true) is another name for weekday, and an
    unquoted 14:00 stays a time rather than YAML 1.1's base-60 number 840."""
    data = parse_yaml("id: r\ntitle: Review\nevery: month\non: first Wednesday\n"
                      "time: 14:00\nduration: 1h30m\nstarts: 2026-04-01\n", "m.yml").data
    c = Cadence.model_validate(data)
    assert c.rule == "first wednesday" and c.time == dt.time(14) and c.minutes == 90
    assert next_date(c, D(2026, 12, 6)) == D(2027, 1, 6)


def test_the_home_card_names_each_meeting_once_soonest_first_none_cancelled() -> None:
    weekly = _cadence(id="steering", title="Weekly steering")
    monthly = _cadence(id="review", title="Review", every="month", weekday="first Wednesday",
                       time="14:00")
    meetings = [Meeting.model_validate({"id": f"M-{i}", "title": f"m{i}", "date": day,
                                        "time": "11:00", "cancelled": i == 2})
                for i, day in enumerate(["2026-11-30", "2026-12-08", "2026-12-09",
                                         "2026-12-20"])]
    view = MeetingsView(D(2026, 12, 6), "Europe/London", [weekly, monthly], meetings)
    assert [(o.day, o.title) for o in view.next] == [
        (D(2026, 12, 8), "Weekly steering"), (D(2026, 12, 8), "m1"),
        (D(2026, 12, 20), "m3"), (D(2027, 1, 6), "Review")]
    assert [m.id for m in view.held] == ["M-0"] and [m.id for m in view.ahead] == [
        "M-1", "M-2", "M-3"]
    assert one_off(meetings[1]).end == dt.time(12)
