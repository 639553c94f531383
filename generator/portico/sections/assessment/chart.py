"""The maturity scorecard: a bar per area, 0..5, with its target marked."""

from __future__ import annotations

from collections.abc import Sequence

from portico.portal.charts import chart_uid, fit_text, one_line, render_chart
from portico.sections.assessment.model import ScoreArea

MATURITY_WORDS = {0: "None", 5: "Best in class"}
# 480 wide, so its 12-unit labels still render at 8.9 px on a 358 px phone column; portal.css
# caps its width on a laptop so they do not grow past 14 px there.
_SC_WIDTH, _SC_NAME, _SC_BAR0, _SC_BAR1, _SC_ROW = 480, 196, 212, 402, 34


def _area_title(area: ScoreArea) -> str:
    target = f", target {area.target}" if area.target is not None else ""
    note = f". {one_line(area.note)}" if area.note else ""
    return f"{one_line(area.area)}: {area.score} of 5{target}{note}"


def scorecard_svg(scores: Sequence[ScoreArea]) -> str:
    """The maturity scorecard: a 0..5 bar per area, a target marker where given, "2 → 4"."""
    unit = (_SC_BAR1 - _SC_BAR0) / 5
    rows = [{
        "y": 8 + index * _SC_ROW, "name": fit_text(area.area, _SC_NAME - 8, 14),
        "title": _area_title(area), "width": area.score * unit,
        "numbers": str(area.score) if area.target is None else f"{area.score} → {area.target}",
        "target_x": None if area.target is None else _SC_BAR0 + area.target * unit,
    } for index, area in enumerate(scores)]
    bottom = 8 + len(scores) * _SC_ROW
    has_targets = any(area.target is not None for area in scores)
    return render_chart(
        "assessment/scorecard",
        uid=chart_uid("scorecard", [(s.area, s.score, s.target) for s in scores]),
        width=_SC_WIDTH, height=bottom + (66 if has_targets else 44), rows=rows, bottom=bottom,
        name_right=_SC_NAME, bar0=_SC_BAR0, row_h=_SC_ROW, has_targets=has_targets,
        grid=[(_SC_BAR0 + n * unit, n, MATURITY_WORDS.get(n, "")) for n in range(6)],
        description="Maturity by area, 0 (none) to 5 (best in class): "
        + "; ".join(_area_title(area) for area in scores) + ".",
    )
