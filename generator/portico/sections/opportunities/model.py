"""opportunities.yml: AI (and automation) opportunities, value against effort, sequenced."""

from __future__ import annotations

from pydantic import Field

from portico.content.fields import Amount, Currency
from portico.content.model import Audienced, InputModel, choice, scale
from portico.sections.roadmap.model import HORIZONS

OPPORTUNITY_STATUSES = ("idea", "evaluating", "pilot", "scaling", "live", "parked")
QUADRANTS = ("quick win", "strategic bet", "fill-in", "deprioritise")
Rating = scale(1, 5, "1 (low) .. 5 (high)")


class AnnualValue(InputModel):
    """An estimate of the yearly value."""

    amount: Amount = Field(description="Yearly value, >= 0.")
    currency: Currency | None = Field(None, description="ISO 4217; default USD.")


class Opportunity(Audienced):
    """One AI or automation opportunity."""

    id: str = Field(description="Unique id, e.g. AI-1.")
    title: str = Field(description="The opportunity in one line.")
    process: str | None = Field(None, description="The workflow it changes.")
    owner: str | None = Field(None, description="Who owns it in the business.")
    value: Rating = Field(description="Business value, 1..5.")  # type: ignore[valid-type]
    effort: Rating = Field(description="Effort and difficulty, 1..5.")  # type: ignore[valid-type]
    data_readiness: Rating | None = Field(None, description="1..5.")  # type: ignore[valid-type]
    risk: Rating | None = Field(None, description="1..5.")  # type: ignore[valid-type]
    annual_value: AnnualValue | None = Field(None, description="Estimated yearly value.")
    status: choice(OPPORTUNITY_STATUSES, "Where it stands.")  # type: ignore[valid-type]
    roadmap: list[str] = Field(default_factory=list, description="Roadmap items that deliver it.")
    horizon: choice(HORIZONS, "now, next or later, when not on the roadmap.") | None = None  # type: ignore[valid-type]
    description: str | None = Field(None, description="Markdown.")
    governance: str | None = Field(None, description="Markdown: personal data, review, model risk.")
    internal: bool = Field(False, description="Kept in git, never in the portal.")

    @property
    def quadrant(self) -> str:
        """quick win (value ≥ 3, effort ≤ 3), strategic bet (value ≥ 3, effort > 3),
        fill-in (value < 3, effort ≤ 3), else deprioritise."""
        if self.value >= 3:
            return "quick win" if self.effort <= 3 else "strategic bet"
        return "fill-in" if self.effort <= 3 else "deprioritise"

    @property
    def priority(self) -> tuple[int, int, int, str]:
        """Sort key: quadrant order, then value (high first), effort (low first), id."""
        return (QUADRANTS.index(self.quadrant), -int(self.value), int(self.effort), self.id)


class OpportunityList(InputModel):
    """clients/<slug>/opportunities.yml."""

    opportunities: list[Opportunity] = Field(default_factory=list, description="The list.")
