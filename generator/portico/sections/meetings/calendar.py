"""The portal's calendar file: every client-visible meeting as iCalendar (RFC 5545), written
with the `icalendar` library. Regular meetings are one event each with its RRULE (and an
EXDATE per skipped date), so a calendar shows every future meeting; one-off meetings are
events, board meetings all-day events. Cancelled and internal meetings are left out.

The file is written into the docs tree like a page and encrypted with the rest of the
portal; its bytes depend only on the inputs and the build's `today` (DTSTAMP is that day,
midnight UTC), so an unchanged engagement gives an unchanged file.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
from dateutil import rrule as du

from portico.content.links import find_links, replace_spans
from portico.sections.meetings.model import Cadence, Meeting
from portico.sections.meetings.schedule import first_meeting, rule_parts
from portico.sections.meetings.view import MeetingsView

PRODID = "-//Portico//Client portal meetings//EN"
_EMPHASIS = re.compile(r"(\*\*|__|`)")
# A line wrapped in the YAML: not a paragraph break, nor the start of a list item.
_SOFT_BREAK = re.compile(r"(?<!\n)\n(?!\n|\s*(?:[-*+]|\d+[.)])\s)")


def calendar_file(view: MeetingsView, slug: str, client: str, practice: str) -> bytes:
    """The .ics of `view` for client `slug` (UIDs `<slug>-<id>@portico`, stable across
    builds); `client` names the calendar, `practice` stands in for `practice` attendees."""
    zone = ZoneInfo(view.zone) if view.zone else dt.UTC
    stamp = dt.datetime.combine(view.today, dt.time(), dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{client} meetings")
    if view.zone:
        calendar.add("x-wr-timezone", view.zone)
    starts: list[dt.date] = []
    for cadence in view.cadences:
        event = _cadence_event(cadence, zone, view, practice)
        if event is not None:
            starts.append(event.decoded("dtstart").date())
            calendar.add_component(_stamped(event, f"{slug}-{cadence.id}@portico", stamp))
    for meeting in view.meetings:
        if not meeting.cancelled:
            event = _one_off_event(meeting, zone, view, practice)
            starts.append(meeting.date)
            calendar.add_component(_stamped(event, f"{slug}-{meeting.id}@portico", stamp))
    seen: dict[dt.date, int] = {}
    for board in view.board_meetings():
        seen[board.day] = seen.get(board.day, 0) + 1
        suffix = f"-{seen[board.day]}" if seen[board.day] > 1 else ""
        event = _all_day(board.day, board.title)
        event.add("description", f"Board pack: {board.item.doc.title}")
        starts.append(board.day)
        calendar.add_component(_stamped(
            event, f"{slug}-board-{board.day.isoformat()}{suffix}@portico", stamp))
    if view.zone and starts:
        # VTIMEZONE from the earliest meeting's year on, not from 1970: a smaller file.
        calendar.add_missing_timezones(first_date=dt.date(min(starts).year, 1, 1))
    return bytes(calendar.to_ical())


def _stamped(event: icalendar.Event, uid: str, stamp: dt.datetime) -> icalendar.Event:
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    return event


def _cadence_event(cadence: Cadence, zone: dt.tzinfo, view: MeetingsView,
                   practice: str) -> icalendar.Event | None:
    first = first_meeting(cadence)
    if first is None:
        return None
    event = icalendar.Event()
    event.add("summary", cadence.title)
    event.add("dtstart", first.replace(tzinfo=zone))
    event.add("duration", dt.timedelta(minutes=cadence.minutes))
    event.add("rrule", _recurrence(cadence, zone))
    skipped = [dt.datetime.combine(day, cadence.time, zone) for day in sorted(cadence.skip)]
    if skipped:
        event.add("exdate", skipped)
    _details(event, cadence, view, practice)
    return event


def _recurrence(cadence: Cadence, zone: dt.tzinfo) -> dict[str, object]:
    """The RRULE of the cadence: the rule `schedule.rule_parts` expands, in RFC 5545 words."""
    parts = rule_parts(cadence)
    found: dict[str, object] = {
        "freq": "WEEKLY" if parts["freq"] == du.WEEKLY else "MONTHLY",
        "interval": parts["interval"],
    }
    if "bymonthday" in parts:
        found["bymonthday"] = parts["bymonthday"]
    else:
        day = parts["byweekday"]
        code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday]
        found["byday"] = f"{day.n}{code}" if day.n else code
    if cadence.ends is not None:
        # With a TZID start, UNTIL is in UTC (RFC 5545 3.3.10): the end of `ends`, there.
        end = dt.datetime.combine(cadence.ends, dt.time(23, 59, 59), zone)
        found["until"] = end.astimezone(dt.UTC)
    return found


def _one_off_event(meeting: Meeting, zone: dt.tzinfo, view: MeetingsView,
                   practice: str) -> icalendar.Event:
    if meeting.time is None:
        event = _all_day(meeting.date, meeting.title)
    else:
        event = icalendar.Event()
        event.add("summary", meeting.title)
        event.add("dtstart", dt.datetime.combine(meeting.date, meeting.time, zone))
        event.add("duration", dt.timedelta(minutes=meeting.minutes))
    _details(event, meeting, view, practice)
    return event


def _all_day(day: dt.date, title: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("summary", title)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a day's marker, not a busy day
    return event


def _details(event: icalendar.Event, item: Cadence | Meeting, view: MeetingsView,
             practice: str) -> None:
    """LOCATION and a plain-text DESCRIPTION: the agenda, who comes, what it covers.
    Attendees are named in the text, never as ATTENDEE: a calendar would offer to
    e-mail them invitations."""
    if item.where:
        event.add("location", item.where)
    lines = [_plain(item.agenda)] if item.agenda else []
    if item.attendees:
        names = [practice if a.strip().casefold() == "practice" else a for a in item.attendees]
        lines.append("With: " + ", ".join(names))
    covered = [_cited(x) for x in view.covers(item)]
    if covered:
        lines.append("On the agenda: " + "; ".join(covered))
    if lines:
        event.add("description", "\n\n".join(lines))


def _cited(item: object) -> str:
    number = getattr(item, "number", None)
    title = str(getattr(item, "title", ""))
    return f"decision {number} {title}" if number else title


def _plain(markdown: str) -> str:
    """Markdown as a calendar shows it: links as their words (no paths of the client's
    folder), emphasis marks gone."""
    spans = [(*link.whole, link.text) for link in find_links(markdown)]
    text = _EMPHASIS.sub("", replace_spans(markdown, spans)).strip()
    return _SOFT_BREAK.sub(" ", text)
