"""The CTO's week across clients: what needs attention in each engagement, from the
loaded models and the site's verify record. Pure reads; `portico status` prints it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from portico.content import model as m
from portico.delivery.verify_record import RECORD, read_record
from portico.sections.cadences.measure import CadenceState, late_cadences
from portico.sections.cadences.section import cadence_states
from portico.sections.engagement.model import TimeLog
from portico.sections.engagement.view import engagement_view
from portico.sections.meetings.view import MeetingsView

STALE_PROPOSAL_DAYS = 30
NOTICE_DAYS = 60
RISK_THRESHOLD = 16  # a score (likelihood × impact) in the critical band, 16..25
_BOARD_PACK = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


@dataclass(frozen=True)
class ClientStatus:
    """One client's line of `portico status`."""

    slug: str
    name: str
    phase: str | None
    last_build: str | None  # when its portal last passed verify (UTC, ISO), None if never
    reviews_overdue: list[str]  # risk ids
    stale_proposals: list[str]  # decision numbers proposed more than 30 days ago
    notices_due: list[str]  # vendor ids whose notice deadline is within 60 days or passed
    kpis_off_target: list[str]  # KPI ids
    next_board_pack: str | None  # date of the next board/YYYY-MM-DD-*.md on or after today
    asks_overdue: list[str] = field(default_factory=list)  # open asks past due (actions.yml)
    days_used: float | None = None  # time.csv, in days, internal entries included
    days_agreed: float | None = None  # agreed to the end of the current month (commitment)
    renewal: str | None = None  # the engagement's renewal date, when it or its notice date
    # is within 60 days (or the notice date has passed before the renewal)
    next_meeting: str | None = None  # "YYYY-MM-DD HH:MM" (or the day alone): meetings.yml's
    # next meeting or a board meeting, internal ones included, cancelled ones not
    late_cadences: list[str] = field(default_factory=list)  # promises late or missed, shown
    # or not: "status-note late since 2026-11-27" (see sections/cadences/measure.py)
    risks_above_threshold: list[str] = field(default_factory=list)  # open risks scoring
    # RISK_THRESHOLD or more (the critical band)
    items_moved: list[str] | None = None  # roadmap items, milestones and asks whose promised
    # date moved (portal.slips); None when the client's git history was not read

    @property
    def overdue(self) -> bool:
        """Something is past due: a risk review, a stale proposal, a vendor notice, an ask
        (either side's), a promise (cadence) or the engagement's own renewal."""
        return bool(self.reviews_overdue or self.stale_proposals or self.notices_due
                    or self.asks_overdue or self.renewal or self.late_cadences)

    def as_json(self) -> dict[str, object]:
        """The line as plain data, `overdue` included."""
        return {**asdict(self), "overdue": self.overdue}


def client_status(e: m.Engagement, verified: dict[str, str], today: dt.date) -> ClientStatus:
    """What needs attention in one engagement (internal items count: this is the CTO's view).

    `verified`: slug → when its portal last passed verify (see `verified_times`)."""
    risks = e.parts.get("risks") or []
    decisions = e.parts.get("decisions") or []
    vendors = getattr(e.parts.get("vendors"), "vendors", [])
    kpis = e.parts.get("kpis") or []
    terms = engagement_view(e.client.engagement, e.parts.get("engagement") or TimeLog(), today)
    renewal = e.client.engagement.renewal
    renewing = renewal is not None and (terms.notice is not None or 0 <= (
        renewal - today).days <= NOTICE_DAYS)
    return ClientStatus(
        slug=e.slug,
        name=e.client.name,
        phase=e.client.engagement.phase,
        last_build=verified.get(e.slug),
        reviews_overdue=[r.id for r in risks if r.is_open and r.review and r.review < today],
        stale_proposals=[d.number for d in decisions if d.status == "proposed" and d.date
                         and (today - d.date).days > STALE_PROPOSAL_DAYS],
        notices_due=[v.id for v in vendors if v.notice_flag(today)],
        kpis_off_target=[k.id for k in kpis if k.off_target(today)],
        next_board_pack=_next_board_pack(e.root, today),
        asks_overdue=[a.id for a in e.parts.get("actions") or [] if a.overdue(today)],
        days_used=terms.used if terms.months else None,
        days_agreed=terms.agreed if terms.months else None,
        renewal=renewal.isoformat() if renewing and renewal else None,
        next_meeting=_next_meeting(e, today),
        late_cadences=[_late(s) for s in late_cadences(cadence_states(e, today, visible=False))],
        risks_above_threshold=[r.id for r in risks if r.is_open and r.score >= RISK_THRESHOLD],
        items_moved=_items_moved(e, today),
    )


@dataclass(frozen=True)
class Column:
    """One column of the status table, as `portico status` and the practice portal show it:
    a heading and the cell's text. A new ClientStatus field is one more Column."""

    heading: str
    cell: Callable[[ClientStatus], str]


