"""What the client sees: each section's view of the engagement, internal items removed.

Templates receive a `PortalView` (and their section's part of it); they never filter, sort
or score anything themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from portico.content import model as m
from portico.sections import registered


@dataclass
class PortalView:
    """The client-visible engagement. Internal items are gone before anything is rendered."""

    engagement: m.Engagement
    today: dt.date
    parts: dict[str, Any] = field(default_factory=dict)  # each section's view, by name

    @property
    def client(self) -> m.Client:
        """client.yml."""
        return self.engagement.client


def portal_view(e: m.Engagement, today: dt.date) -> PortalView:
    """The client-visible view of an engagement: every section's view, in registry order."""
    view = PortalView(engagement=e, today=today)
    for section in registered():
        view.parts[section.name] = section.view(e, e.parts.get(section.name), today)
    return view
