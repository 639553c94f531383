"""risks.yml: the risk register, scored likelihood × impact."""

from __future__ import annotations

from pydantic import Field

from portico.content.model import Audienced, InputModel, IsoDate, choice, scale
from portico.sections.decisions.model import DecisionRef

CATEGORIES = (
    "technology", "security", "people", "vendor", "delivery",
    "compliance", "financial", "data", "other",
)
RESPONSES = ("avoid", "mitigate", "transfer", "accept", "escalate")
STATUSES = ("open", "monitoring", "closed")
TRENDS = ("rising", "steady", "falling")
BANDS = ("low", "medium", "high", "critical")
Likelihood = scale(1, 5, "1 (rare) .. 5 (almost certain)")
Impact = scale(1, 5, "1 (minor) .. 5 (severe)")


def band(score: int) -> str:
    """The band of a risk score: 1–4 low, 5–9 medium, 10–15 high, 16–25 critical."""
    if score >= 16:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


class Risk(Audienced):
    """One entry of the risk register."""

    id: str = Field(description="Unique id, e.g. RISK-001.")
    title: str = Field(description="The risk in one line.")
    category: choice(CATEGORIES, "Kind of risk.") | None = None  # type: ignore[valid-type]
    description: str | None = Field(None, description="Markdown.")
    likelihood: Likelihood = Field(description="1..5")  # type: ignore[valid-type]
    impact: Impact = Field(description="1..5")  # type: ignore[valid-type]
    residual_likelihood: Likelihood | None = None  # type: ignore[valid-type]
    residual_impact: Impact | None = None  # type: ignore[valid-type]
    owner: str | None = Field(None, description="Required unless status is closed.")
    response: choice(RESPONSES, "How the risk is treated.") | None = None  # type: ignore[valid-type]
    mitigation: str | None = Field(None, description="Markdown.")
    status: choice(STATUSES, "open, monitoring or closed.")  # type: ignore[valid-type]
    trend: choice(TRENDS, "Direction since last review.") | None = None  # type: ignore[valid-type]
    raised: IsoDate | None = Field(None, description="When it was raised.")
    review: IsoDate | None = Field(None, description="Next review; a past date is flagged.")
    reviewed: IsoDate | None = Field(None, description="When it was last reviewed; the "
                                     "latest such date keeps a `risk-review` cadence.")
    decisions: list[DecisionRef] = Field(default_factory=list, description="Decision numbers.")
    internal: bool = Field(False, description="Kept in git, never in the portal.")

    @property
    def score(self) -> int:
        """Likelihood × impact, 1..25."""
        return int(self.likelihood) * int(self.impact)

    @property
    def band(self) -> str:
        """low | medium | high | critical."""
        return band(self.score)

    @property
    def residual_score(self) -> int | None:
        """Score after the response, when both residual values are given."""
        if self.residual_likelihood is None or self.residual_impact is None:
            return None
        return int(self.residual_likelihood) * int(self.residual_impact)

    @property
    def is_open(self) -> bool:
        """Open or monitoring: still on the register."""
        return bool(self.status != "closed")


class RiskRegister(InputModel):
    """clients/<slug>/risks.yml."""

    risks: list[Risk] = Field(default_factory=list, description="The register.")
