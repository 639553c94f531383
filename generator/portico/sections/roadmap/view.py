"""What the client sees of the roadmap: visible items, lanes in order, milestones by date."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from portico.portal.slips import Slip, weeks_text
from portico.sections.base import REGISTER_LIMIT
from portico.sections.roadmap.model import STATUSES, Milestone, Roadmap, RoadmapItem


@dataclass
class RoadmapView:
    """The client-visible roadmap."""

    today: dt.date
    items: list[RoadmapItem]
    milestones: list[Milestone]  # by date
    workstreams: list[str]  # the file's order, then any others as they first appear
    history: dict[str, list[tuple[dt.date, str]]] = field(default_factory=dict)
    """Item id → its status at each commit where it changed (from git), when it has moved."""
    slips: dict[str, list[Slip]] = field(default_factory=dict)
    """Item id → how its end (then its start) moved over its history, when one did."""
    milestone_slips: dict[str, Slip] = field(default_factory=dict)
    """Milestone title → how its date moved over its history, when it did."""

    @property
    def paged(self) -> bool:
        """Whether the roadmap is large enough (REGISTER_LIMIT) for a page per item: the
        roadmap page then keeps the timeline and the table, not every item's details."""
        return len(self.items) > REGISTER_LIMIT

    def end_slip(self, item: RoadmapItem) -> Slip | None:
        """How the item's end moved, if it did."""
        return next((s for s in self.slips.get(item.id, []) if s.name == "end"), None)

    def slipped(self) -> list[tuple[str, int, str]]:
        """(workstream, items whose end moved, their net move in weeks) per workstream in
        lane order, workstreams where nothing moved left out; items without a workstream
        last, as "No workstream"."""
        found: dict[str, list[int]] = {}
        for item in self.items:
            slip = self.end_slip(item)
            if slip is not None:
                found.setdefault(item.workstream or "", []).append(slip.days)
        order = [*self.workstreams, ""]
        return [(lane or "No workstream", len(found[lane]), weeks_text(sum(found[lane])))
                for lane in order if lane in found]

    @property
    def dated_items(self) -> list[RoadmapItem]:
        """Items drawn on the timeline."""
        return [i for i in self.items if i.dated]

    def dependencies(self, item: RoadmapItem) -> list[RoadmapItem]:
        """The client-visible items `item` depends on, in the order it names them."""
        by_id = {i.id: i for i in self.items}
        return [by_id[d] for d in item.depends_on if d in by_id]

    def horizon(self, name: str) -> list[RoadmapItem]:
        """Undated items in the now / next / later column (undated without horizon: later)."""
        return [i for i in self.items if not i.dated and (i.horizon or "later") == name]

    def statuses(self) -> list[tuple[str, int]]:
        """Roadmap items per status, in the content model's order."""
        counts = Counter(i.status for i in self.items)
        return [(s, counts[s]) for s in STATUSES if counts[s]]

    @property
    def progress(self) -> int:
        """Percent of roadmap items done, dropped items not counted."""
        live = [i for i in self.items if i.status != "dropped"]
        done = [i for i in live if i.status == "done"]
        return round(100 * len(done) / len(live)) if live else 0


def roadmap_view(roadmap: Roadmap | None, today: dt.date) -> RoadmapView:
    """Internal items and milestones dropped; lanes in the file's order, then as they appear."""
    roadmap = roadmap or Roadmap()
    items = [i for i in roadmap.items if not i.internal]
    workstreams = list(roadmap.workstreams)
    for item in items:
        if item.workstream and item.workstream not in workstreams:
            workstreams.append(item.workstream)
    milestones = sorted((ms for ms in roadmap.milestones if not ms.internal),
                        key=lambda ms: ms.date)
    return RoadmapView(today, items, milestones, workstreams)
