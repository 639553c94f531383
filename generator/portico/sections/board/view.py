"""A board pack assembled from the engagement as it stood on the pack's date.

"As it stood" is the client's files at the last commit on or before that date (read from
git by content.history); a pack dated today or later, or a portal built outside git, is
assembled from the current files. Every part comes from the ordinary section views of
that state, so internal items of the time are gone; an item that is not client-visible
*today* is left out of every pack, old ones included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portico.content.history import Revision
from portico.content.model import Engagement
from portico.portal.slips import DateMove, pack_moves
from portico.sections.board.model import BoardPack

TOP_RISKS = 5
# The sections a pack draws on (as they stood on the meeting's day).
STATE_SECTIONS = ("roadmap", "risks", "kpis", "decisions", "vendors", "actions", "assessment")
# The roadmap's own labels, so the pack and the Roadmap page never name one status twice.
RAG = (("done", "Done"), ("on-track", "In progress"), ("at-risk", "At risk"),
       ("blocked", "Blocked"), ("not-started", "Planned"))
# "On track" is started work going to plan; planned work has not started, so it is counted
# apart rather than padding the good news. Dropped work is not reported.
_RAG_OF = {"done": "done", "planned": "not-started", "in-progress": "on-track",
           "at-risk": "at-risk", "blocked": "blocked"}


def rag(status: str) -> str | None:
    """A roadmap status as the board reads it: done, on track (started), at risk, blocked
    or not started."""
    return _RAG_OF.get(status)


def next_quarter_end(day: dt.date) -> dt.date:
    """The last day of the calendar quarter after `day`'s: a quarterly board's horizon."""
    after_next = day.year * 4 + (day.month - 1) // 3 + 2  # quarters counted from year 0
    first_after = dt.date(after_next // 4, 3 * (after_next % 4) + 1, 1)
    return first_after - dt.timedelta(days=1)


@dataclass
class State:
    """The engagement at one pack's date and the views of it the pack draws on."""

    engagement: Engagement | None  # None: git holds no record of that day (see `unrecorded`)
    revision: Revision | None  # None: the current files, or no record
    day: dt.date
    views: dict[str, Any] = field(default_factory=dict)
    # The day the state stands for: the meeting's, or today for a pack still to come (its
    # asks are read as of today; an ask due before the meeting is not overdue yet).
    as_of: dt.date | None = None

    @property
    def read_on(self) -> dt.date:
        return self.as_of or self.day

    @property
    def unrecorded(self) -> bool:
        """The meeting predates the client's history in git (or no commit of then loads)."""
        return self.engagement is None


Allowed = Callable[[tuple[str, str], "Revision | None"], bool]
"""Whether today's item (section, id) may show in the state of a revision: visible today,
and the same item then (its current run of revisions reaches back that far)."""


@dataclass
class RiskLine:
    risk: Any
    then: int | None  # its score at the previous pack; None when new since (or no pack)


@dataclass
class ItemLine:
    item: Any
    rag: str
    then: str | None  # its status at the previous pack, when it has moved since
    end_moved: DateMove | None = None  # its end, moved since the previous pack


@dataclass
class AskLine:
    """An ask in a pack: its state at the previous pack (None: opened since) and at this one,
    each "open", "overdue", "done" or "dropped" as of that meeting's day."""

    action: Any
    then: str | None
    now: str
    due_moved: DateMove | None = None  # its due date, moved since the previous pack


@dataclass
class SuccessLine:
    """A decision's success test at this pack: its verdict now and at the previous pack
    (None: no previous pack, or the test was not there then)."""

    decision: Any
    verdict: Any  # decisions.success.Verdict, as the KPI's data stood on the meeting's day
    then: str | None


@dataclass
class AreaLine:
    """A maturity area re-scored since the previous pack."""

    area: Any
    then: int


@dataclass
class NoticeLine:
    vendor: Any
    deadline: dt.date
    passed: bool  # the deadline has passed and the contract renews by itself


