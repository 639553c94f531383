"""The assessment as a section: its pages, the maturity scorecard, the home block."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portico.content.model import Document, Engagement
from portico.portal.markdown import engine_text
from portico.sections.assessment.chart import scorecard_html
from portico.sections.assessment.model import Assessment, AssessmentMeta, ScoreArea
from portico.sections.base import Markers, Section, Trace

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter


SCORECARD_PAGE = "assessment/index.md"


def assessment_of(e: Engagement) -> Assessment | None:
    """The client's assessment as loaded (internal pages included), if it has one."""
    assessment: Assessment | None = e.parts.get("assessment")
    return assessment


@dataclass(frozen=True)
class Rescored:
    """An area whose score moved in git: its first score and when, its score now and since
    when (the day of the commit that last changed it, or today for uncommitted files)."""

    first: int
    first_day: dt.date
    latest: int
    latest_day: dt.date


@dataclass
class AssessmentView:
    """The client-visible assessment pages and the scorecard."""

    pages: list[Document]
    scores: list[ScoreArea]  # empty when the first page (which holds them) is internal
    rescored: dict[str, Rescored] = field(default_factory=dict)  # by area, moved ones only

    @property
    def first_scores(self) -> dict[str, int]:
        """Area → its first score, for the areas re-scored since (the chart's circle)."""
        return {area: r.first for area, r in self.rescored.items()}


def _rescored(e: Engagement, scores: list[ScoreArea], today: dt.date) -> dict[str, Rescored]:
    """Each area's first score → its latest, from the scorecard as it stood at each commit
    (portal.changes: only the area's current run, so a renamed area starts afresh)."""
    from portico.portal.changes import series

    found: dict[str, Rescored] = {}
    if e.history is None or not e.history.revisions:
        return found
    for area in scores:
        points = [(r.day, t.score) for r, t in series(e.history, ("assessment", area.area))
                  if t.score is not None]
        if not points:
            continue
        if points[-1][1] != area.score:
            points.append((today, int(area.score)))
        if len(points) > 1:
            found[area.area] = Rescored(points[0][1], points[0][0], points[-1][1],
                                        points[-1][0])
    return found


def _load_assessment(folder: Path, c: Loader) -> Assessment | None:
    if (folder / "assessment").is_dir():
        files = c.markdown_files(folder / "assessment")
        files.sort(key=lambda p: (p.name != "index.md", p.as_posix()))
    elif c.present(folder / "assessment.md"):
        files = [folder / "assessment.md"]
    else:
        return None
    pages: list[Document] = []
    scores: tuple[ScoreArea, ...] = ()
    for path in files:
        parsed = c.markdown(path, AssessmentMeta)
        if parsed is None:
            continue
        meta, body, body_line, _ = parsed
        fallback = "Technology assessment" if not pages else None
        doc = c.document(path, meta.title, body, body_line, meta.internal, meta=meta,
                         fallback=fallback)
        if doc is None:
            continue
        if meta.scores:
            if pages:
                c.add(path, 2, "scores belong in the first assessment page (index.md)")
            scores = tuple(meta.scores)
        pages.append(doc)
    return Assessment(tuple(pages), scores) if pages else None


class AssessmentSection(Section):
    """assessment.md or assessment/*.md: the pages, the scorecard, "maturity at a glance"."""

    name = "assessment"
    title = "Assessment"
    noun = "Maturity score"
    home_rank = 40

    def load(self, folder: Path, loader: Loader) -> Assessment | None:
        return _load_assessment(folder, loader)

    def documents(self, part: Assessment | None) -> Iterator[tuple[Document, bool]]:
        for doc in part.pages if part else ():
            yield doc, not doc.internal

    def markers(self, part: Assessment | None) -> Markers:
        if part is None:
            return Markers()
        areas = [score.area for score in part.scores]
        notes = [score.note or "" for score in part.scores]
        return Markers(strings=[*(s for pair in zip(areas, notes, strict=True) for s in pair)],
                       titles=areas)

    def view(self, e: Engagement, part: Assessment | None, today: dt.date) -> AssessmentView:
        pages = [p for p in (part.pages if part else ()) if not p.internal]
        # The scorecard lives in the first page: an internal first page keeps it internal.
        first = part.pages[0] if part and part.pages else None
        scores = list(part.scores) if part and first and not first.internal else []
        return AssessmentView(pages, scores, _rescored(e, scores, today))

    def traces(self, view: AssessmentView) -> Iterator[Trace]:
        # Each area's score at each commit: What's new tells a re-score, the scorecard its
        # first score → its latest, a board pack the move since the previous pack.
        for area in view.scores:
            yield Trace(self.name, area.area, area.area, score=int(area.score), item=area)

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        return (SCORECARD_PAGE, "maturity-scorecard") if isinstance(obj, ScoreArea) else None

    def allocate(self, view: AssessmentView, pages: dict[Path, str]) -> None:
        for i, doc in enumerate(view.pages):
            pages[doc.path] = f"assessment/{'index' if i == 0 else i + 1}.md"

    def pages(self, view: AssessmentView, writer: PageWriter) -> None:
        for i, doc in enumerate(view.pages):
            scorecard = scorecard_html(view.scores, view.first_scores) \
                if i == 0 and view.scores else None
            writer.write_document(doc, "assessment/page.md.j2", doc.title, doc=doc,
                                  scorecard=scorecard, assessment=view)

    def nav(self, view: AssessmentView, pages: dict[Path, str]) -> list[Any]:
        if not view.pages:
            return []
        if len(view.pages) == 1:
            return [{"Assessment": "assessment/index.md"}]
        return [{"Assessment": [{engine_text(d.title): pages[d.path]} for d in view.pages]}]

    def home_block(self, view: AssessmentView, writer: PageWriter) -> str | None:
        if not view.scores:
            return None
        chart = scorecard_html(view.scores, view.first_scores)
        return writer.render_template("assessment/home_block.md.j2", chart=chart)
