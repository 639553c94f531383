"""The roadmap as a section: roadmap.yml → timeline page, now/next/later, home card."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pydantic import BaseModel

from portico.content.errors import Problem
from portico.content.model import Engagement, did_you_mean_id
from portico.portal.charts import status_bar_svg
from portico.portal.markdown import anchor
from portico.portal.slips import slip_of
from portico.sections.base import (
    Markers,
    Section,
    Trace,
    YamlText,
    item_key,
    own_pages,
    sentences,
)
from portico.sections.decisions.refs import check_decision_refs
from portico.sections.roadmap.model import Milestone, Roadmap, RoadmapItem, quarter_bounds
from portico.sections.roadmap.phone import timeline_chart
from portico.sections.roadmap.view import RoadmapView, roadmap_view

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter
    from portico.portal.view import PortalView

FILE = "roadmap.yml"
PAGE = "roadmap/index.md"


def roadmap_of(e: Engagement) -> Roadmap | None:
    """The client's roadmap as loaded (internal items included), if it has one."""
    roadmap: Roadmap | None = e.parts.get("roadmap")
    return roadmap


def _dependencies_out_of_views(e: Engagement, part: Roadmap) -> Iterator[Problem]:
    """A dependency the item's view does not show: its portal draws the item without it,
    which may be what the CTO meant (a leadership-only step), so a warning, not an error."""
    from portico.portal.audience import engagement_for_view

    file = f"{e.source}/{FILE}"
    known = {item.id: item for item in part.items}
    for name in e.client.views:
        shown = engagement_for_view(e, name)
        roadmap = roadmap_of(shown)
        if not shown.shows("roadmap") or roadmap is None:
            continue
        inside = {item.id for item in roadmap.items if not item.internal}
        for i, item in enumerate(part.items):
            if item.id not in inside or item.internal:
                continue
            for j, dep in enumerate(item.depends_on):
                target = known.get(dep)
                if target is None or target.internal or dep in inside:
                    continue  # no such item, or an internal one: errors of their own
                yield Problem(file, e.line(FILE, ("items", i, "depends_on", j)),
                              f"view {name}: {item.id} depends on {dep}, which is outside "
                              "the view; its portal leaves the dependency out", "warning",
                              kind="view-dependency-outside")


