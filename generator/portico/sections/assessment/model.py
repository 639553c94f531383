"""assessment.md or assessment/*.md: the assessment pages and the maturity scorecard."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from portico.content.model import Audienced, Document, InputModel, scale

Maturity = scale(0, 5, "0 (non-existent) .. 5 (best in class)")


class ScoreArea(InputModel):
    """One row of the maturity scorecard."""

    area: str = Field(description="Area assessed, e.g. Architecture.")
    score: Maturity = Field(description="0..5")  # type: ignore[valid-type]
    target: Maturity | None = None  # type: ignore[valid-type]
    note: str | None = Field(None, description="One line of evidence.")


class AssessmentMeta(Audienced):
    """Front matter of assessment.md / assessment/*.md."""

    title: str | None = None
    scores: list[ScoreArea] = Field(default_factory=list, description="Maturity scorecard.")
    internal: bool = False


@dataclass(frozen=True)
class Assessment:
    """The assessment: one or more pages, and the scorecard from the first page."""

    pages: tuple[Document, ...]
    scores: tuple[ScoreArea, ...] = ()
