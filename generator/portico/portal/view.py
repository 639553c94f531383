"""What the client sees: the engagement without internal items, sorted and counted.

Templates receive a `PortalView`; they never filter, sort or score anything themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from portico.content import model as m
from portico.sections import SECTIONS

# (row label, items) naming a decision, one row per section: "Risks", "Roadmap" ...
Backlinks = list[tuple[str, list[Any]]]


@dataclass
class PortalView:
    """The client-visible engagement. Internal items are gone before anything is rendered."""

    engagement: m.Engagement
    today: dt.date
    decisions: list[m.Decision]
    notes: list[m.Note]
    items: list[m.RoadmapItem]
    milestones: list[m.Milestone]
    workstreams: list[str]
    assessment: list[m.Document]
    scores: list[m.ScoreArea]
    pages: list[m.Page]
    backlinks: dict[str, Backlinks] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)  # each section's view, by name

    @property
    def client(self) -> m.Client:
        """client.yml."""
        return self.engagement.client

    @property
    def proposed(self) -> list[m.Decision]:
        """Decisions awaiting a decision."""
        return [d for d in self.decisions if d.status == "proposed"]

    @property
    def latest_notes(self) -> list[m.Note]:
        """The three newest notes."""
        return self.notes[:3]

    @property
    def dated_items(self) -> list[m.RoadmapItem]:
        """Items drawn on the timeline."""
        return [i for i in self.items if i.dated]

    def horizon(self, name: str) -> list[m.RoadmapItem]:
        """Undated items in the now / next / later column (undated without horizon: later)."""
        return [i for i in self.items if not i.dated and (i.horizon or "later") == name]

    def decision_statuses(self) -> list[tuple[str, int]]:
        """Decisions per status: MADR's words first, then any others as written."""
        counts = Counter(d.status for d in self.decisions)
        known = [(s, counts[s]) for s in m.DECISION_STATUSES if counts[s]]
        return known + sorted((s, n) for s, n in counts.items() if s not in m.DECISION_STATUSES)

    def item_statuses(self) -> list[tuple[str, int]]:
        """Roadmap items per status, in the content model's order."""
        counts = Counter(i.status for i in self.items)
        return [(s, counts[s]) for s in m.ITEM_STATUSES if counts[s]]

    @property
    def progress(self) -> int:
        """Percent of roadmap items done, dropped items not counted."""
        live = [i for i in self.items if i.status != "dropped"]
        done = [i for i in live if i.status == "done"]
        return round(100 * len(done) / len(live)) if live else 0


def portal_view(e: m.Engagement, today: dt.date) -> PortalView:
    """The client-visible view of an engagement: internal items removed, registers sorted."""
    roadmap = e.roadmap or m.Roadmap()
    items = [i for i in roadmap.items if not i.internal]
    decisions = sorted((d for d in e.decisions if not d.internal), key=lambda d: d.number)
    workstreams = list(roadmap.workstreams)
    for item in items:
        if item.workstream and item.workstream not in workstreams:
            workstreams.append(item.workstream)
    assessment = [p for p in (e.assessment.pages if e.assessment else ()) if not p.internal]
    # The scorecard lives in the first assessment page: an internal first page keeps it internal.
    first = e.assessment.pages[0] if e.assessment and e.assessment.pages else None
    scores = list(e.assessment.scores) if e.assessment and first and not first.internal else []
    view = PortalView(
        engagement=e,
        today=today,
        decisions=decisions,
        notes=[n for n in e.notes if not n.doc.internal],
        items=items,
        milestones=sorted((ms for ms in roadmap.milestones if not ms.internal),
                          key=lambda ms: ms.date),
        workstreams=workstreams,
        assessment=assessment,
        scores=scores,
        pages=[p for p in e.pages if not p.doc.internal],
    )
    for section in SECTIONS:
        view.parts[section.name] = section.view(e, e.parts.get(section.name), today)
    ranked = sorted(SECTIONS, key=lambda s: s.home_rank)
    for d in decisions:
        rows = [s.backlinks(view.parts[s.name], d.number, view) for s in ranked]
        rows.append(("Roadmap", [i for i in items if d.number in i.decisions]))
        view.backlinks[d.number] = rows
    return view
