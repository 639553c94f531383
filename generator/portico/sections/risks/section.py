"""The risk register as a section: risks.yml → register page, heat map, home card."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pydantic import BaseModel

from portico.content.errors import Problem
from portico.content.model import Engagement
from portico.portal.direction import direction_of
from portico.portal.markdown import anchor
from portico.sections.base import Markers, Section, Trace, YamlText, own_pages, sentences
from portico.sections.base import item_key as base_item_key
from portico.sections.decisions.refs import check_decision_refs
from portico.sections.risks.chart import heatmap_chart, score_sparkline
from portico.sections.risks.model import Risk, RiskRegister
from portico.sections.risks.view import RisksView, measured_trend, risks_view

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter
    from portico.portal.view import PortalView

REVIEW_SCORE = 10  # an open risk this high needs a mitigation
FILE = "risks.yml"
PAGE = "risks/index.md"
ROWS_PER_PAGE = 250
"""A large register's summary rows per page (open risks by score, then closed ones): the
first page holds the heat map and the first rows, `risks/page-2.md` … the rest, so no page
grows with the register (250 rows weigh about 110 kB)."""


def item_key(risk_id: str) -> Path:
    """Where `allocate` records a risk's own page (sections.base.item_key)."""
    return base_item_key(FILE, risk_id)


def risks_of(e: Engagement) -> list[Risk]:
    """The client's risks as loaded (internal ones included)."""
    risks: list[Risk] = e.parts.get("risks") or []
    return risks


