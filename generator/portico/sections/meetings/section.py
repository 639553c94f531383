"""Meetings as a section: meetings.yml (regular and one-off meetings) and the board packs'
dates → the next meetings on home, a Meetings page with their agendas, and a calendar
file (.ics) that the portal encrypts like every other file."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from portico.content.errors import Problem
from portico.content.model import Engagement
from portico.portal.markdown import anchor
from portico.sections.base import Markers, Section, Trace, YamlText, sentences
from portico.sections.decisions.refs import check_decision_refs
from portico.sections.meetings.calendar import calendar_file
from portico.sections.meetings.model import WEEKLY, Cadence, Meeting, MeetingsFile
from portico.sections.meetings.schedule import fits, meets_on
from portico.sections.meetings.view import MeetingsView

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter
    from portico.portal.view import PortalView

FILE = "meetings.yml"
PAGE = "meetings/index.md"
CALENDAR = "meetings/calendar.ics"  # a fixed name: output paths never hold client words
PRACTICE = "practice"  # the attendee word for the practice's own people


class MeetingsSection(Section):
    """meetings.yml: the engagement's meetings, and the board meetings of the board packs."""

    name = "meetings"
    title = "Meetings"
    noun = "Meeting"
    sources = (FILE,)
    home_rank = 2  # what is coming up, right after what is waiting on the client

    def load(self, folder: Path, loader: Loader) -> MeetingsFile | None:
        if not (folder / FILE).is_file():
            return None
        return loader.yaml(folder / FILE, MeetingsFile, empty={})

    def check(self, e: Engagement, part: MeetingsFile | None,
              today: dt.date) -> Iterator[Problem]:
        if part is None:
            return
        file = f"{e.source}/{FILE}"
        if part.timezone is None and (part.cadences or part.meetings):
            yield Problem(file, e.line(FILE, ()), "timezone is missing: the IANA time zone "
                          "the times are in, e.g. timezone: America/New_York")
        ids = Counter(m.id for m in [*part.cadences, *part.meetings])
        contacts = {c.name.casefold() for c in e.client.contacts}
        asks = {a.id: a for a in e.parts.get("actions") or []}
        items: list[tuple[tuple[str | int, ...], Cadence | Meeting]] = [
            *((("cadences", i), c) for i, c in enumerate(part.cadences)),
            *((("meetings", i), m) for i, m in enumerate(part.meetings))]
        for at, item in items:
            if ids[item.id] > 1:
                yield Problem(file, e.line(FILE, (*at, "id")), f"duplicate meeting id {item.id}")
            for j, name in enumerate(item.attendees):
                if name.strip().casefold() not in contacts | {PRACTICE}:
                    yield Problem(file, e.line(FILE, (*at, "attendees", j)),
                                  f"{item.id}: attendee {name!r} is not a contact in "
                                  "client.yml; write a contact's name, or `practice`")
            for j, ask_id in enumerate(item.links.actions):
                where = e.line(FILE, (*at, "links", "actions", j))
                ask = asks.get(ask_id)
                if ask is None:
                    yield Problem(file, where, f"{item.id}: ask {ask_id} does not exist in "
                                  "actions.yml")
                elif ask.internal and not item.internal:
                    yield Problem(file, where, f"{item.id}: ask {ask_id} is internal; a "
                                  "client-visible meeting cannot link to it")
            yield from check_decision_refs(e, FILE, (*at, "links"), item.links.decisions,
                                           item.internal)
            if isinstance(item, Cadence):
                yield from _check_cadence(e, file, at, item)
            elif item.duration is not None and item.time is None:
                yield Problem(file, e.line(FILE, (*at, "duration")), f"{item.id}: duration "
                              "needs a time (without one the meeting takes the whole day)")

    def yaml_markdown(self, part: MeetingsFile | None) -> Iterator[YamlText]:
        for key, items in _lists(part):
            for i, item in enumerate(items):
                yield YamlText(FILE, (key, i, "agenda"), item.agenda, not item.internal)

    def markers(self, part: MeetingsFile | None) -> Markers:
        found = Markers()
        for _, items in _lists(part):
            for item in items:
                found.strings += [item.title, item.where or "", *sentences(item.agenda)]
                found.titles.append(item.title)
                if item.internal and item.agenda:
                    found.strings.append(item.agenda)
        return found

    def schema(self) -> dict[str, type[BaseModel]]:
        return {"meetings": MeetingsFile}

    def linked_items(self, part: MeetingsFile | None) -> dict[str, Any]:
        return {item.id: item for _, items in _lists(part) for item in items}

    def page(self, view: MeetingsView) -> str | None:
        return PAGE if view.shown else None

    def view(self, e: Engagement, part: MeetingsFile | None, today: dt.date) -> MeetingsView:
        if part is None:
            return MeetingsView(today)
        return MeetingsView(
            today, part.timezone,
            cadences=[c for c in part.cadences if not c.internal],
            meetings=[m for m in part.meetings if not m.internal],
            board=[p for p in e.parts.get("board") or [] if not p.internal],
            decisions={d.number: d for d in e.parts.get("decisions") or [] if not d.internal},
            asks={a.id: a for a in e.parts.get("actions") or [] if not a.internal})

    def traces(self, view: MeetingsView) -> Iterator[Trace]:
        # What's new: a regular meeting added or its frequency changed, a one-off meeting
        # added or cancelled. A meeting passing is no news, so "held" is not a state.
        for c in view.current:
            yield Trace(self.name, c.id, c.title, str(c.every), item=c)
        for m in view.meetings:
            yield Trace(self.name, m.id, m.title, "cancelled" if m.cancelled else "scheduled",
                        item=m)

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        return (PAGE, anchor(obj.id)) if isinstance(obj, Cadence | Meeting) else None

    def pages(self, view: MeetingsView, writer: PageWriter) -> None:
        if not view.shown:
            return
        from portico.content.practice import practice_name

        practice = practice_name(writer.practice.root)
        writer.page = PAGE
        writer.write(PAGE, "meetings/page.md.j2", "Meetings", hide=("toc",), meetings=view,
                     practice=practice, calendar=CALENDAR)
        e = writer.view.engagement
        writer.write_file(CALENDAR, calendar_file(view, e.slug, e.client.name, practice))

    def nav(self, view: MeetingsView, pages: dict[Path, str]) -> list[Any]:
        return [{"Meetings": PAGE}] if view.shown else []

    def home_card(self, view: MeetingsView, writer: PageWriter) -> str | None:
        if not view.shown:
            return None
        return writer.render_template("meetings/home_card.md.j2", meetings=view,
                                      calendar=CALENDAR)

    def backlinks(self, view: MeetingsView, number: str,
                  portal: PortalView) -> tuple[str, list[Any]]:
        coming = [*view.current, *view.ahead]
        return "Meetings", [m for m in coming if number in m.links.decisions]


