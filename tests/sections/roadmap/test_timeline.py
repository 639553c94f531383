"""The roadmap timeline: lanes, bars that never overlap, quarters, milestones, escaping."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from svg_support import NS, links, parse, titles

from portico.portal.charts import text_width
from portico.portal.labels import label
from portico.sections.roadmap.chart import (
    STATUS_MARKS,
    TimelineLayout,
    timeline_layout,
    timeline_svg,
)
from portico.sections.roadmap.model import STATUSES, Milestone, RoadmapItem
from portico.sections.roadmap.phone import timeline_chart, timeline_phone

TODAY = dt.date(2026, 5, 12)


def item(id: str, status: str = "planned", **extra: Any) -> RoadmapItem:
    return RoadmapItem(id=id, title=extra.pop("title", f"Item {id}"), status=status, **extra)


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
    lanes = layout().lanes  # "Team" is listed but has nothing dated: no lane
    assert [lane.name for lane in lanes] == ["Platform", "Data", "Security", "Unassigned"]
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
    assert r1.title.startswith("Item R1 (in progress)")  # the status as the client reads it
    assert r1.label_inside and r1.label == "» Item R1"  # no id: it is the CTO's bookkeeping


def _extent(bar: Any) -> tuple[float, float]:
    """Bar and label together, in viewBox units (the label at 0.6 em a glyph)."""
    left, _, right, _ = bar.label_box
    return min(bar.x, left), max(bar.x + bar.width, right)


def _rows(bar: Any) -> set[int]:
    """The rows a bar takes: its own, and the next when its label sits under it."""
    return {bar.row, bar.row + 1} if bar.label_under else {bar.row}


def test_a_label_too_long_for_its_bar_sits_whole_beside_it() -> None:
    result = layout()
    r3 = next(bar for bar in result.bars if bar.item.id == "R3")  # March only: a short bar
    assert r3.label == "○ Item R3" and not r3.label_inside
    assert r3.label_anchor == "start" and r3.label_x > r3.x + r3.width
    late = layout(items=[item("E", workstream="Platform", start="2026-Q1"),
                         item("L", title="Retire the last on-premises file server",
                              workstream="Platform", start="2026-12-01", end="2026-12-20")],
                  milestones=[])
    bar = late.bars[-1]  # at the right edge: the label goes left of the bar, still whole
    assert bar.label == "○ Retire the last on-premises file server"
    assert bar.label_anchor == "end" and bar.label_x < bar.x
    assert _extent(bar)[0] >= late.plot_left


def test_no_label_is_cut_to_a_stub() -> None:
    long_titles = [item(f"S{n}", title="Migrate the AWS landing zone and its accounts",
                        workstream="Platform", start=f"2026-0{n + 1}-01",
                        end=f"2026-0{n + 1}-20") for n in range(6)]
    result = layout(items=long_titles, milestones=[])
    for bar in result.bars:
        assert "…" not in bar.label and bar.label.endswith("its accounts")
    under = [bar for bar in result.bars if bar.label_under]
    assert under  # mid-chart, the label fits neither side whole: one line, under its bar
    for bar in under:
        left, top, right, _ = bar.label_box
        assert top >= bar.y + bar.height and result.plot_left <= left and right <= result.plot_right
    _assert_apart(result.bars)
    (lane,) = result.lanes
    assert all(bar.y + len(_rows(bar)) * 31 <= lane.y + lane.height for bar in result.bars)


def _assert_apart(bars: Any) -> None:
    """No two bars with their labels share any row they take and any stretch of it."""
    for a, b in itertools.combinations(bars, 2):
        (a0, a1), (b0, b1) = _extent(a), _extent(b)
        assert not _rows(a) & _rows(b) or a1 <= b0 + 0.5 or b1 <= a0 + 0.5, (a.item.id, b.item.id)


def test_a_label_beside_its_bar_takes_its_room_in_the_row() -> None:
    shorts = [item(f"B{n}", workstream="Platform", start=f"2026-0{n + 1}-01",
                   end=f"2026-0{n + 1}-10") for n in range(6)]
    _assert_apart(layout(items=shorts, milestones=[]).bars)


def test_timeline_quarters_span_the_dates_and_at_least_four() -> None:
    assert [q.label for q in layout().quarters] == ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
    seven_months = layout(items=[item("A", start="2025-10-01", end="2026-04-30")],
                          milestones=[], workstreams=[])
    assert [q.label for q in seven_months.quarters] == ["Q4 2025", "Q1 2026", "Q2 2026",
                                                        "Q3 2026"]
    long = layout(items=[item("A", start="2025-11-01", end="2027-Q2")])
    assert len(long.quarters) == 7 and long.quarters[-1].label == "Q2 2027"
    svg = timeline_svg(ITEMS, MILESTONES, [], today=TODAY, link=lambda i: i.id).svg
    text = [" ".join(t.itertext()) for t in parse(svg).iter(f"{NS}text")]
    assert {"Q1 2026", "Q4 2026"} <= set(text)


def test_a_roadmap_of_a_few_months_is_drawn_by_month_not_squeezed_into_one_quarter() -> None:
    """A new engagement's first weeks (all in November and December) fill the chart by
    month, with at least three months, instead of a quarter of four."""
    first_weeks = layout(items=[item("A", start="2026-11-16", end="2026-11-20"),
                                item("B", start="2026-11-23", end="2026-12-18")],
                         milestones=[Milestone(title="Plan", date="2026-12-18")], workstreams=[],
                         today=dt.date(2026, 12, 6))
    assert [q.label for q in first_weeks.quarters] == ["Nov 2026", "Dec 2026", "Jan 2027"]
    a, b = first_weeks.bars
    assert b.x + b.width > first_weeks.plot_left + (first_weeks.plot_right
                                                     - first_weeks.plot_left) / 2
    quarter = layout(items=[item("A", start="2025-Q4")], milestones=[], workstreams=[])
    assert [q.label for q in quarter.quarters] == ["Oct 2025", "Nov 2025", "Dec 2025"]
    months = timeline_svg([item("A", start="2026-11-16", end="2026-12-18")], [], [],
                          today=TODAY, link=lambda i: i.id, month=lambda d: f"{d:%m/%Y}").svg
    assert "11/2026" in months  # the portal's locale names the months


def test_a_long_workstream_name_wraps_over_lines_of_whole_words() -> None:
    name = "Fixes found serious enough to do right away"
    result = layout(items=[item("A", start="2026-02-01", end="2026-03-01", workstream=name)],
                    milestones=[], workstreams=[name])
    lane = result.lanes[0]
    assert len(lane.label) > 1 and " ".join(lane.label).startswith("Fixes found serious")
    assert all(text_width(line, 14 * 1.08) <= 136 - 16 for line in lane.label)
    assert lane.height >= len(lane.label) * 17
    svg = timeline_svg([item("A", start="2026-02-01", end="2026-03-01", workstream=name)], [],
                       [name], today=TODAY, link=lambda i: i.id).svg
    assert "Fixes found" in svg and "s…" not in svg


def test_timeline_today_line_only_within_range() -> None:
    inside = layout()
    assert inside.today_x is not None and inside.plot_left < inside.today_x < inside.plot_right
    assert layout(today=dt.date(2030, 1, 1)).today_x is None
    for today, shown in ((TODAY, True), (dt.date(2030, 1, 1), False)):
        svg = timeline_svg(ITEMS, MILESTONES, [], today=today, link=lambda i: i.id).svg
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
    chart = timeline_svg(ITEMS, MILESTONES, ["Platform"], today=TODAY,
                         link=lambda i: f"roadmap/#{i.id.lower()}")
    root = parse(chart.svg)
    assert not links(root)  # no <a> in the SVG: Material's instant navigation breaks on it
    assert {link.href for link in chart.links} == {f"roadmap/#r{n}" for n in range(1, 7)}
    dropped = next(g for g in root.iter(f"{NS}g") if "bar--dropped" in g.get("class", ""))
    # Dropped work reads "– title" in grey: a line through a label reads as a defect.
    assert dropped.find(f"{NS}text").get("text-decoration") is None  # type: ignore[union-attr]
    assert dropped.find(f"{NS}text").text.startswith("– ")  # type: ignore[union-attr]
    legend = " ".join(" ".join(t.itertext()) for t in root.iter(f"{NS}text"))
    for status in STATUSES:
        assert f"{STATUS_MARKS[status]} {label(status)}" in legend  # the client's words


def test_timeline_without_dates_still_draws_four_quarters_around_today() -> None:
    result = layout(items=[item("U", horizon="now")], milestones=[], workstreams=[])
    assert [q.label for q in result.quarters][0] == "Q2 2026" and not result.bars
    assert result.today_x is not None


def test_timeline_escapes_titles_and_lane_names() -> None:
    hostile = "<script>alert(1)</script>"
    svg = timeline_svg([item("X", title=hostile, workstream=hostile, start="2026-Q1")],
                              [Milestone(title=hostile, date="2026-02-01")], [],
                              today=TODAY, link=lambda i: "#").svg
    assert "<script>" not in svg
    root = parse(svg)
    assert f"{hostile} (planned), 2026-Q1" in titles(root)  # when, as written


def test_the_phone_form_lists_the_quarters_with_every_dated_item_and_milestone() -> None:
    phone = timeline_phone(ITEMS, MILESTONES, today=TODAY, link=lambda i: f"#{i.id.lower()}")
    quarters = [line for line in phone.splitlines() if "pt-phone-quarter" in line]
    assert [q.split("<strong>")[1].split("</strong>")[0] for q in quarters] == [
        "Q1 2026", "Q2 2026", "Q3 2026"]
    assert "pt-phone-quarter--now" in quarters[1]  # 12 May 2026
    for n in range(1, 7):  # every dated item, whole and linked; R7 is undated
        assert f'<a href="#r{n}">' in phone
    assert "#r7" not in phone
    assert "◆ SOC 2 report" in phone and "◆ Cut-over" in phone
    q2 = phone[phone.index("Q2 2026"):phone.index("Q3 2026")]
    assert q2.index("In progress · started 2026-Q1") < q2.index("Item R4")  # R1, begun in Q1
    assert "under way" not in phone and "milestone ·" not in phone  # the words, as elsewhere


def test_the_timeline_ships_both_forms_the_phone_one_out_of_search() -> None:
    html = timeline_chart(ITEMS, MILESTONES, [], today=TODAY, link=lambda i: i.id).html()
    assert '<div class="pt-chart__desktop"><div class="pt-chart__frame">' in html
    assert '<div class="pt-chart__phone" data-search-exclude>' in html


# --- Scorecard and status bar ----------------------------------------------------------


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
    _assert_apart(bars)  # labels too


def test_the_today_and_milestone_lines_are_cut_where_a_label_sits() -> None:
    """Lines run behind the labels: a gap wherever a bar's or a milestone's label is."""
    long_titles = [item(f"S{n}", title="Migrate the AWS landing zone and its accounts",
                        workstream="Platform", start=f"2026-0{n + 1}-01",
                        end=f"2026-0{n + 1}-20") for n in range(6)]
    result = layout(items=[*ITEMS, *long_titles], today=dt.date(2026, 5, 10))
    boxes = [b.label_box for b in result.bars] + [m.label_box for m in result.marks]
    lines = [(result.today_x, result.today_segments),
             *((x, segments) for _, x, segments in result.guides)]
    assert result.today_segments and len(lines) > 1
    crossed = [(x, y1, y2) for x, segments in lines for y1, y2 in segments for left, top,
               right, bottom in boxes if left <= x <= right and y1 < bottom and top < y2]
    assert crossed == []


def test_the_phone_form_says_when_as_the_author_wrote_it_in_the_locale() -> None:
    from portico.portal.locale import Formats

    phone = timeline_phone(ITEMS, MILESTONES, today=TODAY, link=lambda i: f"#{i.id.lower()}",
                           day=Formats("en-GB").point)
    # R1 runs 2026-Q1 to 2026-Q2: a quarter is not turned into invented exact days.
    assert "Q1\u00a02026 – Q2\u00a02026" in phone and "1\u00a0Jan\u00a02026" not in phone
