"""The maturity scorecard: a bar per area, 0..5, with its target marked; on a phone, each
area's name above its bar so the chart fits 360 px with no text under 8 px."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup

from portico.portal.charts import both_forms, chart_uid, one_line, render_chart, wrap_words
from portico.sections.assessment.model import ScoreArea

MATURITY_WORDS = {0: "None", 5: "Best in class"}
_SC_WIDTH, _SC_NAME, _SC_BAR0, _SC_BAR1, _SC_ROW = 720, 196, 212, 602, 34
_PH_WIDTH, _PH_BAR1, _PH_ROW = 340, 284, 48  # phone: the name above the bar
_SC_LINE = 18  # between the lines of a wrapped name (14 px text: its boxes never touch)


def _area_title(area: ScoreArea, first: int | None = None) -> str:
    target = f", target {area.target}" if area.target is not None else ""
    then = f", first scored {first}" if first is not None else ""
    note = f". {one_line(area.note)}" if area.note else ""
    return f"{one_line(area.area)}: {area.score} of 5{then}{target}{note}"


def scorecard_svg(scores: Sequence[ScoreArea], *, stacked: bool = False,
                  first: Mapping[str, int] | None = None) -> str:
    """The maturity scorecard: a 0..5 bar per area, a target marker where given, "2 → 4".

    `stacked`: the phone form, 340 wide, each area's name on a line above its bar.
    `first`: area → its first score, for areas re-scored since (history from git): a small
    hollow circle on the bar's middle line at that score, in the legend "First score"."""
    first = first or {}
    width, bar0, bar1, pitch = ((_PH_WIDTH, 8, _PH_BAR1, _PH_ROW) if stacked
                                else (_SC_WIDTH, _SC_BAR0, _SC_BAR1, _SC_ROW))
    unit, bar_h = (bar1 - bar0) / 5, _SC_ROW - 18
    # Names whole: on a phone a line above the bar; else in the column left of the bars,
    # wrapped to as many lines as they need (every row then as tall as the tallest).
    names = [(one_line(area.area),) if stacked else wrap_words(area.area, _SC_NAME - 8, 14)
             for area in scores]
    most = max((len(lines) for lines in names), default=1)
    if not stacked and most > 1:
        pitch = _SC_LINE * most + 6
    rows = []
    for index, (area, lines) in enumerate(zip(scores, names, strict=True)):
        y = 8 + index * pitch
        bar_y = y + (20 if stacked else (pitch - bar_h) / 2 - 2)
        middle = bar_y + bar_h / 2 + 5 - (len(lines) - 1) * _SC_LINE / 2
        rows.append({
            "y": y, "bar_y": bar_y, "bar_h": bar_h,
            "names": [(line, y + 13 if stacked else middle + n * _SC_LINE)
                      for n, line in enumerate(lines)],
            "name_x": 0 if stacked else _SC_NAME, "name_anchor": "start" if stacked else "end",
            "numbers_y": bar_y + 13,
            "title": _area_title(area, first.get(area.area)), "width": area.score * unit,
            "first_x": None if area.area not in first else bar0 + first[area.area] * unit,
            "numbers": str(area.score) if area.target is None
            else f"{area.score} → {area.target}",
            "target_x": None if area.target is None else bar0 + area.target * unit,
        })
    bottom = 8 + len(scores) * pitch
    has_targets = any(area.target is not None for area in scores)
    has_first = any(area.area in first for area in scores)
    anchors = ["start" if stacked and n == 0 else "end" if stacked and n == 5 else "middle"
               for n in range(6)]  # on a phone the end words stay inside the chart
    return render_chart(
        "assessment/scorecard",
        uid=chart_uid("scorecard", [(s.area, s.score, s.target, first.get(s.area))
                                    for s in scores], stacked),
        width=width, height=bottom + (66 if has_targets or has_first else 44), rows=rows,
        bottom=bottom,
        bar0=bar0, has_targets=has_targets, numbers_x=bar1 + 14,
        has_first=has_first,
        grid=[(bar0 + n * unit, n, MATURITY_WORDS.get(n, ""), anchors[n]) for n in range(6)],
        description="Maturity by area, 0 (none) to 5 (best in class): "
        + "; ".join(_area_title(area, first.get(area.area)) for area in scores) + ".",
    )


def scorecard_html(scores: Sequence[ScoreArea],
                   first: Mapping[str, int] | None = None) -> Markup:
    """The scorecard in both forms: rows on wide screens, stacked on phones."""
    return both_forms(Markup(scorecard_svg(scores, first=first)),
                      Markup(scorecard_svg(scores, stacked=True, first=first)))
