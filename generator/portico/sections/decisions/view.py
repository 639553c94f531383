"""What the client sees of the decision log: visible decisions by number, counted by status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from portico.sections.decisions.model import STATUSES, Decision


@dataclass
class DecisionsView:
    """The client-visible log, and every loaded decision for references by number."""

    shown: list[Decision]  # client-visible, by number
    loaded: list[Decision]  # all of them, as loaded: what other items' numbers resolve to

    @property
    def proposed(self) -> list[Decision]:
        """Decisions awaiting a decision."""
        return [d for d in self.shown if d.status == "proposed"]

    def statuses(self) -> list[tuple[str, int]]:
        """Decisions per status: MADR's words first, then any others as written."""
        counts = Counter(d.status for d in self.shown)
        known = [(s, counts[s]) for s in STATUSES if counts[s]]
        return known + sorted((s, n) for s, n in counts.items() if s not in STATUSES)

    def find(self, number: str) -> Decision | None:
        """The decision with this number, if any."""
        return next((d for d in self.loaded if d.number == number), None)


def decisions_view(decisions: list[Decision]) -> DecisionsView:
    """Internal decisions dropped, the rest sorted by number."""
    shown = sorted((d for d in decisions if not d.internal), key=lambda d: d.number)
    return DecisionsView(shown, list(decisions))
