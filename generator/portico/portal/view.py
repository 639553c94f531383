"""What the client sees: each section's view of the engagement, internal items removed.

Templates receive a `PortalView` (and their section's part of it); they never filter, sort
or score anything themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from portico.content import model as m
from portico.portal.locale import DEFAULT_LOCALE, Formats
from portico.sections import registered


@dataclass
class PortalView:
    """The client-visible engagement. Internal items are gone before anything is rendered."""

    engagement: m.Engagement
    today: dt.date
    parts: dict[str, Any] = field(default_factory=dict)  # each section's view, by name
    formats: Formats = field(default_factory=Formats)  # the client's locale


    @property
    def client(self) -> m.Client:
        """client.yml."""
        return self.engagement.client


def portal_view(e: m.Engagement, today: dt.date, locale: str | None = None) -> PortalView:
    """The client-visible view of an engagement: every section's view, in registry order.

    `locale`: the practice's default, used when client.yml names none."""
    formats = Formats(e.client.locale or locale or DEFAULT_LOCALE)
    view = PortalView(engagement=e, today=today, formats=formats)
    for section in registered():
        view.parts[section.name] = section.view(e, e.parts.get(section.name), today) \
            if e.shows(section.name) else None
    return view
