"""Charts: inline SVG that is well-formed, escaped, linked, and places what the model says."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portico.portal import charts
from portico.sections.assessment.chart import scorecard_svg
from portico.sections.assessment.model import ScoreArea
from portico.sections.risks.chart import heatmap_cells, heatmap_svg
from portico.sections.risks.model import BANDS, Risk
from portico.sections.roadmap.chart import (
    STATUS_MARKS,
    TimelineLayout,
    timeline_layout,
    timeline_svg,
)
from portico.sections.roadmap.model import STATUSES, Milestone, RoadmapItem

NS = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2026, 5, 12)


def risk(id: str, likelihood: int, impact: int, **extra: Any) -> Risk:
    return Risk(id=id, title=extra.pop("title", f"Risk {id}"), likelihood=likelihood,
                      impact=impact, status="open", owner="CTO", **extra)


def item(id: str, status: str = "planned", **extra: Any) -> RoadmapItem:
    return RoadmapItem(id=id, title=extra.pop("title", f"Item {id}"), status=status, **extra)


def parse(svg: str) -> ET.Element:
    """The SVG as XML: it must be one well-formed element, Markdown-safe."""
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "\n\n" not in svg and "<?xml" not in svg
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("aria-labelledby") and root.find(f"{NS}title") is not None
    assert root.find(f"{NS}desc") is not None
    return root


def titles(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}title")]


def links(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("href", ""): a for a in root.iter(f"{NS}a")}


RISKS = [
    risk("RISK-001", 4, 5, residual_likelihood=2, residual_impact=4),
    risk("RISK-002", 3, 3),
    risk("RISK-003", 3, 3),
    risk("RISK-004", 5, 1, residual_likelihood=5, residual_impact=1),  # unchanged: no arrow
    risk("RISK-005", 1, 2),
]


def heatmap(risks: list[Risk]) -> ET.Element:
    return parse(heatmap_svg(risks, link=lambda r: f"risks/{r.id.lower()}/"))


# --- Heat map ------------------------------------------------------------------------


def test_heatmap_cells_hold_the_ids_at_their_inherent_position() -> None:
    cells = heatmap_cells(RISKS)
    assert len(cells) == 25
    assert {cell: ids for cell, ids in cells.items() if ids} == {
        (4, 5): ["RISK-001"], (3, 3): ["RISK-002", "RISK-003"], (5, 1): ["RISK-004"],
        (1, 2): ["RISK-005"],
    }
    assert sum(len(ids) for ids in cells.values()) == len(RISKS)


def test_heatmap_chip_links_to_each_risk_with_its_score_in_the_title() -> None:
    root = heatmap(RISKS)
    assert set(links(root)) == {f"risks/risk-00{n}/" for n in range(1, 6)}
    inherent = [a for a in root.iter(f"{NS}a") if "residual" not in a.get("class", "")]
    assert len(inherent) == len(RISKS)
    first = next(a for a in inherent if a.get("href") == "risks/risk-001/")
    assert first.findtext(f"{NS}title") == (
        "RISK-001: Risk RISK-001, score 20 (critical); residual 8 (medium)")


def test_heatmap_residual_chip_and_dashed_arrow_for_a_moved_risk() -> None:
    root = heatmap(RISKS)
    residual = [a for a in root.iter(f"{NS}a") if "chip--residual" in a.get("class", "")]
    assert [a.get("href") for a in residual] == ["risks/risk-001/"]  # RISK-004 did not move
    assert residual[0].find(f"{NS}rect").get("stroke-dasharray")  # type: ignore[union-attr]
    arrows = [line for line in root.iter(f"{NS}line") if line.get("marker-end")]
    assert len(arrows) == 1
    arrow = arrows[0]
    # From (4, 5) up right to (2, 4) down left: the arrow points down and to the left.
    assert float(arrow.get("x2", 0)) < float(arrow.get("x1", 0))
    assert float(arrow.get("y2", 0)) > float(arrow.get("y1", 0))
    assert any(m.get("id", "").endswith("-head") for m in root.iter(f"{NS}marker"))


def test_heatmap_crowded_cell_shows_three_chips_and_the_count_of_the_rest() -> None:
    crowd = [risk(f"R{n}", 3, 3) for n in range(6)]
    root = heatmap(crowd)
    assert len(links(root)) == 3
    more = [t for t in root.iter(f"{NS}text") if "more" in "".join(t.itertext())]
    assert len(more) == 1 and "+3 more" in "".join(more[0].itertext())
    assert "Also here: R3, R4, R5" in titles(root)


def test_heatmap_escapes_a_hostile_title() -> None:
    hostile = '<script>alert(1)</script> & "quotes"'
    svg = heatmap_svg([risk("RISK-666", 5, 5, title=hostile)],
                             link=lambda r: '/x?a=1&b="2"')
    assert "<script>" not in svg
    root = parse(svg)
    assert f"RISK-666: {hostile}, score 25 (critical)" in titles(root)
    assert list(links(root)) == ['/x?a=1&b="2"']
    assert not list(root.iter("script")) and not list(root.iter(f"{NS}script"))


def test_heatmap_axis_words_and_band_legend() -> None:
    text = " ".join(" ".join(t.itertext()) for t in heatmap([]).iter(f"{NS}text"))
    for word in ("Impact →", "Likelihood ↑", "Minor", "Severe", "Rare", "Almost certain",
                 "Low 1–4", "Critical 16–25", "Residual"):
        assert word in text


# --- Timeline ------------------------------------------------------------------------

ITEMS = [
    item("R1", "in-progress", workstream="Platform", start="2026-Q1", end="2026-Q2"),
    item("R2", "done", workstream="Platform", start="2026-02-01", end="2026-04-15"),
    item("R3", workstream="Platform", start="2026-03-01", end="2026-03-31"),
    item("R4", "at-risk", workstream="Data", start="2026-Q2", end="2026-Q3"),
    item("R5", "blocked", workstream="Security", start="2026-Q3"),  # not in the list
    item("R6", "dropped", start="2026-Q2"),  # no workstream
    item("R7", workstream="Data", horizon="later"),  # undated: not drawn
]
MILESTONES = [
    Milestone(title="SOC 2 report", date="2026-09-30"),
    Milestone(title="Cut-over", date="2026-06-28", workstream="Platform"),
]


def layout(**overrides: Any) -> TimelineLayout:
    args: dict[str, Any] = {"items": ITEMS, "milestones": MILESTONES,
                            "workstreams": ["Platform", "Team", "Data"], "today": TODAY}
    args |= overrides
    return timeline_layout(args["items"], args["milestones"], args["workstreams"],
                                  today=args["today"])


def test_timeline_lanes_follow_the_workstreams_then_unlisted_then_unassigned() -> None:
    lanes = layout().lanes
    assert [lane.name for lane in lanes] == ["Platform", "Team", "Data", "Security", "Unassigned"]
    assert all(a.y + a.height == b.y for a, b in itertools.pairwise(lanes))
    assert {bar.item.id: bar.lane for bar in layout().bars} == {
        "R1": "Platform", "R2": "Platform", "R3": "Platform", "R4": "Data",
        "R5": "Security", "R6": "Unassigned",
    }


def test_timeline_bars_never_overlap_within_a_lane() -> None:
    crowded = [item(f"C{n}", workstream="Platform", start=f"2026-0{1 + n % 3}-1{n % 9}",
                    end=f"2026-0{4 + n % 5}-0{1 + n % 8}") for n in range(12)]
    result = layout(items=[*ITEMS, *crowded])
    for lane in result.lanes:
        bars = [bar for bar in result.bars if bar.lane == lane.name]
        for a, b in itertools.combinations(bars, 2):
            apart = a.x + a.width <= b.x or b.x + b.width <= a.x
            assert apart or a.y != b.y, (a.item.id, b.item.id)
        for bar in bars:
            assert lane.y <= bar.y and bar.y + bar.height <= lane.y + lane.height
    platform = [bar for bar in result.bars if bar.lane == "Platform"]
    assert max(bar.row for bar in platform) >= 2


def test_timeline_bars_cover_their_span_and_carry_a_fitted_label() -> None:
    result = layout()
    r1 = next(bar for bar in result.bars if bar.item.id == "R1")
    q1, q2, q3, q4 = result.quarters
    assert r1.x == q1.x and r1.x + r1.width == pytest.approx(q3.x, abs=0.2)
    assert r1.label.startswith("» R1") and r1.title.startswith("R1 Item R1 (in-progress)")
    r3 = next(bar for bar in result.bars if bar.item.id == "R3")
    assert len(r3.label) * 14 * 0.6 <= r3.width


def test_timeline_quarters_span_the_dates_and_at_least_four() -> None:
    assert [q.label for q in layout().quarters] == ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]
    short = layout(items=[item("A", start="2025-Q4")], milestones=[], workstreams=[])
    assert [q.label for q in short.quarters] == ["2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3"]
    long = layout(items=[item("A", start="2025-11-01", end="2027-Q2")])
    assert len(long.quarters) == 7 and long.quarters[-1].label == "2027 Q2"
    svg = timeline_svg(ITEMS, MILESTONES, [], today=TODAY, link=lambda i: i.id)
    text = [" ".join(t.itertext()) for t in parse(svg).iter(f"{NS}text")]
    assert {"2026 Q1", "2026 Q4"} <= set(text)


def test_timeline_today_line_only_within_range() -> None:
    inside = layout()
    assert inside.today_x is not None and inside.plot_left < inside.today_x < inside.plot_right
    assert layout(today=dt.date(2030, 1, 1)).today_x is None
    for today, shown in ((TODAY, True), (dt.date(2030, 1, 1), False)):
        svg = timeline_svg(ITEMS, MILESTONES, [], today=today, link=lambda i: i.id)
        assert ("Today" in svg) is shown


def test_timeline_milestones_in_their_lane_or_across_the_top() -> None:
    result = layout()
    marks = {mark.title: mark for mark in result.marks}
    top = marks["SOC 2 report: 2026-09-30"]
    assert top.lane is None and result.plot_top < top.y < result.lanes[0].y
    cut = marks["Cut-over: 2026-06-28"]
    platform = result.lanes[0]
    assert cut.lane == "Platform" and platform.y < cut.y < platform.y + platform.height
    assert all(cut.y > bar.y + bar.height for bar in result.bars if bar.lane == "Platform")


def test_timeline_svg_links_each_bar_and_marks_status_beyond_colour() -> None:
    svg = timeline_svg(ITEMS, MILESTONES, ["Platform"], today=TODAY,
                              link=lambda i: f"roadmap/#{i.id.lower()}")
    root = parse(svg)
    bars = links(root)
    assert set(bars) == {f"roadmap/#r{n}" for n in range(1, 7)}
    dropped = bars["roadmap/#r6"]
    assert "bar--dropped" in dropped.get("class", "")
    assert dropped.find(f"{NS}text").get("text-decoration") == "line-through"  # type: ignore[union-attr]
    legend = " ".join(" ".join(t.itertext()) for t in root.iter(f"{NS}text"))
    for status in STATUSES:
        assert f"{STATUS_MARKS[status]} {status}" in legend


def test_timeline_without_dates_still_draws_four_quarters_around_today() -> None:
    result = layout(items=[item("U", horizon="now")], milestones=[], workstreams=[])
    assert [q.label for q in result.quarters][0] == "2026 Q2" and not result.bars
    assert result.today_x is not None


def test_timeline_escapes_titles_and_lane_names() -> None:
    hostile = "<script>alert(1)</script>"
    svg = timeline_svg([item("X", title=hostile, workstream=hostile, start="2026-Q1")],
                              [Milestone(title=hostile, date="2026-02-01")], [],
                              today=TODAY, link=lambda i: "#")
    assert "<script>" not in svg
    root = parse(svg)
    assert f"X {hostile} (planned), 2026-01-01 to 2026-03-31" in titles(root)


# --- Scorecard and status bar ----------------------------------------------------------


def test_scorecard_a_row_per_area_with_target_markers_where_given() -> None:
    scores = [ScoreArea(area="Architecture", score=2, target=4),
              ScoreArea(area="Data", score=3),
              ScoreArea(area="Security <b>", score=0, target=3, note="No SSO")]
    root = parse(scorecard_svg(scores))
    rows = [g for g in root.iter(f"{NS}g") if g.get("class") == "portico-scorecard__row"]
    assert [r.find(f"{NS}title").text for r in rows] == [  # type: ignore[union-attr]
        "Architecture: 2 of 5, target 4", "Data: 3 of 5", "Security <b>: 0 of 5, target 3. No SSO"]
    targets = [line for line in root.iter(f"{NS}line")
               if line.get("class") == "portico-scorecard__target"]
    assert len(targets) == 2
    text = [" ".join(t.itertext()) for t in root.iter(f"{NS}text")]
    assert {"2 → 4", "3", "0 → 3", "None", "Best in class"} <= set(text)


def test_status_bar_segments_in_order_with_titles_and_legend() -> None:
    counts = [("done", 4), ("in-progress", 2), ("blocked", 0), ("planned", 6)]
    root = parse(charts.status_bar_svg(counts, label="Roadmap & items"))
    assert titles(root)[0] == "Roadmap & items"
    segments = [g.find(f"{NS}title").text for g in root.iter(f"{NS}g")  # type: ignore[union-attr]
                if g.find(f"{NS}title") is not None]
    assert segments == ["done: 4", "in-progress: 2", "planned: 6"]
    fills = [r.get("fill") for r in root.iter(f"{NS}rect")]
    assert charts.STATUS_COLOURS["done"] in fills and charts.STATUS_COLOURS["planned"] in fills
    text = [" ".join(t.itertext()) for t in root.iter(f"{NS}text")]
    assert {"done 4", "blocked 0", "planned 6", "12 in total"} <= set(text)


def test_status_bar_of_nothing_is_still_a_chart() -> None:
    parse(charts.status_bar_svg([("open", 0)], label="Risks"))


def test_colours_cover_every_band_and_status() -> None:
    assert set(charts.BAND_COLOURS) == set(BANDS)
    assert set(charts.STATUS_COLOURS) == set(STATUSES) == set(STATUS_MARKS)


def test_two_charts_on_one_page_do_not_share_ids() -> None:
    a = parse(heatmap_svg(RISKS, link=lambda r: "#"))
    b = parse(heatmap_svg(RISKS[:2], link=lambda r: "#"))
    ids_a, ids_b = ({e.get("id") for e in root.iter() if e.get("id")} for root in (a, b))
    assert ids_a and not ids_a & ids_b


@given(st.lists(st.tuples(st.integers(0, 700), st.integers(0, 120)), min_size=1, max_size=25))
def test_timeline_packing_never_overlaps_any_spans(spans: list[tuple[int, int]]) -> None:
    start = dt.date(2026, 1, 1)
    items = [item(f"P{n}", workstream="W", start=(start + dt.timedelta(days=a)).isoformat(),
                  end=(start + dt.timedelta(days=a + length)).isoformat())
             for n, (a, length) in enumerate(spans)]
    bars = timeline_layout(items, [], ["W"], today=start).bars
    assert len(bars) == len(items)
    for a, b in itertools.combinations(bars, 2):
        assert a.row != b.row or a.x + a.width <= b.x or b.x + b.width <= a.x
