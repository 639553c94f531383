"""What the client sees of the register: open risks by score, closed ones apart."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from portico.portal.direction import Direction
from portico.sections.base import REGISTER_LIMIT
from portico.sections.risks.model import BANDS, Risk


@dataclass
class RisksView:
    """The client-visible register, highest score first (then impact, then id)."""

    today: dt.date
    open: list[Risk]
    closed: list[Risk]
    listed: list[Risk]  # every client-visible risk in the file's order
    history: dict[str, list[tuple[dt.date, int]]] = field(default_factory=dict)
    """Risk id → its score at each commit where it changed (from git), when it has moved."""
    measured: dict[str, str] = field(default_factory=dict)
    """Risk id → its direction from its score history, for risks seen at two or more points."""
    directions: dict[str, Direction] = field(default_factory=dict)
    """Risk id → the facts behind `measured`: from what score to what, since when."""
    _naming: dict[str, list[Risk]] | None = field(default=None, repr=False, compare=False)

    def naming(self, decision: str) -> list[Risk]:
        """The listed risks that name the decision numbered `decision`, in the file's order."""
        if self._naming is None:
            self._naming = {}
            for risk in self.listed:
                for number in dict.fromkeys(risk.decisions):
                    self._naming.setdefault(number, []).append(risk)
        return self._naming.get(decision, [])

    @property
    def paged(self) -> bool:
        """Whether the register is large enough (REGISTER_LIMIT) for a page per risk."""
        return len(self.listed) > REGISTER_LIMIT

    def trend(self, risk: Risk) -> str | None:
        """The risk's direction: measured from its score history where it has one, else as
        its author wrote it."""
        return self.measured.get(risk.id, risk.trend)

    @property
    def top(self) -> list[Risk]:
        """The five open risks with the highest score."""
        return self.open[:5]

    def bands(self) -> list[tuple[str, int]]:
        """Open risks per band, critical first; bands without a risk are left out."""
        counts = Counter(r.band for r in self.open)
        return [(b, counts[b]) for b in reversed(BANDS) if counts[b]]

    def review_overdue(self, risk: Risk) -> bool:
        """An open risk whose review date has passed."""
        return bool(risk.is_open and risk.review and risk.review < self.today)


def risks_view(risks: list[Risk], today: dt.date) -> RisksView:
    """Internal risks dropped, the rest sorted by score and split into open and closed."""
    shown = sorted((r for r in risks if not r.internal),
                   key=lambda r: (-r.score, -int(r.impact), r.id))
    return RisksView(today, [r for r in shown if r.is_open], [r for r in shown if not r.is_open],
                     [r for r in risks if not r.internal])


def measured_trend(scores: list[int]) -> str | None:
    """A direction from a score series, oldest first: the sign of its latest change;
    `steady` when the score never changed; None with fewer than two points."""
    if len(scores) < 2:
        return None
    for before, after in zip(reversed(scores[:-1]), reversed(scores[1:]), strict=True):
        if after != before:
            return "rising" if after > before else "falling"
    return "steady"
