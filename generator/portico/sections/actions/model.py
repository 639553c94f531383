"""actions.yml: the asks of the engagement, each owed by a client contact or the practice."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from portico.content.model import Audienced, InputModel, IsoDate, choice

STATUSES = ("open", "done", "dropped")
PRACTICE = "practice"  # the owner word for the practice's own side of an ask


class Action(Audienced):
    """One thing one side owes the other."""

    id: str = Field(description="Unique id, e.g. A-007: bookkeeping, never shown to the "
                    "client.")
    title: str = Field(description="What is owed, in the client's words.")
    owner: str = Field(description="Who owes it: a contact's name as written in client.yml "
                       "`contacts`, or `practice` for the practice's side.")
    due: IsoDate | None = Field(None, description="When it is due, an ISO date.")
    status: choice(STATUSES, "open (default), done or dropped.") = "open"  # type: ignore[valid-type]
    done: IsoDate | None = Field(None, description="When it was done, an ISO date.")
    done_by: str | None = Field(None, description="Who said it was done (written by "
                                "`portico record CLIENT ID done --by NAME`); shown beside "
                                "the date. Only with status done.")
    from_: str | None = Field(None, alias="from", description=(
        "Where it was raised, as a path in the client folder: a note "
        "(notes/2026-11-20-weekly-status.md), a board pack, a decision, or a section's "
        "YAML file with an item id (roadmap.yml#R-07)."))
    internal: bool = Field(False, description="Kept in git, never in the portal.")

    @property
    def by_practice(self) -> bool:
        """Owed by the practice, not by the client."""
        return self.owner.strip().casefold() == PRACTICE

    @property
    def is_open(self) -> bool:
        return bool(self.status == "open")

    def overdue(self, today: dt.date) -> bool:
        """Open and past its due date on `today`."""
        return self.is_open and self.due is not None and self.due < today

    def state(self, today: dt.date) -> str:
        """Its status as the client reads it on `today`: "overdue" for an open ask past due."""
        return "overdue" if self.overdue(today) else str(self.status)


class ActionList(InputModel):
    """clients/<slug>/actions.yml."""

    actions: list[Action] = Field(default_factory=list, description="The asks.")
