"""The maturity scorecard: a row per area, target markers where given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from svg_support import NS, parse

from portico.sections.assessment.chart import scorecard_html, scorecard_svg
from portico.sections.assessment.model import ScoreArea


def test_scorecard_a_row_per_area_with_target_markers_where_given() -> None:
    scores = [ScoreArea(area="Architecture", score=2, target=4),
              ScoreArea(area="Data", score=3),
              ScoreArea(area="Security <b>", score=0, target=3, note="No SSO")]
    root = parse(scorecard_svg(scores))
    rows = [g for g in root.iter(f"{NS}g") if g.get("class") == "portico-scorecard__row"]
    assert [r.find(f"{NS}title").text for r in rows] == [  # type: ignore[union-attr]
        "Architecture: 2 of 5, target 4", "Data: 3 of 5", "Security <b>: 0 of 5, target 3. No SSO"]
    targets = [line for line in root.iter(f"{NS}line")
               if "portico-scorecard__target" in line.get("class", "").split()]
    assert len(targets) == 2
    text = [" ".join(t.itertext()) for t in root.iter(f"{NS}text")]
    assert {"2 → 4", "3", "0 → 3", "None", "Best in class"} <= set(text)


def test_the_phone_form_puts_each_whole_name_above_its_bar_in_340_units() -> None:
    scores = [ScoreArea(area="Infrastructure and hosting, all of it", score=1, target=4)]
    root = parse(scorecard_svg(scores, stacked=True))
    assert root.get("viewBox", "").split()[2] == "340"
    (row,) = [g for g in root.iter(f"{NS}g") if g.get("class") == "portico-scorecard__row"]
    name = next(t for t in row.iter(f"{NS}text") if "Infrastructure" in (t.text or ""))
    assert name.text == "Infrastructure and hosting, all of it"  # whole, not fitted
    bar = next(r for r in row.iter(f"{NS}rect") if r.get("style"))
    assert float(bar.get("y", 0)) > float(name.get("y", 0))
    html = scorecard_html(scores)
    assert 'class="pt-chart__desktop"' in html and 'class="pt-chart__phone"' in html


def test_a_long_area_name_is_shown_whole_on_two_lines() -> None:
    root = parse(scorecard_svg([ScoreArea(area="Infrastructure and hosting", score=1, target=4),
                                ScoreArea(area="Security", score=1)]))
    rows = [g for g in root.iter(f"{NS}g") if g.get("class") == "portico-scorecard__row"]
    names = [[" ".join(t.itertext()) for t in row.iter(f"{NS}text")][:-1] for row in rows]
    assert names == [["Infrastructure and", "hosting"], ["Security"]]
    assert "…" not in "".join(sum(names, []))


def test_with_git_the_scorecard_shows_each_rescored_area_then_and_now(
        history_repo: Path, tmp_path: Path) -> None:
    """Security is scored 1 at the first commit (Aug 3) and 2 from Oct 15
    (tests/dated_history.py); the other areas never moved."""
    from dated_history import page_text, render_with_history

    docs = render_with_history(history_repo, tmp_path / "out", dt.date(2026, 12, 1))
    page = page_text(docs, "assessment/index.md")
    assert "| Area | Score | Then → now | Target | Evidence |" in page
    assert ('| Security | 2 / 5 | 1 → 2, <span class="pt-date">Aug 2026</span> → '
            '<span class="pt-date">Oct 2026</span> | 4 |') in page
    assert "| Architecture | 2 / 5 | – | 4 |" in page
    news = page_text(docs, "whats-new.md")
    assert "**Maturity score** [Security](assessment/index.md#maturity-scorecard): " \
        "score 1 → 2" in news


def test_a_rescored_area_gets_its_first_score_as_a_circle_and_a_legend_entry() -> None:
    scores = [ScoreArea(area="Security", score=2, target=4),
              ScoreArea(area="Architecture", score=2, target=4)]
    for stacked in (False, True):
        svg = parse(scorecard_svg(scores, stacked=stacked, first={"Security": 1}))
        circles = svg.findall(f".//{NS}circle[@data-mark]")
        assert [c.get("data-mark") for c in circles] == ["area-1-first"]
        bar = svg.find(f".//{NS}rect[@data-mark='area-1']")
        assert bar is not None
        unit = float(bar.get("width") or 0) / 2
        assert float(circles[0].get("cx") or 0) == float(bar.get("x") or 0) + unit
        legend = [t.text for t in svg.iter(f"{NS}text")]
        assert "First score" in legend
        title = svg.find(f".//{NS}g[@data-for='area-1']/{NS}title")
        assert title is not None and "first scored 1" in (title.text or "")
    assert "First score" not in scorecard_svg(scores)
