"""What the client sees of actions.yml: the visible asks, grouped by who owes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portico.portal.slips import Slip
from portico.sections.actions.model import Action

NEAREST = 3  # due dates named on the home card


@dataclass
class ActionsView:
    """The client-visible asks on `today`."""

    today: dt.date
    actions: list[Action] = field(default_factory=list)
    slips: dict[str, Slip] = field(default_factory=dict)
    """Ask id → how its due date moved over its history (from git), when it did."""

    @property
    def waiting(self) -> list[Action]:
        """Open asks a client contact owes, overdue first, then by due date."""
        return _ordered([a for a in self.actions if a.is_open and not a.by_practice],
                        self.today)

    @property
    def overdue(self) -> list[Action]:
        """The overdue asks a client contact owes."""
        return [a for a in self.waiting if a.overdue(self.today)]

    @property
    def nearest(self) -> list[Action]:
        """The client's open asks with the nearest due dates (overdue ones first)."""
        return [a for a in self.waiting if a.due is not None][:NEAREST]

    @property
    def practice_open(self) -> list[Action]:
        """Open asks the practice owes the client."""
        return [a for a in self.actions if a.is_open and a.by_practice]

    def groups(self) -> list[tuple[str | None, list[Action]]]:
        """(owner, asks) for each owner: client contacts first, the one with the most
        pressing ask at the top, the practice (owner None) last; within an owner open asks
        overdue first, then by due date, then the closed ones."""
        owners: dict[str | None, list[Action]] = {}
        for action in self.actions:
            owners.setdefault(None if action.by_practice else action.owner, []).append(action)
        groups = [(owner, _ordered(items, self.today)) for owner, items in owners.items()]
        groups.sort(key=lambda g: (g[0] is None, _urgency(g[1][0], self.today), g[0] or ""))
        return groups


def _urgency(action: Action, today: dt.date) -> tuple[int, dt.date]:
    rank = 0 if action.overdue(today) else 1 if action.is_open else 2
    return rank, action.due or dt.date.max


def _ordered(actions: list[Action], today: dt.date) -> list[Action]:
    return sorted(actions, key=lambda a: (*_urgency(a, today), a.title))
