"""Shared chart machinery: the status bar, and palettes covering every band and status."""

from __future__ import annotations

from svg_support import NS, parse, titles

from portico.portal import charts
from portico.sections.risks.model import BANDS
from portico.sections.roadmap.chart import (
    STATUS_MARKS,
)
from portico.sections.roadmap.model import STATUSES


def test_status_bar_segments_in_order_with_titles_and_legend() -> None:
    counts = [("done", 4), ("in-progress", 2), ("blocked", 0), ("planned", 6)]
    root = parse(charts.status_bar_svg(counts, label="Roadmap & items"))
    assert titles(root)[0] == "Roadmap & items"
    segments = [g.find(f"{NS}title").text for g in root.iter(f"{NS}g")  # type: ignore[union-attr]
                if g.find(f"{NS}title") is not None]
    assert segments == ["Done: 4", "In progress: 2", "Planned: 6"]  # the client's words
    fills = [r.get("fill") for r in root.iter(f"{NS}rect")]
    assert charts.STATUS_COLOURS["done"] in fills and charts.STATUS_COLOURS["planned"] in fills
    text = [" ".join(t.itertext()) for t in root.iter(f"{NS}text")]
    assert {"Done 4", "Blocked 0", "Planned 6", "12 in total"} <= set(text)


def test_status_bar_of_nothing_is_still_a_chart() -> None:
    parse(charts.status_bar_svg([("open", 0)], label="Risks"))


def test_colours_cover_every_band_and_status() -> None:
    assert set(charts.BAND_COLOURS) == set(BANDS)
    assert set(charts.STATUS_COLOURS) == set(STATUSES) == set(STATUS_MARKS)
