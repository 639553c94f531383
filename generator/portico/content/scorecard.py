"""Weighted scorecards, shared by the vendor register and build-vs-buy evaluations:
criteria with relative weights, and 1..5 scores weighed by them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pydantic import Field

from portico.content.fields import Weight
from portico.content.model import InputModel, scale

if TYPE_CHECKING:  # to the type checker a score is the int it validates to
    Score = int
else:
    Score = scale(1, 5, "1 (poor) .. 5 (excellent)")


class Criterion(InputModel):
    """One criterion of a scorecard."""

    id: str = Field(description="Unique id; the key in each scored item's `scores`.")
    name: str = Field(description="What is judged, e.g. Reliability.")
    weight: Weight = Field(description="Relative weight, > 0; shown normalised to 100 %.")


def shares(criteria: Sequence[Criterion]) -> dict[str, float]:
    """Criterion id → its weight as a share of 100 %."""
    total = sum(float(c.weight) for c in criteria)
    return {c.id: 100 * float(c.weight) / total for c in criteria} if total else {}


def weighted(scores: Mapping[str, int], criteria: Sequence[Criterion]) -> float | None:
    """Σ score × weight ÷ Σ weight over the criteria scored, 1..5; None if none is."""
    scored = [(scores[c.id], float(c.weight)) for c in criteria if c.id in scores]
    total = sum(w for _s, w in scored)
    return sum(s * w for s, w in scored) / total if total else None
