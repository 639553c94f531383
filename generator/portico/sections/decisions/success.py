"""Success tests: a decision's `success:` criteria, judged by its KPIs' data as it stands.

A criterion names a KPI of kpis.yml, a bound (`below:` or `above:`, inclusive as a KPI's
own target is: `below: 5` is met at 5) and a day (`by:`). Its verdict, on a given day:

- the values judged are the KPI's months from the decision's month to `by`'s month (a
  decision without a date: every month up to `by`'s);
- no value there: "not yet measurable" while `by` has not passed, "missed" once it has
  (nothing measured by its date showed it met);
- the latest of those values satisfies the bound: "met" (a value that met it earlier but
  has slipped back since does not count: the latest value is what is judged);
- else "missed" once `by` has passed (today > by), "on the way" until then.

So after `by` the verdict is fixed by the last value measured on or before it; later
values are the KPI's own page's story, not the decision's.

Only a decision that was taken (accepted, or later deprecated or superseded) is judged. A
proposed one (or one of a status of the client's own) shows its test "judged once
accepted", with the KPI's latest value as the baseline; a rejected one shows none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field, model_validator

from portico.content.fields import Number
from portico.content.model import InputModel, IsoDate
from portico.portal.trend import figure, latest, meets

VERDICTS = ("met", "on the way", "missed", "not yet measurable", "judged once accepted")
TAKEN = frozenset({"accepted", "deprecated", "superseded"})
"""Statuses of a decision that was taken: its success tests are judged."""


class SuccessCriterion(InputModel):
    """One success test: a KPI below or above a value by a day."""

    kpi: str = Field(description="The KPI that judges the decision (an id in kpis.yml).")
    below: Number | None = Field(None, description="Met at this value or lower.")
    above: Number | None = Field(None, description="Met at this value or higher.")
    by: IsoDate = Field(description="When it is judged, an ISO date (2027-03-31).")

    @model_validator(mode="after")
    def _one_bound(self) -> SuccessCriterion:
        if self.below is None and self.above is None:
            raise ValueError("needs `below:` or `above:`, the value the KPI must reach")
        if self.below is not None and self.above is not None:
            raise ValueError("sets both `below:` and `above:`; keep one")
        return self

    @property
    def bound(self) -> float:
        """The value to reach."""
        return float(self.below if self.below is not None else self.above)  # type: ignore[arg-type]

    @property
    def better(self) -> str:
        """"lower" for `below:`, "higher" for `above:` (as a KPI's `better`)."""
        return "lower" if self.below is not None else "higher"


@dataclass(frozen=True)
class Verdict:
    """One criterion as the KPI's data stands on a day."""

    criterion: SuccessCriterion
    kpi: Any  # the Kpi (client-visible)
    state: str  # one of VERDICTS
    reading: tuple[str, float] | None  # the month and value judged, if any

    def criterion_words(self, formats: Any) -> str:
        """"Time to produce an LCL quote at most 5 min by Sep 30, 2027"."""
        c, unit = self.criterion, self.kpi.unit
        bound = "at most" if c.better == "lower" else "at least"
        return f"{self.kpi.name} {bound} {figure(c.bound, unit)} by {formats.day(c.by)}"

    def reading_words(self, formats: Any) -> str | None:
        """"24 min in Nov 2026": the value the verdict rests on."""
        if self.reading is None:
            return None
        month, value = self.reading
        return f"{figure(value, self.kpi.unit)} in {formats.month(month)}"


def judge(criterion: SuccessCriterion, values: Mapping[str, float], since: dt.date | None,
          today: dt.date) -> tuple[str, tuple[str, float] | None]:
    """(verdict, the month and value judged) of one criterion on `today` (see the module)."""
    start = since.strftime("%Y-%m") if since is not None else ""
    end = criterion.by.strftime("%Y-%m")
    found = latest({m: v for m, v in values.items() if start <= m <= end})
    passed = today > criterion.by
    if found is None:
        return ("missed" if passed else "not yet measurable"), None
    if meets(found[1], criterion.bound, criterion.better):
        return "met", found
    return ("missed" if passed else "on the way"), found


def verdicts(criteria: tuple[SuccessCriterion, ...], kpis: Mapping[str, Any],
             since: dt.date | None, today: dt.date, status: str = "accepted"
             ) -> Iterator[Verdict]:
    """The verdict of each criterion whose KPI is among `kpis` (the client-visible ones), for
    a decision of `status` (see the module: only a decision taken is judged)."""
    if status == "rejected":
        return
    for criterion in criteria:
        kpi = kpis.get(criterion.kpi)
        if kpi is None:
            continue
        state, reading = judge(criterion, kpi.values, since, today)
        if status not in TAKEN:
            state, reading = "judged once accepted", latest(kpi.values)
        yield Verdict(criterion, kpi, state, reading)
