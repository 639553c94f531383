"""What the client sees: the engagement without internal items, sorted and counted.

Templates receive a `PortalView`; they never filter, sort or score anything themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from portico.content import model as m
from portico.sections import SECTIONS


@dataclass
class PortalView:
    """The client-visible engagement. Internal items are gone before anything is rendered."""

    engagement: m.Engagement
    today: dt.date
    notes: list[m.Note]
    assessment: list[m.Document]
    scores: list[m.ScoreArea]
    pages: list[m.Page]
    parts: dict[str, Any] = field(default_factory=dict)  # each section's view, by name

    @property
    def client(self) -> m.Client:
        """client.yml."""
        return self.engagement.client

    @property
    def latest_notes(self) -> list[m.Note]:
        """The three newest notes."""
        return self.notes[:3]



def portal_view(e: m.Engagement, today: dt.date) -> PortalView:
    """The client-visible view of an engagement: internal items removed, registers sorted."""
    assessment = [p for p in (e.assessment.pages if e.assessment else ()) if not p.internal]
    # The scorecard lives in the first assessment page: an internal first page keeps it internal.
    first = e.assessment.pages[0] if e.assessment and e.assessment.pages else None
    scores = list(e.assessment.scores) if e.assessment and first and not first.internal else []
    view = PortalView(
        engagement=e,
        today=today,
        notes=[n for n in e.notes if not n.doc.internal],
        assessment=assessment,
        scores=scores,
        pages=[p for p in e.pages if not p.doc.internal],
    )
    for section in SECTIONS:
        view.parts[section.name] = section.view(e, e.parts.get(section.name), today)
    return view
