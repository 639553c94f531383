"""Anonymised benchmarks across the practice: maturity by assessment area, days to close a
critical risk, the same vendor's SLA misses at several clients. Pure functions of the
loaded engagements (with their git history attached, for the risks); no client is named.

Spread is the interquartile range: the first and third quartiles of
`statistics.quantiles(values, n=4, method="inclusive")`, which treats the clients as the
whole population (for 2, 3, 4 it gives 2.5 and 3.5). It is shown from two values on.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from portico.content import model as m
from portico.sections.vendors.model import Sla

__all__ = ["AreaBenchmark", "Benchmarks", "RiskClosing", "VendorMisses", "benchmarks",
           "critical_closings", "maturity_by_area", "spread", "vendor_misses"]

MIN_CLIENTS = 2
"""An area or a vendor is benchmarked only across this many clients or more: a median of
one client would be that client's own figure, which would name it to anyone who knows it."""
CRITICAL = 16  # a risk score in the critical band (16..25)


def spread(values: Sequence[float]) -> tuple[float, float] | None:
    """The first and third quartiles of `values` (inclusive method); None under two values."""
    if len(values) < 2:
        return None
    first, _median, third = statistics.quantiles(values, n=4, method="inclusive")
    return first, third


@dataclass(frozen=True)
class AreaBenchmark:
    """One assessment area across the clients that scored it."""

    area: str
    clients: int
    median: float
    quartiles: tuple[float, float] | None  # (first, third); None under two clients
    target_median: float | None  # the median target, across clients that set one


def maturity_by_area(engagements: Sequence[m.Engagement]) -> tuple[list[AreaBenchmark], int]:
    """Each area scored by MIN_CLIENTS clients or more (areas compared case- and
    space-insensitively; each client's first score of an area counts), by name; and how
    many areas fewer clients scored (left out)."""
    scores: dict[str, dict[str, float]] = {}
    targets: dict[str, dict[str, float]] = {}
    names: dict[str, str] = {}
    for e in engagements:
        part = e.parts.get("assessment")
        for row in getattr(part, "scores", ()):
            key = " ".join(str(row.area).split()).casefold()
            names.setdefault(key, " ".join(str(row.area).split()))
            scores.setdefault(key, {}).setdefault(e.slug, float(row.score))
            if row.target is not None:
                targets.setdefault(key, {}).setdefault(e.slug, float(row.target))
    found = []
    for key, by_client in scores.items():
        if len(by_client) < MIN_CLIENTS:
            continue
        values = sorted(by_client.values())
        aimed = list(targets.get(key, {}).values())
        found.append(AreaBenchmark(names[key], len(values), statistics.median(values),
                                   spread(values), statistics.median(aimed) if aimed else None))
    left_out = sum(1 for by_client in scores.values() if len(by_client) < MIN_CLIENTS)
    return sorted(found, key=lambda a: a.area.casefold()), left_out


@dataclass(frozen=True)
class RiskClosing:
    """Days from raising a critical risk to closing it, across the practice."""

    risks: int  # critical risks closed, whose closing day the history shows
    clients: int  # how many clients they belong to
    median_days: float | None
    quartiles: tuple[float, float] | None
    open_critical: int  # critical risks still open (not measured)


def critical_closings(engagements: Sequence[m.Engagement], today: dt.date) -> RiskClosing:
    """A risk counts when it scored CRITICAL or more at any point of its history (or today)
    and is closed today; the median is given across MIN_CLIENTS clients or more. It was
    raised on its `raised:` date, else the day its first commit shows it; it closed the day
    of the first commit that shows it closed, after which it stayed closed (today, when
    only the files being built close it). Without git history a closed risk's day is
    unknown: it is not counted."""
    from portico.portal.changes import timeline

    days: list[float] = []
    clients: set[str] = set()
    still_open = 0
    for e in engagements:
        steps = timeline(e.history)
        for risk in e.parts.get("risks") or []:
            key = ("risks", risk.id)
            seen = [(revision.day, traces[key]) for revision, traces in steps if key in traces]
            peak = max([risk.score, *(t.score or 0 for _, t in seen)])
            if peak < CRITICAL:
                continue
            if risk.is_open:
                still_open += 1
                continue
            closed: dt.date | None = None
            for day, trace in seen:  # reopened: the last closing counts
                closed = (closed or day) if trace.state == "closed" else None
            if closed is None and seen:  # closed in the files being built: today
                closed = today
            raised = risk.raised or (seen[0][0] if seen else None)
            if closed is None or raised is None or closed < raised:
                continue
            days.append(float((closed - raised).days))
            clients.add(e.slug)
    if len(clients) < MIN_CLIENTS:  # one client's figure would be told as the practice's
        return RiskClosing(len(days), len(clients), None, None, still_open)
    return RiskClosing(len(days), len(clients), statistics.median(days), spread(days),
                       still_open)


@dataclass(frozen=True)
class VendorMisses:
    """One vendor used by several clients: how its service levels fared at each."""

    vendor: str
    clients: int
    missing_latest: int  # clients where a service level's latest month missed its target
    months_missed: int  # monthly values that missed, over every client and service level
    months_measured: int


def vendor_misses(engagements: Sequence[m.Engagement]) -> list[VendorMisses]:
    """Vendors (the same name, case- and space-insensitively) in the registers of
    MIN_CLIENTS clients or more, with service levels measured at one of them at least."""
    by_vendor: dict[str, dict[str, list[Sla]]] = {}
    names: dict[str, str] = {}
    for e in engagements:
        for vendor in getattr(e.parts.get("vendors"), "vendors", []):
            key = " ".join(vendor.name.split()).casefold()
            names.setdefault(key, " ".join(vendor.name.split()))
            by_vendor.setdefault(key, {}).setdefault(e.slug, []).extend(vendor.sla)
    found = []
    for key, by_client in by_vendor.items():
        if len(by_client) < MIN_CLIENTS:
            continue
        slas = [sla for levels in by_client.values() for sla in levels]
        values = [(sla, v) for sla in slas for v in sla.values.values()]
        if not values:
            continue
        missing = sum(1 for levels in by_client.values()
                      if any(sla.latest_met is False for sla in levels))
        found.append(VendorMisses(names[key], len(by_client), missing,
                                  sum(1 for sla, v in values if not sla.met(float(v))),
                                  len(values)))
    return sorted(found, key=lambda v: v.vendor.casefold())


@dataclass(frozen=True)
class Benchmarks:
    """Everything the benchmarks page shows."""

    clients: int
    areas: list[AreaBenchmark]
    areas_left_out: int
    closings: RiskClosing
    vendors: list[VendorMisses]
    vendors_shared: int  # vendors in MIN_CLIENTS registers or more, measured or not


def benchmarks(engagements: Sequence[m.Engagement], today: dt.date) -> Benchmarks:
    """The benchmarks across `engagements` (internal items included: the page is the CTO's)."""
    areas, left_out = maturity_by_area(engagements)
    shared: dict[str, set[str]] = {}
    for e in engagements:
        for vendor in getattr(e.parts.get("vendors"), "vendors", []):
            shared.setdefault(" ".join(vendor.name.split()).casefold(), set()).add(e.slug)
    return Benchmarks(len(engagements), areas, left_out, critical_closings(engagements, today),
                      vendor_misses(engagements),
                      sum(1 for slugs in shared.values() if len(slugs) >= MIN_CLIENTS))
