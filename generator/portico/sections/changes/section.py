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
from portico.portal.labels import label
from portico.sections.base import Section
from portico.sections.decisions.section import success_trace_kpi

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
    aspect: str | None = None  # a part of the item followed on its own: "success test"

    @property
    def ident(self) -> str:
        """The item's id as the page names it (a decision's number for its success test)."""
        return self.change.after.id.split("/", 1)[0]

    @property
    def what(self) -> str:
        """What happened: "added", "status proposed → accepted", "success test: On the way
        → Met", and for a test set on a decision already there, "success test: Met" (the
        verdict as the decision's page shows it, not "success test set: met")."""
        if self.aspect is None:
            return "added" if self.change.before is None else ", ".join(self.change.moves)
        if self.change.before is None:
            return f"{self.aspect}: {label(self.change.after.state)}"
        return f"{self.aspect}: {', '.join(self.change.moves)}"

    @property
    def added(self) -> bool:
        """An item new to the portal: its entry says so first, "Board pack added: Q4 board
        pack", where "Board pack Q4 board pack: added" named the kind twice."""
        return self.aspect is None and self.change.before is None

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


def _aspect(e: Engagement, section: str, trace_id: str) -> str | None:
    """"success test" for a decision's success test (naming its KPI when the decision has
    several); None for an item's own trace."""
    kpi_id = success_trace_kpi(trace_id) if section == "decisions" else None
    if kpi_id is None:
        return None
    number = trace_id.split("/", 1)[0]
    decision = next((d for d in e.parts.get("decisions") or [] if d.number == number), None)
    if decision is None or len(decision.success) < 2:
        return "success test"
    kpi = next((k for k in e.parts.get("kpis") or [] if k.id == kpi_id), None)
    return f"success test on {kpi.name if kpi is not None else kpi_id}"


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
        found = changes(e.history, now)
        added = {(c.revision.commit, c.after.key) for c in found if c.before is None}
        entries = []
        for c in found:
            aspect = _aspect(e, c.after.section, c.after.id)
            if aspect is not None and c.before is None and (
                    c.revision.commit, (c.after.section, c.after.id.split("/", 1)[0])) in added:
                continue  # a decision added with its success test: "added" says it
            entries.append(Entry(c, sections[c.after.section].noun_of(now[c.after.key].item),
                                 now[c.after.key].item,
                                 now[c.after.key].title, aspect))
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