@dataclass
class PackView:
    """Everything one pack page shows, in the board's order."""

    pack: BoardPack
    state: State
    previous: BoardPack | None
    kpis: list[Any]
    decisions: list[Any]
    items: list[ItemLine]
    risks: list[RiskLine]
    notices: list[NoticeLine]
    horizon: dt.date  # vendor notices up to this day are listed
    carried: list[AskLine] = field(default_factory=list)  # open at the previous pack
    opened: list[AskLine] = field(default_factory=list)  # new since (or open, at the first)
    pdf: str | None = None  # the PDF's download name, when one is printed
    success: list[SuccessLine] = field(default_factory=list)  # every judged decision
    rescored: list[AreaLine] = field(default_factory=list)  # since the previous pack
    scored: bool = False  # the state had a maturity scorecard
    # The sections the pack's portal shows: a view without vendors (or KPIs, risks, the
    # roadmap, decisions) leaves that part of the pack out rather than claim there is none.
    covers: frozenset[str] = frozenset(STATE_SECTIONS)

    @property
    def rag_counts(self) -> list[tuple[str, str, int]]:
        return [(key, label, sum(1 for i in self.items if i.rag == key)) for key, label in RAG]

    @property
    def named_kpis(self) -> bool:
        """Whether the pack names KPIs at all (some may have no value by the meeting)."""
        return bool(self.pack.kpis)

    @property
    def moved(self) -> list[ItemLine]:
        return [i for i in self.items if i.then is not None]

    @property
    def slipped(self) -> list[ItemLine]:
        """Items whose end moved since the previous pack, the largest move first."""
        return sorted((i for i in self.items if i.end_moved is not None),
                      key=lambda i: (-abs(i.end_moved.days) if i.end_moved else 0,
                                     i.item.title))


def assemble(pack: BoardPack, state: State, previous: tuple[BoardPack, State] | None,
             allowed: Allowed) -> PackView:
    """One pack from its state and the previous pack's (whose values are "then")."""
    views = state.views
    at = state.revision
    recorded = previous is not None and not previous[1].unrecorded
    before = previous[1].views if previous and recorded else {}
    then_at = previous[1].revision if previous else None

    roadmap = views.get("roadmap")
    then_items = {i.id: i for i in before["roadmap"].items
                  if allowed(("roadmap", i.id), then_at)} if before else {}
    then_status = {i.id: i.status for i in then_items.values()}
    items = []
    for item in (roadmap.items if roadmap else []):
        if not allowed(("roadmap", item.id), at):
            continue
        then = then_status.get(item.id)
        moved = then if recorded and then != item.status else None
        if recorded and item.id not in then_status:
            moved = "new"
        shown = rag(item.status)
        if shown is None and moved is None:
            continue  # dropped work is not reported, unless it was dropped since
        end = pack_moves(then_items[item.id], item, ("end",)) if item.id in then_items else []
        items.append(ItemLine(item, shown or "dropped", moved, end[0] if end else None))

    risks_view = views.get("risks")
    then_score = {r.id: r.score for r in before["risks"].listed
                  if allowed(("risks", r.id), then_at)} if before else {}
    risks = [RiskLine(r, then_score.get(r.id))
             for r in (risks_view.open if risks_view else [])
             if allowed(("risks", r.id), at)][:TOP_RISKS]

    month = state.day.strftime("%Y-%m")
    kpis = []
    for kpi_id in pack.kpis:
        kpi = next((k for k in views.get("kpis") or [] if k.id == kpi_id), None)
        if kpi is not None and allowed(("kpis", kpi.id), at):
            values = {m: v for m, v in kpi.values.items() if m <= month}
            if values:
                kpis.append(kpi.model_copy(update={"values": values}))

    decisions_view = views.get("decisions")
    shown_decisions = {d.number: d for d in (decisions_view.shown if decisions_view else [])}
    decisions = [shown_decisions[n] for n in pack.decisions
                 if n in shown_decisions and allowed(("decisions", n), at)]

    success = _success(decisions_view, before.get("decisions"), at, then_at, allowed)
    rescored, scored = _rescored(views.get("assessment"), before.get("assessment"), at,
                                 then_at, allowed)

    horizon = next_quarter_end(state.day)
    notices = []
    vendors = views.get("vendors")
    for vendor in (vendors.vendors if vendors else []):
        deadline = vendor.contract.notice_deadline if vendor.contract else None
        if deadline is None or vendor.status == "exited" or not allowed(("vendors", vendor.id),
                                                                         at):
            continue
        passed = deadline < state.day
        if (passed and vendor.contract.auto_renew and vendor.contract.end >= state.day) or (
                not passed and deadline <= horizon):
            notices.append(NoticeLine(vendor, deadline, passed))
    notices.sort(key=lambda n: (n.deadline, n.vendor.name))
    carried, opened = _asks(views.get("actions"), before.get("actions"), at, then_at, allowed,
                            state.read_on, previous[1].read_on if previous else None)
    return PackView(pack, state, previous[0] if previous else None, kpis, decisions, items,
                    risks, notices, horizon, carried, opened, success=success,
                    rescored=rescored, scored=scored)


