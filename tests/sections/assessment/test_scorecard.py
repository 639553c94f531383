"""The maturity scorecard: a row per area, target markers where given."""

from __future__ import annotations

from svg_support import NS, parse

from portico.sections.assessment.chart import scorecard_svg
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
               if line.get("class") == "portico-scorecard__target"]
    assert len(targets) == 2
    text = [" ".join(t.itertext()) for t in root.iter(f"{NS}text")]
    assert {"2 → 4", "3", "0 → 3", "None", "Best in class"} <= set(text)
