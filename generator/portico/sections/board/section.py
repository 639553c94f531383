"""Board packs as a section: board/*.md → a page (and a PDF) per meeting, the list, home."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from portico.content.errors import Problem
from portico.content.forget import texts
from portico.content.history import Revision
from portico.content.model import Document, Engagement, did_you_mean_id, iso_date
from portico.content.practice import practice_name
from portico.portal.markdown import engine_text
from portico.portal.trend import figure
from portico.sections.base import NAV_LIMIT, Markers, Section, Trace
from portico.sections.board.model import BoardMeta, BoardPack
from portico.sections.board.new import PLACEHOLDERS
from portico.sections.board.view import STATE_SECTIONS, PackView, State, assemble
from portico.sections.kpis.section import kpi_chart

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter

INDEX = "board/index.md"
PDF_NAME = "board-pack.pdf"  # beside each pack's page: board/<date>/board-pack.pdf
_PACK_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})-[^.]+\.md$")


@dataclass
class BoardView:
    """The client-visible packs, newest first, each assembled."""

    today: dt.date
    packs: list[PackView] = field(default_factory=list)
    decisions: dict[str, Any] = field(default_factory=dict)  # number → today's decision

    @property
    def held(self) -> list[PackView]:
        return [p for p in self.packs if p.pack.date <= self.today]

    @property
    def upcoming(self) -> list[PackView]:
        return [p for p in self.packs if p.pack.date > self.today]


def _load_packs(folder: Path, c: Loader) -> list[BoardPack]:
    packs: list[BoardPack] = []
    for path in c.markdown_files(folder):
        match = _PACK_FILE.match(path.name)
        if not match:
            c.add(path, 0, "a board pack's file name is its meeting date and a few words: "
                  "YYYY-MM-DD-words.md (2026-12-10-q4-board.md)")
            continue
        try:
            date = iso_date(match.group(1))
        except ValueError as exc:
            c.add(path, 0, f"the date in the file name {exc}")
            continue
        if date is None:  # the pattern admits only YYYY-MM-DD, which iso_date reads
            continue
        parsed = c.markdown(path, BoardMeta)
        if parsed is None:
            continue
        meta, body, body_line, front = parsed
        doc = c.document(path, meta.title, body, body_line, meta.internal, meta=meta,
                         fallback=f"Board pack {date.isoformat()}")
        if doc is not None:
            packs.append(BoardPack(doc, date, meta.period, tuple(meta.kpis),
                                   tuple(meta.decisions), meta.acknowledged_by,
                                   meta.acknowledged_on, front.lines if front else {}))
    packs.sort(key=lambda p: (p.date, p.doc.source), reverse=True)
    return packs


class BoardSection(Section):
    """board/*.md: the pack for each board meeting, assembled from the engagement then."""

    name = "board"
    title = "Board packs"
    noun = "Board pack"
    placeholders = PLACEHOLDERS
    home_rank = 45
    unlisted = ("/board/*.md",)

    def load(self, folder: Path, loader: Loader) -> list[BoardPack]:
        return _load_packs(folder / "board", loader)

    def check(self, e: Engagement, part: list[BoardPack], today: dt.date) -> Iterator[Problem]:
        kpis = {k.id: k for k in e.parts.get("kpis") or []}
        decisions = {d.number: d for d in e.parts.get("decisions") or []}
        for pack in part:
            for key, known, what in (("kpis", kpis, "KPI"), ("decisions", decisions, "decision")):
                for j, ref in enumerate(getattr(pack, key)):
                    line = pack.lines.get((key, j), pack.lines.get((key,), 1))
                    target = known.get(ref)
                    if target is None:
                        yield Problem(pack.doc.source, line, f"{what} {ref} does not exist"
                                      + (" in kpis.yml" if key == "kpis" else "")
                                      + did_you_mean_id(ref, known))
                    elif target.internal and not pack.internal:
                        yield Problem(pack.doc.source, line, f"{what} {ref} is internal; a "
                                      "client-visible board pack cannot show it")

    def documents(self, part: list[BoardPack]) -> Iterator[tuple[Document, bool]]:
        for pack in part:
            yield pack.doc, not pack.internal

    def markers(self, part: list[BoardPack]) -> Markers:
        people = [p.acknowledged_by for p in part if p.acknowledged_by]
        return Markers(strings=[p.period for p in part if p.period and len(p.period) > 8]
                       + people, people=people)

    def traces(self, view: BoardView) -> Iterator[Trace]:
        for pv in view.packs:  # by file name: two packs may share a meeting day
            yield Trace(self.name, Path(pv.pack.doc.source).stem, pv.pack.doc.title, item=pv)

    def texts(self, item: PackView) -> Iterable[str]:
        return texts(item.pack)  # its own words; the state it was assembled from is traced

    def view(self, e: Engagement, part: list[BoardPack], today: dt.date) -> BoardView:
        from portico.portal.changes import current_traces, known_since

        shown = sorted((p for p in part or [] if not p.internal), key=lambda p: p.date)
        decisions = {d.number: d for d in e.parts.get("decisions") or [] if not d.internal}
        board = BoardView(today, decisions=decisions)
        if not shown:
            return board
        visible = set(current_traces(e, today, without=(self.name, "changes")))
        history = e.history

        def allowed(key: tuple[str, str], revision: Revision | None) -> bool:
            return key in visible and known_since(history, key, revision)

        covers = frozenset(name for name in STATE_SECTIONS if e.shows(name))
        previous: tuple[BoardPack, State] | None = None
        for pack in shown:
            state = _state(e, pack.date, today)
            pv = assemble(pack, state, previous, allowed)
            pv.covers = covers
            board.packs.append(pv)
            previous = (pack, state)
        board.packs.reverse()
        return board

    def allocate(self, view: BoardView, pages: dict[Path, str]) -> None:
        seen: dict[str, int] = {}
        for pv in sorted(view.packs, key=lambda p: (p.pack.date, p.pack.doc.source)):
            day = pv.pack.date.isoformat()
            seen[day] = seen.get(day, 0) + 1
            pages[pv.pack.doc.path] = f"board/{day}{f'-{seen[day]}' if seen[day] > 1 else ''}.md"

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        if isinstance(obj, PackView):
            return pages[obj.pack.doc.path], ""
        return (pages[obj.doc.path], "") if isinstance(obj, BoardPack) else None

    def page(self, view: BoardView) -> str | None:
        return INDEX if view.packs else None

    def pages(self, view: BoardView, writer: PageWriter) -> None:
        if not view.packs:
            return
        writer.page = INDEX
        writer.write(INDEX, "board/index.md.j2", "Board packs", board=view)
        client = writer.view.client.name
        practice = practice_name(writer.practice.root)
        for pv in view.packs:
            # Always asked for: without a printer the pipeline warns that it was left out.
            writer.prints.append((writer.tree.pages[pv.pack.doc.path], PDF_NAME, pv))
            if writer.pdfs:
                pv.pdf = f"{client} board pack {pv.pack.date.isoformat()}.pdf"
            writer.page = writer.tree.pages[pv.pack.doc.path]
            # As the board saw them on the day: a target due after the meeting was not missed.
            charts = {k.id: kpi_chart(k, writer.view.formats, pv.pack.date) for k in pv.kpis}
            evaluations = {d.number: _evaluation(d, writer) for d in pv.decisions
                           if d.evaluation}
            # Until someone acknowledges receipt, the newest pack asks for it (when the
            # practice has a reply address); a pack a newer one has superseded no longer
            # does: months later, "Acknowledge receipt" of it would only be noise.
            answer = writer.answers.pack(pv.pack.date, pv.pack.doc.title) \
                if writer.answers and pv is view.packs[0] and not pv.pack.acknowledged \
                else None
            writer.write_document(pv.pack.doc, "board/page.md.j2", pv.pack.doc.title,
                                  pv=pv, board=view, charts=charts, evaluations=evaluations,
                                  status={k.id: k.status(pv.pack.date) for k in pv.kpis},
                                  figure=figure, pdf_file=PDF_NAME, practice=practice,
                                  answer=answer,
                                  as_of=pv.state.revision.short if pv.state.revision
                                  else writer.commit)

    def nav(self, view: BoardView, pages: dict[Path, str]) -> list[Any]:
        if not view.packs:
            return []
        # Titled here, as every nav entry is: a partial build reads only the changed pages,
        # and their footers name their neighbours by the title the nav gives (engine.partial).
        entries: list[Any] = [{"Board packs": INDEX}]
        if len(view.packs) <= NAV_LIMIT:
            entries += [{engine_text(p.pack.doc.title): pages[p.pack.doc.path]}
                        for p in view.packs]
        return [{"Board packs": entries}]

    def home_card(self, view: BoardView, writer: PageWriter) -> str | None:
        if not view.packs:
            return None
        return writer.render_template("board/home_card.md.j2", board=view)


def _state(e: Engagement, day: dt.date, today: dt.date) -> State:
    """The engagement as it stood at the end of `day`: the last loadable commit on or
    before it; the current files for today or later, or outside git. A past day git holds
    no record of (before the client's first commit) is unrecorded, never today's files."""
    history = e.history
    engagement: Engagement | None = e
    revision = None
    if day < today and history is not None and history.revisions:
        engagement = None
        for candidate in reversed([r for r in history.revisions if r.day <= day]):
            loaded = history.engagement_at(candidate)
            if loaded is not None:
                engagement, revision = loaded, candidate
                break
    from portico.sections import registered

    state = State(engagement, revision, day, as_of=min(day, today))
    if engagement is None:
        return state
    for section in registered():
        if section.name in STATE_SECTIONS and engagement.shows(section.name):
            state.views[section.name] = section.view(
                engagement, engagement.parts.get(section.name), day)
    return state


def _evaluation(decision: Any, writer: PageWriter) -> Markup:
    """The decision's weighted evaluation as its own page shows it, two heading levels down."""
    from portico.sections.decisions.evaluation import tco_svg

    tco = tco_svg(decision.evaluation, writer.view.formats.money)
    text = writer.render_template("decisions/evaluation.md.j2", d=decision,
                                  tco=Markup(tco) if tco else None)
    return Markup(re.sub(r"^(#{2,4}) ", r"\1## ", str(text), flags=re.MULTILINE))