def _lists(part: MeetingsFile | None) -> list[tuple[str, list[Cadence] | list[Meeting]]]:
    if part is None:
        return []
    return [("cadences", part.cadences), ("meetings", part.meetings)]


def _check_cadence(e: Engagement, file: str, at: tuple[str | int, ...],
                   c: Cadence) -> Iterator[Problem]:
    key = "weekday" if c.weekday is not None else "on"
    if c.weekday is not None and c.on is not None:
        yield Problem(file, e.line(FILE, (*at, "on")), f"{c.id}: give weekday or on, not "
                      "both (they are the same field)")
    if c.rule is None:
        example = "Tuesday" if c.every in WEEKLY else "first Tuesday"
        yield Problem(file, e.line(FILE, at), f"{c.id}: weekday is missing: the day it "
                      f"meets, e.g. weekday: {example}")
    elif not fits(str(c.every), c.rule):
        wanted = ("a day of the week, e.g. Tuesday" if c.every in WEEKLY else
                  "a week of the month and a day (first Tuesday, last Friday) or a day of "
                  "the month 1..28")
        yield Problem(file, e.line(FILE, (*at, key)), f"{c.id}: every {c.every} needs "
                      f"{wanted}; got {c.rule.title()!r}")
    if c.ends is not None and c.ends < c.starts:
        yield Problem(file, e.line(FILE, (*at, "ends")),
                      f"{c.id}: ends {c.ends} is before starts {c.starts}")
    if c.rule is not None and fits(str(c.every), c.rule):
        for j, day in enumerate(c.skip):
            if not meets_on(c, day):
                yield Problem(file, e.line(FILE, (*at, "skip", j)), f"{c.id}: skip {day} "
                              "is not a day this cadence meets")
