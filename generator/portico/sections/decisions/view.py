"""What the client sees of the decision log: visible decisions by number, counted by status."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portico.sections.decisions.model import STATUSES, Decision
from portico.sections.decisions.success import Verdict, verdicts


@dataclass
class DecisionsView:
    """The client-visible log, and every loaded decision for references by number."""

    shown: list[Decision]  # client-visible, by number
    loaded: list[Decision]  # all of them, as loaded: what other items' numbers resolve to
    verdicts: dict[str, list[Verdict]] = field(default_factory=dict)
    """Decision number → its success tests' verdicts on the view's day (client-visible
    KPIs only; decisions without a success test are absent)."""

    @property
    def judged(self) -> list[Decision]:
        """The shown decisions with a success test the portal can judge."""
        return [d for d in self.shown if self.verdicts.get(d.number)]

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


def decisions_view(decisions: list[Decision], kpis: Mapping[str, Any] | None = None,
                   today: dt.date | None = None) -> DecisionsView:
    """Internal decisions dropped, the rest sorted by number; with `kpis` (id → client-
    visible KPI) and `today`, each one's success tests judged."""
    shown = sorted((d for d in decisions if not d.internal), key=lambda d: d.number)
    judged: dict[str, list[Verdict]] = {}
    if kpis is not None and today is not None:
        for d in shown:
            found = list(verdicts(d.success, kpis, d.date, today, d.status))
            if found:
                judged[d.number] = found
    return DecisionsView(shown, list(decisions), judged)
