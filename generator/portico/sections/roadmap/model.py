"""roadmap.yml: items on workstream lanes, dated by day or quarter, and milestones."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from portico.content.fields import FIRST_YEAR, LAST_YEAR, in_calendar
from portico.content.model import Audienced, InputModel, IsoDate, choice, iso_date
from portico.sections.decisions.model import DecisionRef

STATUSES = ("planned", "in-progress", "done", "at-risk", "blocked", "dropped")
HORIZONS = ("now", "next", "later")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def _when(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return in_calendar(value.date())
    if isinstance(value, dt.date):
        return in_calendar(value)
    if isinstance(value, str):
        quarter = _QUARTER.match(value.strip())
        if quarter:
            if not FIRST_YEAR <= int(quarter.group(1)) <= LAST_YEAR:
                raise ValueError(f"must be a quarter in the years {FIRST_YEAR}..{LAST_YEAR}, "
                                 f"got {value.strip()!r}")
            return value.strip().upper()
        date = iso_date(value)
        if date is not None:
            return date
    raise ValueError(f"must be a date (YYYY-MM-DD) or a quarter (YYYY-Qn), got {value!r}")


When = Annotated[
    dt.date | str,
    BeforeValidator(_when),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}-[Qq][1-4]$"},
            ],
            "description": "An ISO date (2026-03-02) or a quarter (2026-Q3).",
        }
    ),
]


def quarter_bounds(value: dt.date | str) -> tuple[dt.date, dt.date]:
    """First and last day a roadmap date covers: the day itself, or the whole quarter."""
    if isinstance(value, dt.date):
        return value, value
    match = _QUARTER.match(value)
    assert match, value
    year, quarter = int(match.group(1)), int(match.group(2))
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


class RoadmapItem(Audienced):
    """One piece of work on the roadmap."""

    id: str = Field(description="Unique id in the file, e.g. R1.")
    title: str = Field(description="What will be done.")
    workstream: str | None = Field(None, description="Lane on the timeline.")
    start: When | None = Field(None, description="ISO date or YYYY-Qn.")
    end: When | None = Field(None, description="ISO date or YYYY-Qn, not before start.")
    horizon: choice(HORIZONS, "For undated items.") | None = None  # type: ignore[valid-type]
    status: choice(STATUSES, "Where the item stands.")  # type: ignore[valid-type]
    owner: str | None = Field(None, description="Who is accountable.")
    depends_on: list[str] = Field(default_factory=list, description="Ids of other items.")
    decisions: list[DecisionRef] = Field(default_factory=list, description="Decision numbers.")
    description: str | None = Field(None, description="Markdown.")
    internal: bool = Field(False, description="Kept in git, never in the portal.")

    @property
    def dated(self) -> bool:
        """Whether the item can be drawn on the timeline."""
        return self.start is not None or self.end is not None

    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last day the item covers, or None when undated."""
        if not self.dated:
            return None
        first = quarter_bounds(self.start or self.end)[0]  # type: ignore[arg-type]
        last = quarter_bounds(self.end or self.start)[1]  # type: ignore[arg-type]
        return first, last


class Milestone(Audienced):
    """A dated marker on the timeline."""

    title: str = Field(description="What is reached.")
    date: IsoDate = Field(description="When.")
    workstream: str | None = Field(None, description="Lane to draw it in (default: all).")
    internal: bool = Field(False, description="Kept in git, never in the portal.")


class Roadmap(InputModel):
    """clients/<slug>/roadmap.yml."""

    workstreams: list[str] = Field(default_factory=list, description="Lane order.")
    items: list[RoadmapItem] = Field(default_factory=list, description="Roadmap items.")
    milestones: list[Milestone] = Field(default_factory=list, description="Milestones.")
