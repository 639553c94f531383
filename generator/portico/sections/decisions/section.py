"""The decision log as a section: decisions/*.md → the log, a page per decision, home card."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from portico.content.errors import Problem
from portico.content.model import Document, Engagement, did_you_mean_id
from portico.portal.markdown import engine_text, strip_h1
from portico.sections.base import NAV_LIMIT, Markers, Section, Trace
from portico.sections.decisions.evaluation import tco_svg
from portico.sections.decisions.load import load_decisions
from portico.sections.decisions.model import Decision
from portico.sections.decisions.new import PLACEHOLDERS
from portico.sections.decisions.refs import find_decision
from portico.sections.decisions.view import DecisionsView, decisions_view

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter

INDEX = "decisions/index.md"
SUCCESS_MARK = "/success/"


def success_trace_id(number: str, kpi: str) -> str:
    """The trace id of decision `number`'s success test on `kpi`: `0006/success/K-QUOTE`."""
    return f"{number}{SUCCESS_MARK}{kpi}"


def success_trace_kpi(trace_id: str) -> str | None:
    """The KPI id of a success test's trace id; None for a decision's own trace."""
    return trace_id.split(SUCCESS_MARK, 1)[1] if SUCCESS_MARK in trace_id else None


def _without_lines(body: str, offsets: tuple[int, ...]) -> str:
    """The body without the metadata lines (Nygard's `Date:`, MADR 2's list) that the
    page's fact table shows."""
    if not offsets:
        return body
    lines = body.split("\n")
    hidden = set(offsets)
    # with the blank line after each, so no gap is left where they stood
    hidden |= {i + 1 for i in offsets if i + 1 < len(lines) and not lines[i + 1].strip()}
    return "\n".join(line for i, line in enumerate(lines) if i not in hidden)


def _rows(section: Section, view: Any, d: Decision, portal: Any,
          traced: dict[str, dict[str, Any]]) -> tuple[str, list[Any]]:
    """A row of the decision's page for one section: the items naming the decision, then
    the client-visible items its own front matter names (`roadmap: [R3]`). `traced`: each
    section's items by id, filled as sections are asked (once per render, not per page)."""
    label, items = section.backlinks(view, d.number, portal)
    key = "decisions" if section.name == "decisions" else next(
        (name.removesuffix(".yml") for name in section.sources), "")
    named = d.references.get(key, ())
    if named:
        if section.name not in traced:
            traced[section.name] = {t.id: t.item for t in section.traces(view)}
        shown = traced[section.name]
        items = [*items, *(shown[ref] for ref in named if ref in shown
                           and shown[ref] is not d and shown[ref] not in items)]
    return label, items


def _in_a_sentence(noun: str) -> str:
    """`Roadmap item` → "roadmap item"; `KPI`, `AI opportunity` stay as written."""
    first = noun.split(" ", 1)[0]
    return noun if first.isupper() else noun[:1].lower() + noun[1:]


def _check_references(e: Engagement, d: Decision, part: list[Decision]) -> Iterator[Problem]:
    """Each id its front matter names (`roadmap: [R3]`) must be an item of that section's
    file, and client-visible when the decision is."""
    from portico.sections import registered  # the registry imports this module

    for key, refs in d.references.items():
        if key == "decisions":
            noun, known = "decision", {o.number: o for o in part}
        else:
            section = next((s for s in registered() if f"{key}.yml" in s.sources), None)
            if section is None:
                continue
            found = e.parts.get(section.name)
            noun = _in_a_sentence(section.noun)
            known = section.linked_items(found) if found is not None else {}
        for j, ref in enumerate(refs):
            line = d.lines.get((key, j), d.lines.get((key,), 1))
            target = known.get(ref)
            if target is None:
                yield Problem(d.doc.source, line, f"unknown {noun} {ref}"
                              f"{did_you_mean_id(ref, known)}")
            elif getattr(target, "internal", False) and not d.internal:
                yield Problem(d.doc.source, line, f"{noun} {ref} is internal; a client-visible "
                              "decision cannot refer to it")


def _check_success(e: Engagement, d: Decision) -> Iterator[Problem]:
    """Each success test names a KPI of kpis.yml, client-visible when the decision is."""
    kpis = {k.id: k for k in e.parts.get("kpis") or []}
    for i, criterion in enumerate(d.success):
        line = d.lines.get(("success", i, "kpi"), d.lines.get(("success", i), 1))
        kpi = kpis.get(criterion.kpi)
        if kpi is None:
            yield Problem(d.doc.source, line, f"success test: unknown KPI {criterion.kpi}"
                          f"{did_you_mean_id(criterion.kpi, kpis)}")
        elif kpi.internal and not d.internal:
            yield Problem(d.doc.source, line, f"success test: KPI {criterion.kpi} is internal; "
                          "a client-visible decision cannot be judged by it")


