"""The vendor register as a section: vendors.yml → register page, scorecards, SLA trends,
notice deadlines on the page and the home page."""

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
from portico.portal.trend import figure
from portico.sections.base import Markers, Section, Trace, YamlText, sentences
from portico.sections.decisions.refs import check_decision_refs
from portico.sections.vendors.chart import scorecard_svg, sla_chart
from portico.sections.vendors.model import Vendor, VendorRegister
from portico.sections.vendors.view import VendorsView, vendors_view

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter
    from portico.portal.view import PortalView

FILE = "vendors.yml"
PAGE = "vendors/index.md"


class VendorsSection(Section):
    """vendors.yml: the register, each vendor's scorecard, SLAs, contract and exit plan."""

    name = "vendors"
    title = "Vendors"
    noun = "Vendor"
    sources = (FILE,)
    home_rank = 35
    warnings = {
        "vendor-notice": "A vendor's notice deadline (`contract.end` less `notice_days`) falls "
                         "within the next 60 days, or has passed on a contract that renews by "
                         "itself.",
    }

    def load(self, folder: Path, loader: Loader) -> VendorRegister:
        if not loader.present(folder / FILE):
            return VendorRegister()
        return loader.yaml(folder / FILE, VendorRegister, empty={}) or VendorRegister()

    def check(self, e: Engagement, part: VendorRegister, today: dt.date) -> Iterator[Problem]:
        file = f"{e.source}/{FILE}"
        criteria = Counter(c.id for c in part.criteria)
        for i, criterion in enumerate(part.criteria):
            if criteria[criterion.id] > 1:
                yield Problem(file, e.line(FILE, ("criteria", i, "id")),
                              f"duplicate criterion id {criterion.id}")
        risks = {r.id: r for r in e.parts.get("risks") or []}
        ids = Counter(v.id for v in part.vendors)
        for i, vendor in enumerate(part.vendors):
            at = ("vendors", i)
            if ids[vendor.id] > 1:
                yield Problem(file, e.line(FILE, (*at, "id")), f"duplicate vendor id {vendor.id}")
            for key in vendor.scores:
                if key not in criteria:
                    known = ", ".join(criteria) or "none: add `criteria:` to the file"
                    yield Problem(file, e.line(FILE, (*at, "scores", key)),
                                  f"{vendor.id}: score for unknown criterion {key!r} "
                                  f"(criteria: {known})")
            contract = vendor.contract
            if contract and contract.start and contract.end and contract.end < contract.start:
                yield Problem(file, e.line(FILE, (*at, "contract", "end")),
                              f"{vendor.id}: contract end {contract.end} is before its start "
                              f"{contract.start}")
            for j, risk_id in enumerate(vendor.risks):
                where = e.line(FILE, (*at, "risks", j))
                risk = risks.get(risk_id)
                if risk is None:
                    yield Problem(file, where, f"{vendor.id}: unknown risk {risk_id}"
                                  f"{did_you_mean_id(risk_id, risks)}")
                elif risk.internal and not vendor.internal:
                    yield Problem(file, where, f"{vendor.id}: links to internal risk {risk_id}, "
                                  "which the portal never shows")
            yield from check_decision_refs(e, FILE, at, vendor.decisions, vendor.internal)
            flag = vendor.notice_flag(today)
            if flag and not vendor.internal and contract and contract.notice_deadline:
                when = ("passed, and the contract renews by itself" if flag == "passed"
                        else f"in {(contract.notice_deadline - today).days} days")
                yield Problem(file, e.line(FILE, (*at, "contract")),
                              f"{vendor.id}: notice deadline {contract.notice_deadline} "
                              f"{when}", "warning", kind="vendor-notice")

    def yaml_markdown(self, part: VendorRegister) -> Iterator[YamlText]:
        for i, v in enumerate(part.vendors):
            shown = not v.internal
            if v.contract:
                yield YamlText(FILE, ("vendors", i, "contract", "terms"), v.contract.terms, shown)
            yield YamlText(FILE, ("vendors", i, "exit"), v.exit, shown)
            yield YamlText(FILE, ("vendors", i, "notes"), v.notes, shown)

    def markers(self, part: VendorRegister) -> Markers:
        found = Markers()
        found.strings += [c.name for c in part.criteria]
        for v in part.vendors:
            found.strings += [v.name, v.category or "", v.owner or ""]
            found.strings += [s.metric for s in v.sla]
            for text in (v.contract.terms if v.contract else None, v.exit, v.notes):
                found.strings += list(sentences(text))
            found.people.append(v.owner or "")
            found.titles += [v.name, v.category or ""]
        return found

    def schema(self) -> dict[str, type[BaseModel]]:
        return {"vendors": VendorRegister}

    def item_refs(self, view: VendorsView) -> Iterator[tuple[str, str, Any]]:
        for vendor in view.vendors:
            for risk_id in vendor.risks:
                yield "risks.yml", risk_id, vendor

    def linked_items(self, part: VendorRegister) -> dict[str, Any]:
        return {v.id: v for v in part.vendors}

    def page(self, view: VendorsView) -> str | None:
        return PAGE if view.vendors else None

    def traces(self, view: VendorsView) -> Iterator[Trace]:
        for v in view.vendors:
            yield Trace(self.name, v.id, v.name, v.status, item=v)

    def view(self, e: Engagement, part: VendorRegister, today: dt.date) -> VendorsView:
        return vendors_view(list(part.criteria), list(part.vendors),
                            list(e.parts.get("risks") or []), today)

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        return (PAGE, anchor(obj.id)) if isinstance(obj, Vendor) else None

    def pages(self, view: VendorsView, writer: PageWriter) -> None:
        if not view.vendors:
            return
        writer.page = PAGE
        charts = {
            v.id: {
                "scorecard": Markup(scorecard_svg(v, view.criteria))
                if any(c.id in v.scores for c in view.criteria) else None,
                "slas": [(s, sla_chart(s, writer.view.formats) if s.values else None)
                         for s in v.sla],
            }
            for v in view.vendors
        }
        writer.write(PAGE, "vendors/page.md.j2", "Vendors", hide=("toc",), vendors=view,
                     charts=charts, figure=figure)

    def nav(self, view: VendorsView, pages: dict[Path, str]) -> list[Any]:
        return [{"Vendors": PAGE}] if view.vendors else []

    def home_card(self, view: VendorsView, writer: PageWriter) -> str | None:
        if not view.vendors:
            return None
        return writer.render_template("vendors/home_card.md.j2", vendors=view)

    def home_block(self, view: VendorsView, writer: PageWriter) -> str | None:
        if not view.flagged:
            return None
        return writer.render_template("vendors/home_block.md.j2", vendors=view)

    def backlinks(self, view: VendorsView, number: str, portal: PortalView
                  ) -> tuple[str, list[Any]]:
        return "Vendors", [v for v in view.vendors if number in v.decisions]
