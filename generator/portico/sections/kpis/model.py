"""kpis.yml: the engagement's measures, monthly values against targets."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from portico.content.fields import Monthly, Number
from portico.content.model import Audienced, InputModel, IsoDate, choice
from portico.portal.direction import Direction
from portico.portal.trend import latest, meets

BETTER = ("higher", "lower")


class Kpi(Audienced):
    """One measure of the engagement."""

    id: str = Field(description="Unique id, e.g. K-DEPLOYS.")
    name: str = Field(description="What is measured, e.g. Deployments per week.")
    unit: str | None = Field(None, description="Unit shown after values, e.g. per week.")
    target: Number | None = Field(None, description="The value aimed for.")
    target_by: IsoDate | None = Field(
        None, description="When the target is due, an ISO date (2027-03-31). Until then a "
        "KPI short of its target is not counted as missed: its chart shows the way to the "
        "target. Needs `target`.")
    better: choice(BETTER, "higher (default) or lower is better.") = "higher"  # type: ignore[valid-type]
    values: Monthly = Field(description="YYYY-MM → measured value; at least one.")
    description: str | None = Field(None, description="Markdown: definition and source.")
    internal: bool = Field(False, description="Kept in git, never in the portal.")

    @property
    def title(self) -> str:
        """Its name, as summaries that list items by id and title show it."""
        return self.name

    @property
    def latest(self) -> tuple[str, float] | None:
        """The most recent month and its value (None only for a KPI `check` refuses)."""
        return latest(self.values)

    def status(self, today: dt.date) -> str | None:
        """On the latest value: "met", "missed", or "not yet due" (short of a target whose
        `target_by` is after `today`); None without a target or values. Every count of KPIs
        off target (home card, board packs, `portico status`) asks this."""
        found = self.latest
        if self.target is None or found is None:
            return None
        if meets(found[1], float(self.target), str(self.better)):
            return "met"
        return "not yet due" if self.target_by is not None and today < self.target_by \
            else "missed"

    def off_target(self, today: dt.date) -> bool:
        """Missed on its latest value, its target due (see `status`)."""
        return self.status(today) == "missed"

    def direction(self) -> Direction | None:
        """Which way its last two months went (portal.direction: the figures the page prints
        side by side decide), since the earlier of them; None with one month."""
        found = self.previous
        if found is None or self.latest is None:
            return None
        (month, before), after = found, self.latest[1]
        word = "rising" if after > before else "falling" if after < before else "steady"
        year, number = month.split("-")[:2]
        return Direction(word, before, after, dt.date(int(year), int(number), 1))

    def improving(self) -> bool | None:
        """Whether its direction is the good one (`better`); None when steady or unknown."""
        found = self.direction()
        if found is None or found.word == "steady":
            return None
        return bool((found.word == "rising") == (self.better == "higher"))

    @property
    def previous(self) -> tuple[str, float] | None:
        """The month before the latest, when there is one."""
        months = sorted(self.values)
        return (months[-2], self.values[months[-2]]) if len(months) > 1 else None


class KpiList(InputModel):
    """clients/<slug>/kpis.yml."""

    kpis: list[Kpi] = Field(default_factory=list, description="The measures.")
