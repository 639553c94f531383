"""The engagement's terms and hours as a section: client.yml `engagement:` (scope,
deliverables, commitment, renewal) and time.csv → the Engagement page (days used against
agreed, per month and in total, time by activity, the notice date as it nears), a home card
and, when the notice date nears, a home block."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from portico.content.errors import Problem
from portico.content.model import Deliverable, Engagement
from portico.portal.markdown import anchor
from portico.sections.base import Markers, Section, Trace, sentences
from portico.sections.engagement.chart import activity_chart
from portico.sections.engagement.model import FILE, TimeEntry, TimeLog, read_time
from portico.sections.engagement.new import PLACEHOLDERS
from portico.sections.engagement.view import EngagementView, engagement_view

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter

CLIENT = "client.yml"
PAGE = "engagement/index.md"
_AT = ("engagement",)


class EngagementSection(Section):
    """Terms (client.yml `engagement:`) and time (time.csv)."""

    name = "engagement"
    title = "Engagement"
    noun = "Deliverable"
    placeholders = PLACEHOLDERS
    sources = (FILE,)  # time.csv: never published nor linked to (its notes may be internal)
    home_rank = 8
    warnings = {
        "engagement-notice": "The engagement's notice date (`renewal` less `notice_days`) is "
                             "within the next 60 days, or has passed before the renewal.",
        "time-date": "A `time.csv` row dated outside the engagement, or in the future.",
        "time-without-commitment": "A `time.csv` with no `engagement.commitment` in "
                                   "`client.yml` to count the days against.",
    }

    def load(self, folder: Path, loader: Loader) -> TimeLog:
        return read_time(folder / FILE, loader)

    def check(self, e: Engagement, part: TimeLog, today: dt.date) -> Iterator[Problem]:
        info = e.client.engagement
        client = f"{e.source}/{CLIENT}"
        ids = Counter(d.id for d in info.deliverables)
        for i, d in enumerate(info.deliverables):
            if ids[d.id] > 1:
                yield Problem(client, e.line(CLIENT, (*_AT, "deliverables", i, "id")),
                              f"duplicate deliverable id {d.id}")
        if info.notice_days is not None and info.renewal is None:
            yield Problem(client, e.line(CLIENT, (*_AT, "notice_days")),
                          "notice_days needs renewal (the date notice is counted back from)")
        if info.renewal is not None and info.renewal < info.start:
            yield Problem(client, e.line(CLIENT, (*_AT, "renewal")),
                          f"renewal {info.renewal} is before the start {info.start}")
        view = engagement_view(info, part, today)
        if view.notice == "due" and info.notice_date is not None:
            yield Problem(client, e.line(CLIENT, (*_AT, "renewal")),
                          f"notice date {info.notice_date} for the renewal on {info.renewal} "
                          f"in {view.days_to_notice} days", "warning", kind="engagement-notice")
        time = f"{e.source}/{FILE}"
        for logged in part.entries:
            day = logged.entry.date
            if day < info.start or (info.end is not None and day > info.end):
                yield Problem(time, logged.line, f"date {day} is outside the engagement "
                              f"({info.start} to {info.end or 'open-ended'})", "warning",
                              kind="time-date")
            elif day > today:
                yield Problem(time, logged.line, f"date {day} is in the future", "warning",
                              kind="time-date")
        if part.entries and info.commitment is None:
            yield Problem(client, e.line(CLIENT, _AT), "time.csv is counted against "
                          "engagement.commitment (days_per_week or days_per_month), which "
                          "is missing", "warning", kind="time-without-commitment")

    def markers(self, part: TimeLog) -> Markers:
        found = Markers()
        for logged in part.entries:
            found.strings += list(sentences(logged.entry.note))
            if logged.entry.note and logged.entry.internal:
                found.strings.append(logged.entry.note)
        return found

    def schema(self) -> dict[str, type[BaseModel]]:
        return {"time": TimeEntry}

    def linked_items(self, part: TimeLog) -> dict[str, Any]:
        return {}

    def page(self, view: EngagementView) -> str | None:
        return PAGE if view.shown else None

    def view(self, e: Engagement, part: TimeLog, today: dt.date) -> EngagementView:
        return engagement_view(e.client.engagement, part or TimeLog(), today)

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        return (PAGE, anchor(obj.id)) if isinstance(obj, Deliverable) else None

    def traces(self, view: EngagementView) -> Iterator[Trace]:
        for d in view.deliverables:
            yield Trace(self.name, d.id, d.title, str(d.status), item=d)

    def pages(self, view: EngagementView, writer: PageWriter) -> None:
        if not view.shown:
            return
        writer.page = PAGE
        formats = writer.view.formats
        chart = activity_chart(view.activities, formats.number) if view.activities else None
        writer.write(PAGE, "engagement/page.md.j2", "Engagement", hide=("toc",), terms=view,
                     chart=chart)

    def nav(self, view: EngagementView, pages: dict[Path, str]) -> list[Any]:
        return [{"Engagement": PAGE}] if view.shown else []

    def home_card(self, view: EngagementView, writer: PageWriter) -> str | None:
        if not view.shown:
            return None
        return writer.render_template("engagement/home_card.md.j2", terms=view)
