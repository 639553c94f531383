"""What the client sees of the vendor register: scores, SLA status and notice deadlines
computed once, here, so templates only show them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from portico.content.scorecard import Criterion, shares
from portico.sections.vendors.model import CRITICALITIES, Sla, Vendor

_CRITICALITY_ORDER = {name: i for i, name in enumerate(reversed(CRITICALITIES))}


COMMITTED = ("onboarding", "active", "exiting")  # statuses whose spend is contracted


@dataclass
class VendorsView:
    """The client-visible register: most critical first, then by name."""

    today: dt.date
    criteria: list[Criterion]
    vendors: list[Vendor]
    risks: dict[str, Any]  # id → the client-visible risk a vendor names

    def weights(self) -> dict[str, float]:
        """Criterion id → its share of 100 %."""
        return shares(self.criteria)

    def score(self, vendor: Vendor) -> float | None:
        """The vendor's weighted scorecard score, 1..5."""
        return vendor.weighted_score(self.criteria)

    def notice(self, vendor: Vendor) -> str | None:
        """`due`, `passed` or None (see `Vendor.notice_flag`)."""
        return vendor.notice_flag(self.today)

    def days_to_notice(self, vendor: Vendor) -> int | None:
        """Days from today to the notice deadline (negative when passed)."""
        deadline = vendor.contract.notice_deadline if vendor.contract else None
        return None if deadline is None else (deadline - self.today).days

    @property
    def flagged(self) -> list[Vendor]:
        """Vendors whose notice deadline needs attention, soonest first."""
        found = [v for v in self.vendors if self.notice(v)]
        return sorted(found, key=lambda v: (self.days_to_notice(v) or 0, v.name))

    @staticmethod
    def sla_missed(vendor: Vendor) -> list[Sla]:
        """SLAs whose latest value missed the target."""
        return [s for s in vendor.sla if s.latest_met is False]

    @property
    def missed_count(self) -> int:
        """Vendors with at least one SLA missed on its latest value."""
        return sum(1 for v in self.vendors if self.sla_missed(v))

    def summary(self) -> str:
        """One line for the home card, each figure naming what it counts."""
        n = len(self.flagged)
        line = (f"{n} contract notice date{'s' if n != 1 else ''} to act on" if n
                else "No contract notice date within 60 days")
        if self.missed_count:
            vendors = "vendor" if self.missed_count == 1 else "vendors"
            line += f" · {self.missed_count} {vendors} missed an SLA in the latest month reported"
        return line + "."

    def spend(self, kind: str = "committed") -> list[tuple[str, float]]:
        """Total annual spend per currency: `committed` (vendors onboarding, active or
        exiting) or `proposed` (vendors still being evaluated). Exited vendors cost nothing."""
        statuses = COMMITTED if kind == "committed" else ("evaluating",)
        totals: dict[str, float] = defaultdict(float)
        for v in self.vendors:
            if v.spend and v.status in statuses:
                totals[v.spend.currency or "USD"] += v.spend.annual
        return sorted(totals.items())

    def linked_risks(self, vendor: Vendor) -> list[Any]:
        """The client-visible risks the vendor names, in its order."""
        return [self.risks[r] for r in vendor.risks if r in self.risks]


def vendors_view(criteria: list[Criterion], vendors: list[Vendor], risks: list[Any],
                 today: dt.date) -> VendorsView:
    """Internal vendors dropped, the rest ordered by criticality then name."""
    shown = sorted((v for v in vendors if not v.internal),
                   key=lambda v: (_CRITICALITY_ORDER.get(v.criticality or "", 9), v.name.lower()))
    visible = {r.id: r for r in risks if not r.internal}
    return VendorsView(today, criteria, shown, visible)

