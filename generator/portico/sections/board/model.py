"""board/YYYY-MM-DD-words.md: one board (or investor) pack per meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import Field

from portico.content.model import Audienced, Document, IsoDate
from portico.sections.decisions.model import DecisionRef


class BoardMeta(Audienced):
    """Front matter of a board pack; the body is the CTO's headline."""

    title: str | None = Field(None, description="Else the first heading, else 'Board pack'.")
    period: str | None = Field(None, description="Free text, e.g. 2026-Q4.")
    kpis: list[str] = Field(default_factory=list, description="KPI ids to show (kpis.yml).")
    decisions: list[DecisionRef] = Field(default_factory=list,
                                         description="Decision numbers the board is asked for.")
    acknowledged_by: str | None = Field(None, description="Who acknowledged receipt of the "
                                        "pack (written by `portico record CLIENT DATE "
                                        "acknowledged --by NAME`).")
    acknowledged_on: IsoDate | None = Field(None, description="When they did, an ISO date.")
    internal: bool = Field(False, description="Kept in git, never in the portal.")


@dataclass(frozen=True)
class BoardPack:
    """One meeting's pack as written: its date (from the file name) and what it names."""

    doc: Document
    date: dt.date
    period: str | None = None
    kpis: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    acknowledged_by: str | None = None
    acknowledged_on: dt.date | None = None
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False)

    @property
    def internal(self) -> bool:
        return self.doc.internal

    @property
    def acknowledged(self) -> bool:
        """Someone at the client has acknowledged receipt (see `portico record`)."""
        return bool(self.acknowledged_by or self.acknowledged_on)