class RoadmapSection(Section):
    """roadmap.yml: the timeline, now/next/later, milestones, and the home card."""

    name = "roadmap"
    title = "Roadmap"
    noun = "Roadmap item"
    sources = (FILE,)
    home_rank = 30
    warnings = {
        "view-dependency-outside": "A roadmap item in a view whose `depends_on:` names an "
                                   "item outside it (the view's portal leaves that "
                                   "dependency out).",
    }

    def load(self, folder: Path, loader: Loader) -> Roadmap | None:
        if not loader.present(folder / FILE):
            return None
        return loader.yaml(folder / FILE, Roadmap, empty={})

    def check(self, e: Engagement, part: Roadmap | None, today: dt.date) -> Iterator[Problem]:
        if part is None:
            return
        file = f"{e.source}/roadmap.yml"
        items = {item.id: item for item in part.items}
        counts = Counter(item.id for item in part.items)
        for i, item in enumerate(part.items):
            at = ("items", i)
            if counts[item.id] > 1:
                yield Problem(file, e.line("roadmap.yml", (*at, "id")),
                              f"duplicate roadmap id {item.id}")
            span = item.span()
            if item.start is not None and item.end is not None and span:
                first_end = quarter_bounds(item.end)[1]
                if first_end < quarter_bounds(item.start)[0]:
                    yield Problem(file, e.line("roadmap.yml", (*at, "end")),
                                  f"end {item.end} is before start {item.start}")
            for j, dep in enumerate(item.depends_on):
                line = e.line("roadmap.yml", (*at, "depends_on", j))
                target = items.get(dep)
                if target is None:
                    yield Problem(file, line, f"depends_on {dep}: no roadmap item has this id"
                                  f"{did_you_mean_id(dep, items)}")
                elif dep == item.id:
                    yield Problem(file, line, f"{item.id} depends on itself")
                elif target.internal and not item.internal:
                    yield Problem(file, line, f"depends_on {dep}: that item is internal")
            yield from check_decision_refs(e, "roadmap.yml", at, item.decisions, item.internal)
        yield from _dependencies_out_of_views(e, part)
        for k, milestone in enumerate(part.milestones):
            if milestone.workstream and part.workstreams and \
                    milestone.workstream not in part.workstreams:
                yield Problem(file, e.line("roadmap.yml", ("milestones", k, "workstream")),
                              f"workstream {milestone.workstream!r} is not in workstreams")
        if part.workstreams:
            for i, item in enumerate(part.items):
                if item.workstream and item.workstream not in part.workstreams:
                    yield Problem(file, e.line("roadmap.yml", ("items", i, "workstream")),
                                  f"workstream {item.workstream!r} is not in workstreams "
                                  f"({', '.join(part.workstreams)})")

    def yaml_markdown(self, part: Roadmap | None) -> Iterator[YamlText]:
        for i, item in enumerate(part.items if part else ()):
            yield YamlText(FILE, ("items", i, "description"), item.description, not item.internal)

    def markers(self, part: Roadmap | None) -> Markers:
        found = Markers()
        if part is None:
            return found
        found.strings += part.workstreams
        for item in part.items:
            found.strings += [item.title, item.owner or "", item.workstream or ""]
            found.strings += sentences(item.description)
        found.strings += [milestone.title for milestone in part.milestones]
        found.people = [item.owner or "" for item in part.items]
        found.titles = [*part.workstreams, *(item.title for item in part.items),
                        *(milestone.title for milestone in part.milestones)]
        return found

    def schema(self) -> dict[str, type[BaseModel]]:
        return {"roadmap": Roadmap}

    def linked_items(self, part: Roadmap | None) -> dict[str, Any]:
        return {i.id: i for i in part.items} if part else {}

    def page(self, view: RoadmapView) -> str | None:
        return PAGE if view.items or view.milestones else None

    def traces(self, view: RoadmapView) -> Iterator[Trace]:
        for item in view.items:
            yield Trace(self.name, item.id, item.title, item.status, dates=_dates(item),
                        item=item)
        for milestone in view.milestones:  # a milestone is known by its title: no id
            yield _milestone_trace(self.name, milestone)

    def noun_of(self, item: Any) -> str:
        return "Milestone" if isinstance(item, Milestone) else self.noun

    def view(self, e: Engagement, part: Roadmap | None, today: dt.date) -> RoadmapView:
        from portico.portal.changes import moved

        view = roadmap_view(part, today)
        if e.history is not None:
            for item in view.items:
                now = Trace(self.name, item.id, item.title, item.status, dates=_dates(item))
                points = moved(e.history, now.key, now, today)
                if points:
                    view.history[item.id] = [(day, t.state) for day, t in points]
                found = [s for name in ("end", "start")
                         if (s := slip_of(e.history, now.key, name, now, today)) is not None]
                if found:
                    view.slips[item.id] = found
            for milestone in view.milestones:
                now = _milestone_trace(self.name, milestone)
                slip = slip_of(e.history, now.key, "date", now, today)
                if slip is not None:
                    view.milestone_slips[milestone.title] = slip
        return view

    def allocate(self, view: RoadmapView, pages: dict[Path, str]) -> None:
        # Only a large roadmap (REGISTER_LIMIT) has a page per item: `roadmap/r4.md`, from
        # the id, which `check` keeps unique (a clash after lower-casing, or with the
        # roadmap's own page, gets `-2`).
        if not view.paged:
            return
        for item_id, page in own_pages((i.id for i in view.items), "roadmap",
                                       [Path(PAGE).stem]).items():
            pages[item_key(FILE, item_id)] = page

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        if isinstance(obj, Milestone):
            return PAGE, ""
        if not isinstance(obj, RoadmapItem):
            return None
        own = pages.get(item_key(FILE, obj.id))
        return (own, "") if own is not None else (PAGE, anchor(obj.id))

    def pages(self, view: RoadmapView, writer: PageWriter) -> None:
        if view.items or view.milestones:
            writer.page = PAGE
            tags = {i.id: [o.title for o in writer.cited_by("roadmap.yml", i.id)]
                    for i in view.dated_items}
            timeline = timeline_chart(view.dated_items, view.milestones, view.workstreams,
                                      today=view.today, link=writer.href, tags=tags,
                                      day=writer.view.formats.point,
                                      month=writer.view.formats.month)
            writer.write(PAGE, "roadmap/page.md.j2", "Roadmap", hide=("toc",), roadmap=view,
                         timeline=timeline.html())
        if view.paged:
            pages = writer.tree.pages
            for item in view.items:
                page = pages[item_key(FILE, item.id)]
                writer.page = page
                writer.write(page, "roadmap/item.md.j2", item.title, hide=("toc",), i=item,
                             roadmap=view, back=Markup(f"index.md#{anchor(item.id)}"))

    def unlisted_in(self, view: RoadmapView | None) -> tuple[str, ...]:
        # A large roadmap's pages per item are reached from its table and timeline, never
        # the nav (which every page carries); a small roadmap adds nothing.
        return ("/roadmap/*.md",) if view is not None and view.paged else ()

    def nav(self, view: RoadmapView, pages: dict[Path, str]) -> list[Any]:
        return [{"Roadmap": PAGE}] if view.items or view.milestones else []

    def home_card(self, view: RoadmapView, writer: PageWriter) -> str | None:
        if not view.items:
            return None  # milestones alone have their page, but nothing to count
        # Dropped work is counted neither in the bar nor in "done", so both say one total.
        chart = Markup(status_bar_svg([(s, n) for s, n in view.statuses() if s != "dropped"],
                                      label="Roadmap items by status"))
        return writer.render_template("roadmap/home_card.md.j2", roadmap=view, chart=chart)

    def backlinks(self, view: RoadmapView, number: str,
                  portal: PortalView) -> tuple[str, list[Any]]:
        return "Roadmap", [i for i in view.items if number in i.decisions]


def _dates(item: RoadmapItem) -> dict[str, str]:
    """The start and end it promises, as written: a moved one is a slip."""
    return {name: str(value) for name in ("start", "end")
            if (value := getattr(item, name)) is not None}


def _milestone_trace(section: str, milestone: Milestone) -> Trace:
    """A milestone's date, traced under its title: a moved date is a slip."""
    return Trace(section, f"milestone {milestone.title}", milestone.title,
                 dates={"date": milestone.date.isoformat()}, item=milestone)
