"""The CTO's week across clients: what needs attention in each engagement, from the
loaded models and the site's verify record. Pure reads; `portico status` prints it."""

from __future__ import annotations

import datetime as dt
import re
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
    )


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