class DecisionsSection(Section):
    """decisions/*.md: the log, one page per decision with who cites it, the home card."""

    name = "decisions"
    title = "Decisions"
    noun = "Decision"
    placeholders = PLACEHOLDERS
    home_rank = 20
    unlisted = ("/decisions/*.md",)
    warnings = {
        "decision-status-unknown": "A decision status outside MADR's words (kept as written).",
        "decision-status-missing": "A decision with no status found (shown as proposed).",
        "decision-heading-missing": "A decision with no `# ` heading (titled from its file "
                                    "name).",
        "decision-skipped": "A `.md` file in `decisions/` that is skipped: its name follows no "
                            "decision convention, or its front matter says `decision: false` "
                            "(index.md, README.md, template.md and adr-template.md are "
                            "skipped silently).",
        "decision-subfolder": "Decisions in a subfolder of `decisions/` (not read: one log "
                              "per client).",
        "decision-date-unreadable": "A decision's date bullet that is not a date written "
                                    "YYYY-MM-DD (the file name's date is shown, if it has one).",
        "decision-key-near-miss": "A decision front matter key one small edit from a known one "
                                  "(it is ignored as written; other unknown keys are ignored "
                                  "silently).",
    }

    def load(self, folder: Path, loader: Loader) -> list[Decision]:
        return load_decisions(folder / "decisions", loader)

    def check(self, e: Engagement, part: list[Decision], today: dt.date) -> Iterator[Problem]:
        numbers = Counter(d.number for d in part)
        for d in part:
            if numbers[d.number] > 1:
                others = [o.doc.source for o in part if o.number == d.number and o is not d]
                yield Problem(d.doc.source, 1, f"duplicate decision number {d.number} "
                              f"(also {', '.join(others)})")
            for ref in (*d.supersedes, *d.superseded_by):
                target = find_decision(e, ref)
                if ref == d.number:
                    yield Problem(d.doc.source, d.status_line, f"decision {ref} supersedes itself")
                elif target is None:
                    yield Problem(d.doc.source, d.status_line,
                                  f"supersession refers to decision {ref}, which does not exist")
                elif target.internal and not d.internal:
                    yield Problem(d.doc.source, d.status_line,
                                  f"supersession refers to internal decision {ref}")
            yield from _check_references(e, d, part)
            yield from _check_success(e, d)

    def documents(self, part: list[Decision]) -> Iterator[tuple[Document, bool]]:
        for d in part:
            yield d.doc, not d.internal

    def markers(self, part: list[Decision]) -> Markers:
        people = [name for d in part for name in (*d.decision_makers, *d.consulted, *d.informed)]
        return Markers(strings=list(people), people=people)

    def traces(self, view: DecisionsView) -> Iterator[Trace]:
        for d in view.shown:
            yield Trace(self.name, d.number, d.title, d.status, item=d)
            # Each success test is followed on its own: "0006 ...: success test on the way →
            # met" in What's new. Its id is the decision's number and the KPI's id.
            for verdict in view.verdicts.get(d.number, ()):
                yield Trace(self.name, success_trace_id(d.number, verdict.criterion.kpi),
                            d.title, verdict.state, item=d)

    def view(self, e: Engagement, part: list[Decision], today: dt.date) -> DecisionsView:
        kpis = {k.id: k for k in e.parts.get("kpis") or [] if not k.internal and k.values}
        return decisions_view(part, kpis, today)

    def allocate(self, view: DecisionsView, pages: dict[Path, str]) -> None:
        for d in view.shown:
            pages[d.doc.path] = f"decisions/{d.number}.md"

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        return (pages[obj.doc.path], "") if isinstance(obj, Decision) else None

    def pages(self, view: DecisionsView, writer: PageWriter) -> None:
        if not view.shown:
            return
        from portico.sections import registered  # the registry imports this module

        portal = writer.view
        ranked = sorted((s for s in registered() if portal.parts.get(s.name) is not None),
                        key=lambda s: s.home_rank)
        writer.write(INDEX, "decisions/index.md.j2", "Decisions", decisions=view)
        traced: dict[str, dict[str, Any]] = {}
        for d in view.shown:
            body = strip_h1(_without_lines(d.doc.body, d.metadata_lines))
            backlinks = [_rows(s, portal.parts[s.name], d, portal, traced) for s in ranked]
            tco = tco_svg(d.evaluation, portal.formats.money) if d.evaluation else None
            # A decision awaiting the client takes an answer (when the practice has a reply
            # address); one already decided says who decided it, and when, instead.
            answer = writer.answers.decision(d.number, d.title) \
                if writer.answers and d.status == "proposed" else None
            writer.write_document(d.doc, "decisions/page.md.j2", f"{d.number} {d.title}",
                                  body=body, d=d, decisions=view, backlinks=backlinks,
                                  tco=Markup(tco) if tco else None, answer=answer)

    def nav(self, view: DecisionsView, pages: dict[Path, str]) -> list[Any]:
        if not view.shown:
            return []
        # Titled here, as every nav entry is: a partial build reads only the changed pages,
        # and their footers name their neighbours by the title the nav gives (engine.partial).
        entries: list[Any] = [{"Decisions": INDEX}]
        if len(view.shown) <= NAV_LIMIT:
            entries += [{engine_text(f"{d.number} {d.title}"): pages[d.doc.path]}
                        for d in view.shown]
        return [{"Decisions": entries}]

    def home_card(self, view: DecisionsView, writer: PageWriter) -> str | None:
        if not view.shown:
            return None
        return writer.render_template("decisions/home_card.md.j2", decisions=view)

    def home_block(self, view: DecisionsView, writer: PageWriter) -> str | None:
        if not view.proposed:
            return None
        return writer.render_template("decisions/home_block.md.j2", decisions=view)
