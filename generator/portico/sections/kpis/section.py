"""The engagement's KPIs as a section: kpis.yml → a page with every KPI's monthly values
against its target, and the ones off target on the home page."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pydantic import BaseModel

from portico.content.errors import Problem
from portico.content.model import Engagement
from portico.portal.locale import Formats
from portico.portal.markdown import anchor
from portico.portal.trend import figure, trend_chart
from portico.sections.base import Markers, Section, Trace, YamlText, sentences
from portico.sections.kpis.model import Kpi, KpiList

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter

FILE = "kpis.yml"
PAGE = "kpis/index.md"


class KpisSection(Section):
    """kpis.yml: each measure's trend against its target; home shows those off target."""

    name = "kpis"
    title = "KPIs"
    noun = "KPI"
    sources = (FILE,)
    home_rank = 25

    def load(self, folder: Path, loader: Loader) -> list[Kpi]:
        if not loader.present(folder / FILE):
            return []
        found = loader.yaml(folder / FILE, KpiList, empty={})
        return list(found.kpis) if found else []

    def check(self, e: Engagement, part: list[Kpi], today: dt.date) -> Iterator[Problem]:
        file = f"{e.source}/{FILE}"
        ids = Counter(k.id for k in part)
        for i, kpi in enumerate(part):
            at = ("kpis", i)
            if ids[kpi.id] > 1:
                yield Problem(file, e.line(FILE, (*at, "id")), f"duplicate KPI id {kpi.id}")
            if kpi.target_by is not None and kpi.target is None:
                yield Problem(file, e.line(FILE, (*at, "target_by")),
                              f"{kpi.id}: target_by needs a target (the value due by then)")
            if not kpi.values:
                yield Problem(file, e.line(FILE, (*at, "values")),
                              f"{kpi.id}: values needs at least one month (YYYY-MM: number)")

    def yaml_markdown(self, part: list[Kpi]) -> Iterator[YamlText]:
        for i, kpi in enumerate(part):
            yield YamlText(FILE, ("kpis", i, "description"), kpi.description, not kpi.internal)

    def markers(self, part: list[Kpi]) -> Markers:
        found = Markers()
        for kpi in part:
            found.strings += [kpi.name, *sentences(kpi.description)]
            found.titles.append(kpi.name)
        return found

    def schema(self) -> dict[str, type[BaseModel]]:
        return {"kpis": KpiList}

    def linked_items(self, part: list[Kpi]) -> dict[str, Any]:
        return {k.id: k for k in part or []}

    def page(self, view: list[Kpi]) -> str | None:
        return PAGE if view else None

    def traces(self, view: list[Kpi]) -> Iterator[Trace]:
        for k in view:
            yield Trace(self.name, k.id, k.name, item=k)

    def view(self, e: Engagement, part: list[Kpi], today: dt.date) -> list[Kpi]:
        return [k for k in part or [] if not k.internal and k.values]

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        return (PAGE, anchor(obj.id)) if isinstance(obj, Kpi) else None

    def pages(self, view: list[Kpi], writer: PageWriter) -> None:
        if not view:
            return
        writer.page = PAGE
        today = writer.view.today
        charts = {k.id: kpi_chart(k, writer.view.formats, today) for k in view}
        writer.write(PAGE, "kpis/page.md.j2", "KPIs", hide=("toc",), kpis=view, charts=charts,
                     figure=figure, status={k.id: k.status(today) for k in view})

    def nav(self, view: list[Kpi], pages: dict[Path, str]) -> list[Any]:
        return [{"KPIs": PAGE}] if view else []

    def home_card(self, view: list[Kpi], writer: PageWriter) -> str | None:
        if not view:
            return None
        off = [k for k in view if k.off_target(writer.view.today)]
        return writer.render_template("kpis/home_card.md.j2", kpis=view, off=off, figure=figure)


def kpi_chart(kpi: Kpi, formats: Formats, today: dt.date) -> Markup:
    """A KPI's trend against its target, as of `today` (a board pack's meeting day)."""
    state = kpi.status(today)
    return trend_chart(kpi.name, kpi.values,
                       target=None if kpi.target is None else float(kpi.target), unit=kpi.unit,
                       better=str(kpi.better), formats=formats, kind="kpi",
                       target_by=kpi.target_by, state=None if state == "not yet due" else state)
