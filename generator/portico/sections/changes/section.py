""""What's new" as a section: a page of the changes to the portal, grouped by day.

The changes come from comparing what the client could see at successive commits
(portal.changes), never from commit messages. In the browser, portal.js marks the entries
newer than the reader's previous visit (a timestamp per portal, kept in the browser only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING, Any

from portico.content.model import Engagement
from portico.sections.base import Section

if TYPE_CHECKING:
    from pathlib import Path

    from portico.portal.changes import Change
    from portico.portal.render import PageWriter

PAGE = "whats-new.md"
HOME_LATEST = 4  # changes named on the home page
PAGE_LIMIT = 200  # changes listed on the page; older ones are counted, not listed


@dataclass(frozen=True)
class Entry:
    """One change as the page shows it: what it is today, and what moved."""

    change: Change
    noun: str
    item: Any  # today's item, for its link
    title: str  # today's title

    @property
    def when(self) -> str:
        """The change's time for the browser's "since your last visit", in UTC to the
        minute (not the committer's own offset)."""
        return self.change.revision.when.astimezone(dt.UTC).isoformat(
            timespec="minutes")


@dataclass
class ChangesView:
    entries: list[Entry] = field(default_factory=list)  # newest first, at most PAGE_LIMIT
    since: dt.date | None = None  # the day the history starts (the portal's first state)
    older: int = 0  # changes before the oldest listed one

    def by_day(self) -> Iterator[tuple[dt.date, list[Entry]]]:
        for day, entries in groupby(self.entries, key=lambda e: e.change.revision.day):
            yield day, list(entries)


class ChangesSection(Section):
    """What changed in the portal, from one commit to the next, newest first."""

    name = "changes"
    title = "What's new"
    home_rank = 5

    def view(self, e: Engagement, part: Any, today: dt.date) -> ChangesView:
        from portico.portal.changes import changes, current_traces
        from portico.sections import registered

        if e.history is None or len(e.history.revisions) < 2:
            return ChangesView()
        now = current_traces(e, today, without=(self.name,))
        sections = {s.name: s for s in registered()}
        entries = [Entry(c, sections[c.after.section].noun_of(now[c.after.key].item),
                         now[c.after.key].item,
                         now[c.after.key].title)
                   for c in changes(e.history, now)]
        return ChangesView(entries[:PAGE_LIMIT], e.history.revisions[0].day,
                           max(0, len(entries) - PAGE_LIMIT))

    def page(self, view: ChangesView) -> str | None:
        return PAGE if view.entries else None

    def pages(self, view: ChangesView, writer: PageWriter) -> None:
        if view.entries:
            writer.page = PAGE
            writer.write(PAGE, "changes/page.md.j2", "What's new", hide=("toc",),
                         changes=view)

    def nav(self, view: ChangesView, pages: dict[Path, str]) -> list[Any]:
        return [{"What's new": PAGE}] if view.entries else []

    def home_block(self, view: ChangesView, writer: PageWriter) -> str | None:
        if not view.entries:
            return None
        return writer.render_template("changes/home_block.md.j2",
                                      latest=view.entries[:HOME_LATEST])