def _listed(items: list[str] | None) -> str:
    return "–" if not items else ", ".join(items)


def days_text(used: float | None, agreed: float | None) -> str:
    """"79.3 / 87.6": days used against days agreed to the end of the month."""
    if used is None:
        return "–"
    return f"{used:g} / {agreed:g}" if agreed is not None else f"{used:g}"


ATTENTION: tuple[Column, ...] = (
    Column("Reviews overdue", lambda s: _listed(s.reviews_overdue)),
    Column("Risks above threshold", lambda s: _listed(s.risks_above_threshold)),
    Column("Stale proposals", lambda s: _listed(s.stale_proposals)),
    Column("Notices due", lambda s: _listed(s.notices_due)),
    Column("KPIs off target", lambda s: _listed(s.kpis_off_target)),
    Column("Asks overdue", lambda s: _listed(s.asks_overdue)),
    Column("Late cadences", lambda s: _listed(s.late_cadences)),
    Column("Items moved", lambda s: "not read" if s.items_moved is None
           else _listed(s.items_moved)),
    Column("Next meeting", lambda s: s.next_meeting or "–"),
    Column("Next board pack", lambda s: s.next_board_pack or "–"),
    Column("Days used / agreed", lambda s: days_text(s.days_used, s.days_agreed)),
    Column("Renewal", lambda s: s.renewal or "–"),
)
"""What needs attention, in the order both tables show it (after the client's name)."""


def _items_moved(e: m.Engagement, today: dt.date) -> list[str] | None:
    """Ids of the roadmap items and asks, and titles of the milestones, whose promised date
    moved in git (what the roadmap and asks pages show as slips); None without history."""
    if e.history is None:
        return None
    from portico.sections import registered

    moved: list[str] = []
    for section in registered():
        if section.name in ("roadmap", "actions"):
            view = section.view(e, e.parts.get(section.name), today)
            moved += [*getattr(view, "slips", {}), *getattr(view, "milestone_slips", {})]
    return moved


def attach_histories(practice: m.Practice, today: dt.date, scratch: Path) -> None:
    """Give every engagement its git history (for `items_moved`), read through a cache of
    its own per client (`.portico-cache/history/_all--<slug>.json`): a client view's portal
    caches its history seen through the view, and this one is the whole client's.
    `scratch` is a private plain-text folder (delivery.workdir.plain_folder)."""
    from portico.content.history import read_history
    from portico.delivery.cache import CACHE_DIR
    from portico.portal.changes import attach

    for e in practice.clients:
        attach(e, read_history(practice.root, e.slug, today, scratch=scratch / e.slug,
                               cache_file=practice.root / CACHE_DIR / "history"
                               / f"_all--{e.slug}.json"))


def _late(state: CadenceState) -> str:
    """"status-note late since 2026-11-27", with the vendors behind for a vendor review."""
    due = state.due.isoformat() if state.due else "the start"
    vendors = f" ({', '.join(state.vendors)})" if state.vendors else ""
    return f"{state.what} {state.state} since {due}{vendors}"


def verified_times(site_root: Path) -> dict[str, str]:
    """slug → when its portal last passed verify (UTC, ISO), for portals still on disk
    as verified; read from the site's verify record once."""
    import json

    if not site_root.is_dir():
        return {}
    current = read_record(site_root)
    try:
        portals = json.loads((site_root / RECORD).read_text("utf-8"))["portals"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {slug: str(entry["verified_at"]) for slug, entry in portals.items()
            if slug in current and isinstance(entry, dict) and "verified_at" in entry}


def _next_board_pack(folder: Path, today: dt.date) -> str | None:
    dates = []
    for path in (folder / "board").glob("*.md") if (folder / "board").is_dir() else ():
        match = _BOARD_PACK.match(path.name)
        if match:
            try:
                day = dt.date.fromisoformat(match.group(1))
            except ValueError:
                continue
            if day >= today:
                dates.append(day)
    return min(dates).isoformat() if dates else None


def _next_meeting(e: m.Engagement, today: dt.date) -> str | None:
    part = e.parts.get("meetings")
    if part is None:
        return None
    view = MeetingsView(today, part.timezone, cadences=list(part.cadences),
                        meetings=list(part.meetings), board=list(e.parts.get("board") or []))
    soonest = view.next[0] if view.next else None
    if soonest is None:
        return None
    return soonest.day.isoformat() + (f" {soonest.time:%H:%M}" if soonest.time else "")


def practice_status(practice: m.Practice, site_root: Path, today: dt.date) -> list[ClientStatus]:
    """Every client's status, in slug order."""
    verified = verified_times(site_root)
    return [client_status(e, verified, today)
            for e in sorted(practice.clients, key=lambda c: c.slug)]
