"""vendors.yml: the vendor register, with scorecards, SLAs and contract terms.

Every field carries a description: the JSON Schema and the docs come from them.
Cross-references (risks, decisions, criterion ids in scores) are checked in `check`,
where the file's line marks are at hand.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, ValidationInfo, field_validator

from portico.content.fields import Amount, Count, Currency, Monthly, Number
from portico.content.model import Audienced, InputModel, IsoDate, choice, notice_before
from portico.content.scorecard import Criterion, Score, weighted
from portico.portal.trend import latest, meets
from portico.sections.decisions.model import DecisionRef

VENDOR_STATUSES = ("evaluating", "onboarding", "active", "exiting", "exited")
CRITICALITIES = ("low", "medium", "high", "critical")
RECOMMENDATIONS = ("continue", "renegotiate", "replace", "watch", "exit")
BETTER = ("higher", "lower")
NOTICE_WARNING_DAYS = 60

class Spend(InputModel):
    """What the vendor costs a year."""

    annual: Amount = Field(description="Yearly spend, >= 0.")
    currency: Currency | None = Field(None, description="ISO 4217; default USD.")


class Contract(InputModel):
    """The contract's term and how it can be left."""

    start: IsoDate | None = Field(None, description="When it began.")
    end: IsoDate | None = Field(None, description="When the current term ends.")
    auto_renew: bool = Field(False, description="Renews by itself unless notice is given.")
    notice_days: Count | None = Field(None, description="Days of notice before `end`.")
    terms: str | None = Field(None, description="Markdown: the terms that matter.")

    @field_validator("notice_days")
    @classmethod
    def _notice_in_calendar(cls, days: int | None, info: ValidationInfo) -> int | None:
        notice_before(info.data.get("end"), days)
        return days

    @property
    def notice_deadline(self) -> dt.date | None:
        """The last day to give notice: end − notice_days (end itself without notice days)."""
        return notice_before(self.end, self.notice_days)


class Sla(InputModel):
    """One service level: a target and its monthly values."""

    metric: str = Field(description="What is measured, e.g. Uptime.")
    target: Number = Field(description="The promised value.")
    unit: str | None = Field(None, description="Unit shown after values, e.g. %.")
    better: choice(BETTER, "higher (default) or lower is better.") = "higher"  # type: ignore[valid-type]
    values: Monthly = Field(default_factory=dict, description="YYYY-MM → measured value.")

    @property
    def latest(self) -> tuple[str, float] | None:
        """The most recent month and its value."""
        return latest(self.values)

    def met(self, value: float) -> bool:
        """Whether a value meets the target."""
        return meets(value, float(self.target), str(self.better))

    @property
    def latest_met(self) -> bool | None:
        """Met or missed on the latest value; None without values."""
        latest = self.latest
        return None if latest is None else self.met(latest[1])


class Vendor(Audienced):
    """One vendor of the register."""

    id: str = Field(description="Unique id, e.g. V-TELEMATICS.")
    name: str = Field(description="The vendor or product name.")
    category: str | None = Field(None, description="Free text, e.g. Telematics.")
    criticality: choice(CRITICALITIES, "How much the business depends on it.") | None = None  # type: ignore[valid-type]
    owner: str | None = Field(None, description="Who owns the relationship.")
    status: choice(VENDOR_STATUSES, "Where the relationship stands.")  # type: ignore[valid-type]
    recommendation: choice(RECOMMENDATIONS, "The CTO's advice.") | None = None  # type: ignore[valid-type]
    spend: Spend | None = Field(None, description="Yearly spend.")
    contract: Contract | None = Field(None, description="Term, renewal and notice.")
    scores: dict[str, Score] = Field(default_factory=dict,
                                     description="Criterion id → 1..5.")
    sla: list[Sla] = Field(default_factory=list, description="Service levels.")
    exit: str | None = Field(None, description="Markdown exit plan: data, timeframe, fees.")
    reviewed: IsoDate | None = Field(None, description="When it was last reviewed (scores, "
                                     "SLAs, terms); keeps a `vendor-review` cadence.")
    notes: str | None = Field(None, description="Markdown.")
    risks: list[str] = Field(default_factory=list, description="Related risk ids (checked).")
    decisions: list[DecisionRef] = Field(default_factory=list,
                                         description="Related decision numbers (checked).")
    internal: bool = Field(False, description="Kept in git, never in the portal.")

    @property
    def title(self) -> str:
        """Its name, as summaries that list items by id and title show it."""
        return self.name

    def weighted_score(self, criteria: list[Criterion]) -> float | None:
        """Σ score × weight / Σ weight over the criteria it is scored on, 1..5; None if none."""
        return weighted(self.scores, criteria)

    def notice_flag(self, today: dt.date) -> str | None:
        """`due`: the notice deadline is within NOTICE_WARNING_DAYS; `passed`: it has passed
        on a contract that renews by itself (it has renewed, or will); else None."""
        deadline = self.contract.notice_deadline if self.contract else None
        if deadline is None or self.status == "exited":
            return None
        if deadline < today:
            return "passed" if self.contract and self.contract.auto_renew else None
        return "due" if (deadline - today).days <= NOTICE_WARNING_DAYS else None


class VendorRegister(InputModel):
    """clients/<slug>/vendors.yml."""

    criteria: list[Criterion] = Field(default_factory=list, description="Scorecard criteria.")
    vendors: list[Vendor] = Field(default_factory=list, description="The register.")
