"""Benchmarks across the practice, against a hand computation on three clients."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from portico.content.load import load_practice
from portico.delivery.status import attach_histories
from portico.practice_portal.benchmarks import benchmarks, spread

TODAY = dt.date(2026, 3, 10)


def test_the_spread_is_the_inclusive_interquartile_range() -> None:
    assert spread([1, 2, 4]) == (1.5, 3.0)
    assert spread([3, 5]) == (3.5, 4.5)
    assert spread([7]) is None  # one client has no spread


def test_benchmark_medians_match_a_hand_computation(three_clients: Path, tmp_path: Path) -> None:
    practice = load_practice(three_clients)
    attach_histories(practice, TODAY, tmp_path)
    marks = benchmarks(practice.clients, TODAY)
    assert marks.clients == 3
    # Architecture: alpha 1, bravo 2, charlie 4 → median 2, quartiles 1.5 and 3;
    # targets 4, 4, 5 → 4. Security: 3 and 5 ("security " is the same area) → 4, 3.5–4.5.
    # Data: charlie alone, left out.
    by_area = {a.area: a for a in marks.areas}
    assert set(by_area) == {"Architecture", "Security"}
    assert (by_area["Architecture"].median, by_area["Architecture"].quartiles) == (2, (1.5, 3.0))
    assert by_area["Architecture"].target_median == 4 and by_area["Architecture"].clients == 3
    assert (by_area["Security"].median, by_area["Security"].quartiles) == (4, (3.5, 4.5))
    assert marks.areas_left_out == 1
    # Critical risks closed: alpha's 30 days, bravo's 60 and 29 → median 30, 29.5–45 days;
    # charlie's (16) is still open; alpha's internal RISK-2 scores 4, not critical.
    closings = marks.closings
    assert (closings.risks, closings.clients, closings.open_critical) == (3, 2, 1)
    assert closings.median_days == 30 and closings.quartiles == (29.5, 45.0)
    # FleetTrack at alpha (latest 99.0 missed) and bravo (latest met): 2 of 4 months missed.
    # Lonely Soft is alpha's alone: not benchmarked.
    (fleet,) = marks.vendors
    assert (fleet.vendor, fleet.clients, fleet.missing_latest) == ("FleetTrack", 2, 1)
    assert (fleet.months_missed, fleet.months_measured) == (2, 4)


def test_a_median_of_one_client_is_never_shown(three_clients: Path) -> None:
    practice = load_practice(three_clients)  # no history: no closing day is known
    alpha = [e for e in practice.clients if e.slug == "alpha"]
    marks = benchmarks(alpha, TODAY)
    assert marks.areas == [] and marks.areas_left_out == 2
    assert marks.closings.median_days is None and marks.vendors == []
