"""What the client sees of the AI opportunities: by priority, by quadrant, and in sequence
(on the roadmap's items, or by horizon)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portico.sections.opportunities.model import QUADRANTS, Opportunity
from portico.sections.roadmap.model import HORIZONS


@dataclass
class OpportunitiesView:
    """The client-visible opportunities, highest priority first."""

    opportunities: list[Opportunity]
    items: dict[str, Any]  # roadmap id → client-visible roadmap item

    def quadrant(self, name: str) -> list[Opportunity]:
        """The opportunities in one quadrant, by priority."""
        return [o for o in self.opportunities if o.quadrant == name]

    def quadrants(self) -> list[tuple[str, list[Opportunity]]]:
        """Every quadrant with its opportunities, in QUADRANTS order."""
        return [(name, self.quadrant(name)) for name in QUADRANTS]

    def summary(self) -> str:
        """One line for the home card: how many in each quadrant."""
        words = {"quick win": ("quick win", "quick wins"),
                 "strategic bet": ("strategic bet", "strategic bets"),
                 "fill-in": ("fill-in", "fill-ins"), "deprioritise": ("deprioritized",) * 2}
        parts = [f"{len(found)} {words[name][len(found) != 1]}"
                 for name, found in self.quadrants() if found]
        return " · ".join(parts)

    def delivered_by(self, opportunity: Opportunity) -> list[Any]:
        """The client-visible roadmap items that deliver it."""
        return [self.items[i] for i in opportunity.roadmap if i in self.items]

    @property
    def on_roadmap(self) -> list[tuple[Opportunity, list[Any]]]:
        """Opportunities the roadmap delivers, ordered by their first item's start."""
        found = [(o, self.delivered_by(o)) for o in self.opportunities]
        found = [(o, items) for o, items in found if items]
        return sorted(found, key=lambda pair: (min(_start(i) for i in pair[1]), pair[0].priority))

    def by_horizon(self) -> list[tuple[str, list[Opportunity]]]:
        """Opportunities not on the roadmap, grouped now / next / later (unset: later);
        empty horizons are left out."""
        rest = [o for o in self.opportunities if not self.delivered_by(o)]
        groups = [(h, [o for o in rest if (o.horizon or "later") == h]) for h in HORIZONS]
        return [(h, found) for h, found in groups if found]

    def for_item(self, item_id: str) -> list[Opportunity]:
        """Opportunities a roadmap item delivers."""
        return [o for o in self.opportunities if item_id in o.roadmap]

    def total_value(self) -> list[tuple[str, float]]:
        """Estimated annual value per currency."""
        totals: dict[str, float] = {}
        for o in self.opportunities:
            if o.annual_value:
                currency = o.annual_value.currency or "USD"
                totals[currency] = totals.get(currency, 0) + o.annual_value.amount
        return sorted(totals.items())


def _start(item: Any) -> str:
    span = item.span() if hasattr(item, "span") else None
    return span[0].isoformat() if span else "9999"


def opportunities_view(opportunities: list[Opportunity], items: list[Any]) -> OpportunitiesView:
    """Internal opportunities dropped; the rest by priority."""
    shown = sorted((o for o in opportunities if not o.internal), key=lambda o: o.priority)
    return OpportunitiesView(shown, {i.id: i for i in items if not i.internal})