class RisksSection(Section):
    """risks.yml: the register, its heat map, the home card and the top five."""

    name = "risks"
    title = "Risks"
    noun = "Risk"
    sources = (FILE,)
    home_rank = 10
    warnings = {
        "risk-review-overdue": "An open or monitoring risk's `review` date is in the past.",
        "risk-unmitigated": "An `open` risk scores 10 or more and has no `mitigation`.",
        "risk-trend-contradicted": "An open risk's written `trend` that its score history in "
                                   "git contradicts (the portal shows the measured one).",
    }

    def load(self, folder: Path, loader: Loader) -> list[Risk]:
        if not loader.present(folder / FILE):
            return []
        found = loader.yaml(folder / FILE, RiskRegister, empty={})
        return list(found.risks) if found else []

    def check(self, e: Engagement, part: list[Risk], today: dt.date) -> Iterator[Problem]:
        file = f"{e.source}/{FILE}"
        counts = Counter(r.id for r in part)
        for i, risk in enumerate(part):
            at = ("risks", i)
            if counts[risk.id] > 1:
                yield Problem(file, e.line(FILE, (*at, "id")), f"duplicate risk id {risk.id}")
            if risk.status != "closed" and not risk.owner:
                yield Problem(file, e.line(FILE, at),
                              f"{risk.id}: owner is required unless status is closed")
            if (risk.residual_likelihood is None) != (risk.residual_impact is None):
                yield Problem(file, e.line(FILE, at), f"{risk.id}: give both "
                              "residual_likelihood and residual_impact, or neither")
            yield from check_decision_refs(e, FILE, at, risk.decisions, risk.internal)
            if risk.is_open and risk.review and risk.review < today:
                yield Problem(file, e.line(FILE, (*at, "review")),
                              f"{risk.id}: review date {risk.review} is in the past", "warning",
                              kind="risk-review-overdue")
            yield from self._check_trend(e, risk, at, today)
            if risk.status == "open" and risk.score >= REVIEW_SCORE and not risk.mitigation:
                yield Problem(file, e.line(FILE, at), f"{risk.id}: open risk scores "
                              f"{risk.score} ({risk.band}) and has no mitigation", "warning",
                              kind="risk-unmitigated")

    def _check_trend(self, e: Engagement, risk: Risk, at: tuple[str, int],
                     today: dt.date) -> Iterator[Problem]:
        """An author-written trend the score history contradicts (history read by the build,
        or by `check` when the repository has one)."""
        if e.history is None or risk.trend is None or risk.internal or not risk.is_open:
            return
        now = Trace(self.name, risk.id, risk.title, risk.status, risk.score)
        scores = score_series(e.history, now)
        measured = measured_trend(scores)
        found = direction_of(score_points(e.history, now, today))
        if measured is not None and measured != risk.trend and found is not None:
            since = found.since.strftime("%b %Y")
            told = {"rising": f"rose {found.story} since {since}",
                    "falling": f"fell {found.story} since {since}",
                    "steady": f"has stayed at {found.story} since {since}"}[found.word]
            yield Problem(f"{e.source}/{FILE}", e.line(FILE, (*at, "trend")),
                          f"{risk.id}: trend says {risk.trend}, but its score {told}; the "
                          f"portal shows {measured}: remove `trend:` or correct it", "warning",
                          kind="risk-trend-contradicted")

    def yaml_markdown(self, part: list[Risk]) -> Iterator[YamlText]:
        for i, risk in enumerate(part):
            yield YamlText(FILE, ("risks", i, "description"), risk.description, not risk.internal)
            yield YamlText(FILE, ("risks", i, "mitigation"), risk.mitigation, not risk.internal)

    def markers(self, part: list[Risk]) -> Markers:
        found = Markers()
        for risk in part:
            found.strings += [risk.title, risk.owner or ""]
            found.strings += [*sentences(risk.description), *sentences(risk.mitigation)]
            found.people.append(risk.owner or "")
            found.titles.append(risk.title)
        return found

    def schema(self) -> dict[str, type[BaseModel]]:
        return {"risks": RiskRegister}

    def linked_items(self, part: list[Risk]) -> dict[str, Any]:
        return {r.id: r for r in part or []}

    def page(self, view: RisksView) -> str | None:
        return PAGE if view.open or view.closed else None

    def traces(self, view: RisksView) -> Iterator[Trace]:
        for r in view.listed:
            yield Trace(self.name, r.id, r.title, r.status, r.score, item=r)

    def view(self, e: Engagement, part: list[Risk], today: dt.date) -> RisksView:
        from portico.portal.changes import moved

        view = risks_view(part, today)
        if e.history is not None:
            for r in view.listed:
                now = Trace(self.name, r.id, r.title, r.status, r.score)
                points = moved(e.history, now.key, now, today)
                if points:
                    view.history[r.id] = [(day, t.score or 0) for day, t in points]
                trend = measured_trend(score_series(e.history, now))
                if trend is not None:
                    view.measured[r.id] = trend
                found = direction_of(score_points(e.history, now, today))
                if found is not None:
                    view.directions[r.id] = found
        return view

    def allocate(self, view: RisksView, pages: dict[Path, str]) -> None:
        # Only a large register (REGISTER_LIMIT) has a page per risk: `risks/risk-004.md`,
        # from the id, which `check` keeps unique (a clash after lower-casing, or with a
        # page of the register's own, gets `-2`).
        if not view.paged:
            return
        taken = [Path(page).stem for page in register_pages(view)]
        for risk_id, page in own_pages((r.id for r in view.listed), "risks", taken).items():
            pages[item_key(risk_id)] = page

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        if not isinstance(obj, Risk):
            return None
        own = pages.get(item_key(obj.id))
        return (own, "") if own is not None else (PAGE, anchor(obj.id))

    def pages(self, view: RisksView, writer: PageWriter) -> None:
        if not (view.open or view.closed):
            return
        writer.page = PAGE
        heatmap = heatmap_chart(view.open, link=writer.href, rest="#register").html()
        if not view.paged:
            sparks = {rid: _sparkline(points) for rid, points in view.history.items()}
            writer.write(PAGE, "risks/page.md.j2", "Risks", hide=("toc",), risks=view,
                         heatmap=heatmap, sparks=sparks, rows=view.open,
                         closed_rows=view.closed, pager=[], number=1)
            return
        # A large register: its summary over pages of ROWS_PER_PAGE rows, no sparkline per
        # row (each risk's own page has its own: `pages_aside`).
        chunks = register_chunks(view)
        paths = register_pages(view)
        for number, (path, chunk) in enumerate(zip(paths, chunks, strict=True), start=1):
            writer.page = path
            pager = [(n, Path(other).name) for n, other in enumerate(paths, start=1)]
            title = "Risks" if number == 1 else f"Risks, page {number} of {len(paths)}"
            writer.write(path, "risks/page.md.j2", title, hide=("toc",), risks=view,
                         heatmap=heatmap if number == 1 else None, sparks={},
                         rows=[r for r in chunk if r.is_open],
                         closed_rows=[r for r in chunk if not r.is_open],
                         pager=pager, number=number)

    def pages_aside(self, view: RisksView, writer: PageWriter) -> list[Callable[[], None]]:
        # A page per risk of a large register: most of a large portal's render.
        if not view.paged or not (view.open or view.closed):
            return []
        back = {r.id: path for path, chunk in zip(register_pages(view), register_chunks(view),
                                                  strict=True) for r in chunk}
        pages = writer.tree.pages

        def item(r: Risk) -> Callable[[], None]:
            def write() -> None:
                points = view.history.get(r.id)
                writer.write(pages[item_key(r.id)], "risks/item.md.j2", f"{r.id} {r.title}",
                             hide=("toc",), r=r, risks=view,
                             spark=_sparkline(points) if points else None,
                             back=Markup(f"{Path(back[r.id]).name}#{anchor(r.id)}"))
            return write

        return [item(r) for r in view.listed]

    def unlisted_in(self, view: RisksView | None) -> tuple[str, ...]:
        # A large register's pages per risk are reached from its table, never the nav (a
        # 2,000-entry nav would be carried by every page); a small register adds nothing.
        return ("/risks/*.md",) if view is not None and view.paged else ()

    def nav(self, view: RisksView, pages: dict[Path, str]) -> list[Any]:
        return [{"Risks": PAGE}] if view.open or view.closed else []

    def home_card(self, view: RisksView, writer: PageWriter) -> str | None:
        if not (view.open or view.closed):
            return None
        return writer.render_template("risks/home_card.md.j2", risks=view)

    def home_block(self, view: RisksView, writer: PageWriter) -> str | None:
        if not view.top:
            return None
        return writer.render_template("risks/home_block.md.j2", risks=view)

    def backlinks(self, view: RisksView, number: str, portal: PortalView) -> tuple[str, list[Any]]:
        return "Risks", view.naming(number)


