"""notes/*.md: dated notes (meetings, board updates, status reports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from pydantic import BeforeValidator, Field

from portico.content.model import Audienced, Document, IsoDate, choice, text_list

KINDS = ("meeting", "board-update", "status", "vendor-review", "other")


class NoteMeta(Audienced):
    """Front matter of a note."""

    title: str | None = None
    date: IsoDate | None = None
    kind: choice(KINDS, "Kind of note.") | None = None  # type: ignore[valid-type]
    attendees: Annotated[list[str], BeforeValidator(text_list)] = Field(default_factory=list)
    internal: bool = False


@dataclass(frozen=True)
class Note:
    """A dated note: meeting, board update, status report."""

    doc: Document
    date: dt.date
    kind: str | None = None
    attendees: tuple[str, ...] = ()
