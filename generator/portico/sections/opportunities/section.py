"""AI opportunities as a section: opportunities.yml → the value × effort matrix, the list by
priority and the sequence the roadmap gives them."""

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
from portico.portal.markdown import anchor
from portico.sections.base import Markers, Section, Trace, YamlText, sentences
from portico.sections.opportunities.chart import matrix_svg
from portico.sections.opportunities.model import Opportunity, OpportunityList
from portico.sections.opportunities.view import OpportunitiesView, opportunities_view

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter

FILE = "opportunities.yml"
PAGE = "opportunities/index.md"


def _roadmap_items(e: Engagement) -> list[Any]:
    roadmap = e.parts.get("roadmap")
    return list(getattr(roadmap, "items", None) or [])


class OpportunitiesSection(Section):
    """opportunities.yml: value × effort, priorities, sequence and governance."""

    name = "opportunities"
    title = "AI opportunities"
    noun = "AI opportunity"
    sources = (FILE,)
    home_rank = 38

    def load(self, folder: Path, loader: Loader) -> list[Opportunity]:
        if not loader.present(folder / FILE):
            return []
        found = loader.yaml(folder / FILE, OpportunityList, empty={})
        return list(found.opportunities) if found else []

    def check(self, e: Engagement, part: list[Opportunity], today: dt.date
              ) -> Iterator[Problem]:
        file = f"{e.source}/{FILE}"
        items = {i.id: i for i in _roadmap_items(e)}
        ids = Counter(o.id for o in part)
        for i, o in enumerate(part):
            at = ("opportunities", i)
            if ids[o.id] > 1:
                yield Problem(file, e.line(FILE, (*at, "id")), f"duplicate opportunity id {o.id}")
            for j, item_id in enumerate(o.roadmap):
                where = e.line(FILE, (*at, "roadmap", j))
                item = items.get(item_id)
                if item is None:
                    yield Problem(file, where, f"{o.id}: unknown roadmap item {item_id}"
                                  f"{did_you_mean_id(item_id, items)}")
                elif item.internal and not o.internal:
                    yield Problem(file, where, f"{o.id}: delivered by internal roadmap item "
                                  f"{item_id}, which the portal never shows")

    def yaml_markdown(self, part: list[Opportunity]) -> Iterator[YamlText]:
        for i, o in enumerate(part):
            yield YamlText(FILE, ("opportunities", i, "description"), o.description,
                           not o.internal)
            yield YamlText(FILE, ("opportunities", i, "governance"), o.governance, not o.internal)

    def markers(self, part: list[Opportunity]) -> Markers:
        found = Markers()
        for o in part:
            found.strings += [o.title, o.process or "", o.owner or ""]
            found.strings += [*sentences(o.description), *sentences(o.governance)]
            found.people.append(o.owner or "")
            found.titles += [o.title, o.process or ""]
        return found

    def schema(self) -> dict[str, type[BaseModel]]:
        return {"opportunities": OpportunityList}

    def item_refs(self, view: OpportunitiesView) -> Iterator[tuple[str, str, Any]]:
        for o in view.opportunities:
            for item_id in o.roadmap:
                yield "roadmap.yml", item_id, o

    def linked_items(self, part: list[Opportunity]) -> dict[str, Any]:
        return {o.id: o for o in part or []}

    def page(self, view: OpportunitiesView) -> str | None:
        return PAGE if view.opportunities else None

    def traces(self, view: OpportunitiesView) -> Iterator[Trace]:
        for o in view.opportunities:
            yield Trace(self.name, o.id, o.title, o.status, item=o)

    def view(self, e: Engagement, part: list[Opportunity], today: dt.date
             ) -> OpportunitiesView:
        return opportunities_view(list(part or []), _roadmap_items(e))

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        return (PAGE, anchor(obj.id)) if isinstance(obj, Opportunity) else None

    def pages(self, view: OpportunitiesView, writer: PageWriter) -> None:
        if not view.opportunities:
            return
        writer.page = PAGE
        writer.write(PAGE, "opportunities/page.md.j2", "AI opportunities", hide=("toc",),
                     opps=view, matrix=Markup(matrix_svg(view.opportunities)))

    def nav(self, view: OpportunitiesView, pages: dict[Path, str]) -> list[Any]:
        return [{"AI opportunities": PAGE}] if view.opportunities else []

    def home_card(self, view: OpportunitiesView, writer: PageWriter) -> str | None:
        if not view.opportunities:
            return None
        return writer.render_template("opportunities/home_card.md.j2", opps=view)
