"""Slips: a promised date that moved between commits, told in weeks on the roadmap page,
in "What's new", in the next board pack and on the Asks page (tests/dated_history.py:
R5's end moves twice, +5 weeks each time; A-005's due date moves once, +2 weeks)."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from portico.content.history import read_history
from portico.content.load import load_portal_inputs
from portico.portal.changes import attach
from portico.portal.render import render_portal
from portico.portal.slips import date_moves, weeks_text

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def docs(history_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Harborline portal rendered with its dated history, as the build renders it."""
    inputs = load_portal_inputs(history_repo, "harborline")
    engagement = inputs.clients[0]
    attach(engagement, read_history(history_repo, "harborline", TODAY))
    out = tmp_path_factory.mktemp("slips") / "out"
    render_portal(engagement, inputs, out, today=TODAY)
    return out / "docs"


def _text(page: Path) -> str:
    """The page with its tags and non-breaking spaces gone: the words a reader reads."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text("utf-8"))).replace("\u00a0", " ")


def test_a_moved_item_says_how_often_and_how_far_in_its_details(docs: Path) -> None:
    page = _text(docs / "roadmap/index.md")
    details = page.split("### Carrier integration service")[1].split("###")[0]
    assert "End moved twice, +10 weeks since Aug 2026: Apr 16, 2027 → Jun 25, 2027" in details
    assert "Start moved" not in details  # its start never moved
    other = page.split("### Margin reporting in Power BI")[1].split("###")[0]
    assert "moved" not in other


def test_the_roadmap_sums_the_slips_per_workstream_under_the_timeline(docs: Path) -> None:
    page = _text(docs / "roadmap/index.md")
    summary = page.split("## Now, next, later")[0]
    assert "| Workstream | Items moved | Net move |" in summary
    assert "| Platform | 1 | +10 weeks |" in summary
    assert "| Data |" not in summary and "| Security |" not in summary  # nothing moved there


def test_whats_new_tells_each_move_with_its_dates_and_weeks(docs: Path) -> None:
    page = _text(docs / "whats-new.md")
    assert "end moved from May 21, 2027 to Jun 25, 2027 (+5 weeks)" in page
    assert "Planned → At risk, end moved from Apr 16, 2027 to May 21, 2027 (+5 weeks)" in page
    assert "due moved from Dec 4, 2026 to Dec 18, 2026 (+2 weeks)" in page


def test_the_next_board_pack_lists_the_end_and_the_due_date_that_moved(docs: Path) -> None:
    q4 = _text(docs / "board/2026-11-30.md")
    table = q4.split("End dates moved since the previous pack (Sep 15, 2026):")[1]
    assert re.search(r"\| \[Carrier integration service\]\([^)]*\) \| Apr 16, 2027 \| "
                     r"Jun 25, 2027 \| \+10 weeks \|", table)
    asks = q4.split("Carried forward from the previous pack")[1].split("##")[0]
    soc2 = next(line for line in asks.splitlines() if "SOC 2 Type I fieldwork" in line)
    assert "Dec 18, 2026moved +2 weeks from Dec 4, 2026" in soc2
    q3 = _text(docs / "board/2026-09-15.md")
    assert "End dates moved" not in q3  # the first pack has nothing to compare with


def test_the_asks_page_shows_a_moved_due_date(docs: Path) -> None:
    page = _text(docs / "asks.md")
    row = next(line for line in page.splitlines() if "SOC 2 Type I fieldwork" in line)
    assert "Dec 18, 2026due moved +2 weeks" in row
    other = next(line for line in page.splitlines() if "NetSuite notice" in line)
    assert "moved" not in other


def test_a_quarter_compares_by_its_last_day_for_an_end_and_its_first_for_a_start() -> None:
    end = date_moves({"end": "2026-Q3"}, {"end": "2026-10-30"})
    assert [(m.name, m.days, m.weeks) for m in end] == [("end", 30, "+4 weeks")]
    assert date_moves({"end": "2026-Q3"}, {"end": "2026-09-30"}) == []  # the same promise
    assert date_moves({"start": "2026-Q3"}, {"start": "2026-07-01"}) == []
    start = date_moves({"start": "2026-Q3"}, {"start": "2026-06-24"})
    assert [m.weeks for m in start] == ["-1 week"]
    assert date_moves({}, {"end": "2027-01-08"}) == []  # dated for the first time: no move
    assert weeks_text(3) == "+3 days" and weeks_text(-70) == "-10 weeks"
    assert weeks_text(0) == "0 weeks"  # a workstream whose moves cancel out
