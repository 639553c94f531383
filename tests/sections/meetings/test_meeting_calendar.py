"""The portal's calendar file: the demo's meetings as iCalendar, read back with icalendar,
repeating as the Meetings page says, with stable UIDs and nothing internal or cancelled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from dateutil.rrule import rrulestr

from portico.content.load import load_engagement
from portico.portal.view import portal_view
from portico.sections.meetings.calendar import calendar_file
from portico.sections.meetings.model import Cadence, MeetingsFile
from portico.sections.meetings.view import MeetingsView

REPO = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 12, 6)
NEW_YORK = "America/New_York"


def _demo() -> tuple[MeetingsView, icalendar.Calendar, bytes]:
    e = load_engagement(REPO, "harborline")
    view = portal_view(e, TODAY).parts["meetings"]
    data = calendar_file(view, e.slug, e.client.name, "Northfield CTO Partners")
    return view, icalendar.Calendar.from_ical(data), data


def _events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(ev["uid"]): ev for ev in calendar.walk("VEVENT")}


def test_the_calendar_holds_every_visible_meeting_with_stable_uids() -> None:
    _, calendar, data = _demo()
    assert calendar["prodid"].startswith("-//Portico//") and calendar["version"] == "2.0"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == [NEW_YORK]
    events = _events(calendar)
    assert sorted(events) == sorted([
        "harborline-steering@portico", "harborline-leadership-review@portico",
        *(f"harborline-M-00{n}@portico" for n in (1, 2, 4, 5, 6)),
        "harborline-board-2026-09-15@portico", "harborline-board-2026-12-10@portico"])
    text = data.decode("utf-8")
    assert "Fee review" not in text and "second year" not in text  # internal M-007
    assert "Warehouse scanner" not in text  # M-003 is cancelled
    assert all(ev.decoded("dtstamp") == dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
               for ev in events.values())  # the build's day: the same inputs, the same bytes
    assert data == _demo()[2]


def test_a_regular_meeting_repeats_in_the_calendar_as_on_the_page() -> None:
    view, calendar, _ = _demo()
    steering = _events(calendar)["harborline-steering@portico"]
    start = steering.decoded("dtstart")
    assert start == dt.datetime(2026, 3, 3, 9, 30, tzinfo=start.tzinfo)
    assert str(start.tzinfo) == NEW_YORK and steering.decoded("duration") == dt.timedelta(
        minutes=45)
    rule = steering["rrule"]
    assert rule["freq"] == ["WEEKLY"] and rule["byday"] == ["TU"]
    assert [x.dt for x in steering["exdate"].dts] == [
        dt.datetime(2026, 12, 29, 9, 30, tzinfo=start.tzinfo)]
    # Expanded as a calendar expands it, the rule gives the page's dates, across the
    # change to winter time (November 1) at the same 9:30 on the clock.
    dates = rrulestr(rule.to_ical().decode(), dtstart=start.replace(tzinfo=None))
    expanded = [d.date() for d in dates.between(dt.datetime(2026, 10, 20),
                                                dt.datetime(2027, 1, 13))]
    cadence = next(c for c in view.cadences if c.id == "steering")
    assert [d for d in expanded if d != dt.date(2026, 12, 29)] == view.dates(
        cadence, dt.date(2026, 10, 20), dt.date(2027, 1, 12))
    review = _events(calendar)["harborline-leadership-review@portico"]
    assert review["rrule"]["byday"] == ["1WE"] and review["rrule"]["freq"] == ["MONTHLY"]


def test_one_off_and_board_meetings_and_their_details() -> None:
    _, calendar, _ = _demo()
    events = _events(calendar)
    scoping = events["harborline-M-004@portico"]
    assert scoping["summary"] == "Quayside pilot scoping"
    assert scoping["location"] == "https://meet.northfieldcto.example/harborline-quayside"
    description = str(scoping["description"])
    assert "decisions/" not in description  # a link in the agenda reads as its words
    assert "If the board approves decision 0006, the scope" in description
    assert "With: Priya Raman, Northfield CTO Partners" in description
    assert "decision 0006 Buy a TMS for quoting and bookings" in description
    assert "ATTENDEE" not in calendar.to_ical().decode()  # no invitations to send
    board = events["harborline-board-2026-12-10@portico"]
    assert board.decoded("dtstart") == dt.date(2026, 12, 10)  # all day: packs have no time
    assert board["summary"] == "Board meeting"


def test_a_fortnightly_cadence_that_ends_has_its_until_in_utc() -> None:
    cadence = Cadence.model_validate({
        "id": "sync", "title": "Sync", "every": "2 weeks", "weekday": "Thursday",
        "time": "17:00", "starts": "2027-01-04", "ends": "2027-03-31", "duration": "30m"})
    view = MeetingsView(TODAY, "Europe/London", [cadence])
    event = _events(icalendar.Calendar.from_ical(calendar_file(view, "acme", "Acme", "Us"))
                    )["acme-sync@portico"]
    rule = event["rrule"]
    assert rule["interval"] == [2] and rule["byday"] == ["TH"]
    assert rule["until"] == [dt.datetime(2027, 3, 31, 22, 59, 59, tzinfo=dt.UTC)]  # BST
    assert event.decoded("dtstart").date() == dt.date(2027, 1, 7)


def test_the_schema_of_meetings_yml_is_written() -> None:
    schema = MeetingsFile.model_json_schema()
    assert {"timezone", "cadences", "meetings"} <= set(schema["properties"])


def test_the_calendar_file_is_encrypted_like_any_file_of_the_portal() -> None:
    """Not one of the theme's public assets; typed text/calendar wherever the build runs
    (not only where the system's mime table knows .ics), which browsers hand to a calendar
    or download, never show as a page."""
    from portico.protection.protect import THEME_ASSET_GLOBS, _is_public, _media_type
    from portico.sections.meetings.section import CALENDAR

    assert CALENDAR == "meetings/calendar.ics"
    assert not _is_public(CALENDAR, THEME_ASSET_GLOBS)
    assert _media_type(CALENDAR) == "text/calendar; charset=utf-8"