def _success(now_view: Any, then_view: Any, at: Revision | None, then_at: Revision | None,
             allowed: Allowed) -> list[SuccessLine]:
    """Every shown decision's success tests, judged on the meeting's day, with the verdict
    at the previous pack (the same test: the same decision and KPI)."""
    if now_view is None:
        return []
    then: dict[tuple[str, str], str] = {}
    if then_view is not None:
        for d in then_view.shown:
            if allowed(("decisions", d.number), then_at):
                for v in then_view.verdicts.get(d.number, ()):
                    then[(d.number, v.criterion.kpi)] = v.state
    return [SuccessLine(d, v, then.get((d.number, v.criterion.kpi)))
            for d in now_view.shown if allowed(("decisions", d.number), at)
            for v in now_view.verdicts.get(d.number, ())]


def _rescored(now_view: Any, then_view: Any, at: Revision | None, then_at: Revision | None,
              allowed: Allowed) -> tuple[list[AreaLine], bool]:
    """(the areas whose score moved since the previous pack, whether there is a scorecard)."""
    if now_view is None or not now_view.scores:
        return [], False
    then = {a.area: int(a.score) for a in (then_view.scores if then_view else [])
            if allowed(("assessment", a.area), then_at)}
    return [AreaLine(a, then[a.area]) for a in now_view.scores
            if allowed(("assessment", a.area), at) and a.area in then
            and then[a.area] != int(a.score)], True


def _asks(now_view: Any, then_view: Any, at: Revision | None, then_at: Revision | None,
          allowed: Allowed, day: dt.date, then_day: dt.date | None
          ) -> tuple[list[AskLine], list[AskLine]]:
    """(carried forward, opened since): the asks open at the previous pack with their state
    then and now, and the asks that did not exist then (at a first pack: those open)."""
    if now_view is None:
        return [], []
    then = {a.id: a for a in (then_view.actions if then_view else [])
            if allowed(("actions", a.id), then_at)}
    carried, opened = [], []
    for action in now_view.actions:
        if not allowed(("actions", action.id), at):
            continue
        before = then.get(action.id)
        if before is not None and then_day is not None:
            if before.is_open:
                due = pack_moves(before, action, ("due",))
                carried.append(AskLine(action, before.state(then_day), action.state(day),
                                       due[0] if due else None))
        elif then_view is not None or action.is_open:
            opened.append(AskLine(action, None, action.state(day)))
    order = {"overdue": 0, "open": 1, "done": 2, "dropped": 3}
    for lines in (carried, opened):
        lines.sort(key=lambda line: (order.get(line.now, 4), line.action.due or dt.date.max,
                                     line.action.title))
    return carried, opened
