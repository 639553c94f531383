"""Meetings in the demo portal, in Chromium: the home page names the next meetings, and the
calendar file downloads through the unlocked portal's service worker, decrypted, and reads
back with icalendar holding those meetings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from browser_support import REPO, unlock
from dateutil.rrule import rrulestr
from playwright.sync_api import Page, expect

from portico.content.load import load_engagement
from portico.portal.view import portal_view
from portico.sections.meetings.schedule import Occurrence


def _next_meetings() -> list[Occurrence]:
    """What the demo build (made today) shows as the next meetings."""
    today = dt.date.today()
    return list(portal_view(load_engagement(REPO, "harborline"), today).parts["meetings"].next)


def _days(event: icalendar.Event) -> set[dt.date]:
    """The days an event meets in the next half year, its RRULE expanded."""
    start = event.decoded("dtstart")
    if "rrule" not in event:
        return {start if not isinstance(start, dt.datetime) else start.date()}
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    today = dt.datetime.combine(dt.date.today(), dt.time())
    skipped = {x.dt.date() for x in event["exdate"].dts} if "exdate" in event else set()
    return {d.date() for d in rule.between(today, today + dt.timedelta(days=183), inc=True)
            } - skipped


def test_home_shows_the_next_meetings_and_the_calendar_downloads_with_them(
        page: Page, demo: str) -> None:
    coming = _next_meetings()
    assert coming, "the demo has meetings ahead"
    unlock(page, demo)
    card = page.locator("article .grid.cards > ul > li", has_text="Next meetings")
    expect(card).to_be_visible()
    items = card.locator("li")
    expect(items).to_have_count(len(coming))
    for item, meeting in zip(items.all(), coming, strict=True):
        expect(item).to_contain_text(meeting.title)
    with page.expect_download() as download:
        card.get_by_role("link", name="Add them to your calendar").click()
    data = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(data)  # plain iCalendar: decrypted by the worker
    events = list(calendar.walk("VEVENT"))
    for meeting in coming:
        held = [e for e in events if str(e["summary"]) == meeting.title]
        assert held, f"{meeting.title} is not in the calendar"
        assert any(meeting.day in _days(e) for e in held), (meeting.title, meeting.day)
    assert not any("Fee review" in str(e["summary"]) for e in events)  # internal


def test_the_meetings_page_shows_what_is_coming_up_and_its_agendas_links(
        page: Page, demo: str) -> None:
    unlock(page, demo)
    page.locator(".md-nav--primary").get_by_role("link", name="Meetings", exact=True) \
        .first.click()
    expect(page.locator("article h1")).to_contain_text("Meetings")
    expect(page.locator("article h2").first).to_contain_text("Coming up")
    entry = page.locator(".pt-entry", has=page.locator("#m-004"))
    entry.get_by_role("link", name="Check that Quayside's API covers partial shipments").click()
    expect(page).to_have_url(f"{demo}asks/#a-003")
    expect(page.locator("article h1")).to_contain_text("Asks")
