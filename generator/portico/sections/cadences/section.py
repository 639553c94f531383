"""Cadences as a section: the promises of mkdocs.yml `extra.practice.cadences` and client.yml
`cadences`, measured from the notes, risks, board packs and vendors → the "Engagement
health" card on the client's home page (the promises marked `shown: true` only)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portico.content.cadences import Promise, merged, read_cadences
from portico.content.model import Engagement
from portico.content.practice import practice_cadences
from portico.sections.base import Section
from portico.sections.cadences.measure import (
    CadenceState,
    Evidence,
    VendorDeadline,
    measure_cadences,
)

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter

CLIENT = "client.yml"
_REVIEWED_VENDORS = ("onboarding", "active", "exiting")


def cadence_states(e: Engagement, today: dt.date, *, visible: bool) -> list[CadenceState]:
    """Every promise of the engagement as it stands on `today`.

    `visible`: measure from client-visible items only (what the client received: the home
    page); False counts internal items too (the CTO's `portico status`)."""
    promises: list[Promise] = e.parts.get("cadences") or []
    return measure_cadences([p.spec for p in promises], evidence_of(e, visible=visible),
                            e.client.engagement.start, today, e.client.engagement.end)


def evidence_of(e: Engagement, *, visible: bool) -> Evidence:
    """The dates the engagement's files keep promises with; `visible`: internal items left out."""
    def shown(item: Any) -> bool:
        return not (visible and getattr(item, "internal", False))

    notes = [n for n in e.parts.get("notes") or [] if not (visible and n.doc.internal)]
    risks = [r for r in e.parts.get("risks") or [] if shown(r)]
    packs = [p for p in e.parts.get("board") or [] if shown(p)]
    register = e.parts.get("vendors")
    vendors = [v for v in getattr(register, "vendors", []) if shown(v)]
    reviews = [n for n in notes if n.kind == "vendor-review"]
    deadlines = []
    for v in vendors:
        deadline = v.contract.notice_deadline if v.contract else None
        if deadline is None or v.status not in _REVIEWED_VENDORS:
            continue
        names = (v.id.casefold(), v.name.casefold())
        days = [n.date for n in reviews
                if any(name in f"{n.doc.title}\n{n.doc.body}".casefold() for name in names)]
        days += [v.reviewed] if v.reviewed else []
        deadlines.append(VendorDeadline(v.id, deadline, tuple(sorted(days))))
    return Evidence(
        status_notes=tuple(n.date for n in notes if n.kind == "status"),
        risk_reviews=tuple(r.reviewed for r in risks if r.reviewed),
        board_packs=tuple(p.date for p in packs),
        vendors=tuple(deadlines),
    )


class CadencesSection(Section):
    """Promises (cadences): no page of its own, an "Engagement health" card on home."""

    name = "cadences"
    title = "Engagement health"
    home_rank = 9  # beside the engagement's terms

    def load(self, folder: Path, loader: Loader) -> list[Promise]:
        doc = loader.docs.get((folder / CLIENT).as_posix())
        if doc is None or not isinstance(doc.data, dict):
            return merged(practice_cadences(loader.root), [])
        own, problems = read_cadences(doc.data.get("cadences"), loader.rel(folder / CLIENT),
                                      ("cadences",), doc.line_of)
        loader.problems.extend(problems)
        return merged(practice_cadences(loader.root), own)

    def view(self, e: Engagement, part: list[Promise], today: dt.date) -> list[CadenceState]:
        if not any(p.spec.shown for p in part or []):
            return []
        return [s for s in cadence_states(e, today, visible=True) if s.shown]

    def home_card(self, view: list[CadenceState], writer: PageWriter) -> str | None:
        if not view:
            return None
        return writer.render_template("cadences/home_card.md.j2", cadences=view)


__all__ = ["CadencesSection", "cadence_states", "evidence_of"]
