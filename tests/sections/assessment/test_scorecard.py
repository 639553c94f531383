"""The maturity scorecard: a row per area, target markers where given."""

from __future__ import annotations

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