def register_chunks(view: RisksView) -> list[list[Risk]]:
    """A large register's summary rows, page by page: open risks by score, then closed."""
    rows = [*view.open, *view.closed]
    return [rows[i:i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)] or [[]]


def register_pages(view: RisksView) -> list[str]:
    """The docs paths of a large register's summary pages, the first being PAGE."""
    count = len(register_chunks(view))
    return [PAGE, *(f"risks/page-{n}.md" for n in range(2, count + 1))]


LABELLED_SCORES = 8  # a longer history is named by its ends and range, not read out whole


def _sparkline(points: list[tuple[dt.date, int]]) -> Markup:
    scores = [score for _, score in points]
    if len(scores) <= LABELLED_SCORES:
        label = "score history: " + " → ".join(str(score) for score in scores)
    else:
        label = (f"score history, {len(scores)} readings: {scores[0]} → {scores[-1]}, "
                 f"lowest {min(scores)}, highest {max(scores)}")
    return score_sparkline(points, label=label)


def score_series(history: Any, now: Trace) -> list[int]:
    """The risk's score at each commit it was client-visible in, then today's when the
    files being built score it differently (an unchanged file is not a second point)."""
    from portico.portal.changes import scores

    seen = scores(history, now.key)
    return seen if seen and seen[-1] == (now.score or 0) else [*seen, now.score or 0]


def score_points(history: Any, now: Trace, today: dt.date) -> list[tuple[dt.date, float]]:
    """(day, score) at each commit the risk was client-visible in, within its current run,
    then today's when the files being built score it differently."""
    from portico.portal.changes import current_runs, timeline

    start = current_runs(history).get(now.key)
    points: list[tuple[dt.date, float]] = []
    if start is not None:
        points = [(revision.day, float(trace.score or 0))
                  for revision, traces in timeline(history)[start:]
                  if (trace := traces.get(now.key)) is not None]
    if not points or points[-1][1] != (now.score or 0):
        points.append((today, float(now.score or 0)))
    return points
