"""kpis.yml: the engagement's measures, monthly values against targets."""

from __future__ import annotations

from pydantic import Field

from portico.content.fields import Monthly, Number
from portico.content.model import InputModel, choice
from portico.portal.trend import latest, meets

BETTER = ("higher", "lower")


class Kpi(InputModel):
    """One measure of the engagement."""

    id: str = Field(description="Unique id, e.g. K-DEPLOYS.")
    name: str = Field(description="What is measured, e.g. Deployments per week.")
    unit: str | None = Field(None, description="Unit shown after values, e.g. per week.")
    target: Number | None = Field(None, description="The value aimed for.")
    better: choice(BETTER, "higher (default) or lower is better.") = "higher"  # type: ignore[valid-type]
    values: Monthly = Field(description="YYYY-MM → measured value; at least one.")
    description: str | None = Field(None, description="Markdown: definition and source.")
    internal: bool = Field(False, description="Kept in git, never in the portal.")

    @property
    def latest(self) -> tuple[str, float] | None:
        """The most recent month and its value (None only for a KPI `check` refuses)."""
        return latest(self.values)

    @property
    def on_target(self) -> bool | None:
        """Met or missed on the latest value; None without a target."""
        found = self.latest
        if self.target is None or found is None:
            return None
        return meets(found[1], float(self.target), str(self.better))

    @property
    def previous(self) -> tuple[str, float] | None:
        """The month before the latest, when there is one."""
        months = sorted(self.values)
        return (months[-2], self.values[months[-2]]) if len(months) > 1 else None


class KpiList(InputModel):
    """clients/<slug>/kpis.yml."""

    kpis: list[Kpi] = Field(default_factory=list, description="The measures.")
