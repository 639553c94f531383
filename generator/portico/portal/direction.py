"""Directions from facts: which way a risk's score or a KPI's value is going, measured from
its recorded points rather than written by hand ("Rising: 10 → 15 since Oct 2026").

A risk's points are its score at every commit it was client-visible in, then today's (see
`sections.risks`); its direction is the sign of its latest change, `steady` when the score
never changed. A KPI's points are its last two monthly values: the figures the KPI page
and the board pack already print side by side ("was 12 in Oct"), so the word never
disagrees with the numbers beside it; a longer slope would. Fewer than two points: no
direction, and the portal falls back on what the author wrote, if anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Direction", "direction_of"]


@dataclass(frozen=True)
class Direction:
    """Which way a measure went, from what to what, and since when."""

    word: str  # rising | falling | steady
    before: float
    after: float
    since: dt.date  # the day it changed (steady: the first point)

    @property
    def start(self) -> str:
        """The value it moved from, as written in text (`10`, `1,250.5`)."""
        return _written(self.before)

    @property
    def end(self) -> str:
        """The value it moved to (steady: the value it kept)."""
        return _written(self.after)

    @property
    def story(self) -> str:
        """`10 → 15`, or `15` when steady."""
        return self.end if self.word == "steady" else f"{self.start} → {self.end}"


def _written(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def direction_of(points: list[tuple[dt.date, float]]) -> Direction | None:
    """The direction of `points` (oldest first, repeats allowed): the latest change decides;
    None with fewer than two points."""
    if len(points) < 2:
        return None
    for index in range(len(points) - 1, 0, -1):
        (_, before), (day, after) = points[index - 1], points[index]
        if after != before:
            return Direction("rising" if after > before else "falling", before, after, day)
    return Direction("steady", points[0][1], points[-1][1], points[0][0])
