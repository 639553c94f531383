"""The value × effort matrix: four quadrants, every opportunity placed and labelled."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from portico.portal.charts import chart_uid, one_line, render_chart
from portico.sections.opportunities.model import Opportunity

_LEFT, _TOP, _W, _H = 64, 16, 440, 340
QUADRANT_FILLS = {
    "quick win": "#c8e6c9", "strategic bet": "#bbdefb",
    "fill-in": "#eeeeee", "deprioritise": "#ffcdd2",
}


def _x(effort: float) -> float:
    return round(_LEFT + _W * (effort - 0.5) / 5, 1)


def _y(value: float) -> float:
    return round(_TOP + _H * (5.5 - value) / 5, 1)


def matrix_svg(opportunities: Sequence[Opportunity]) -> str:
    """Effort across (1..5, low effort left), value up (1..5); quick wins top left.

    Each dot is labelled with the opportunity's place in `opportunities` (1, 2 …), the
    number the "By priority" table starts each row with: ids are the CTO's bookkeeping."""
    cells: dict[tuple[int, int], list[tuple[int, Opportunity]]] = defaultdict(list)
    for number, o in enumerate(opportunities, start=1):
        cells[(int(o.effort), int(o.value))].append((number, o))
    points = []
    for (effort, value), here in sorted(cells.items()):
        for k, (number, o) in enumerate(here):  # stack several in one cell, each legible
            offset = (k - (len(here) - 1) / 2) * 24
            points.append({"x": _x(effort), "y": round(_y(value) + offset, 1), "id": number,
                           "title": f"{number}. {one_line(o.title)} (value {o.value}, "
                                    f"effort {o.effort}, {o.quadrant})"})
    split_x, split_y = _x(3.5), _y(2.5)
    right, bottom = _LEFT + _W, _TOP + _H
    quadrants = [
        {"x": _LEFT, "y": _TOP, "w": split_x - _LEFT, "h": split_y - _TOP, "name": "Quick wins",
         "fill": QUADRANT_FILLS["quick win"], "lx": _LEFT + 8, "ly": _TOP + 18, "anchor": "start"},
        {"x": split_x, "y": _TOP, "w": right - split_x, "h": split_y - _TOP,
         "name": "Strategic bets", "fill": QUADRANT_FILLS["strategic bet"], "lx": right - 8,
         "ly": _TOP + 18, "anchor": "end"},
        {"x": _LEFT, "y": split_y, "w": split_x - _LEFT, "h": bottom - split_y,
         "name": "Fill-ins", "fill": QUADRANT_FILLS["fill-in"], "lx": _LEFT + 8,
         "ly": bottom - 8, "anchor": "start"},
        {"x": split_x, "y": split_y, "w": right - split_x, "h": bottom - split_y,
         "name": "Deprioritize", "fill": QUADRANT_FILLS["deprioritise"], "lx": right - 8,
         "ly": bottom - 8, "anchor": "end"},
    ]
    for quadrant, key in zip(quadrants, ("quick-win", "strategic-bet", "fill-in", "deprioritise"),
                             strict=True):
        quadrant["key"] = key  # a class the dark scheme colours (portal.css)
    description = "; ".join(str(p["title"]) for p in points)
    return render_chart(
        "opportunities/matrix", uid=chart_uid("matrix", description), width=_LEFT + _W + 16,
        height=_TOP + _H + 56, quadrants=quadrants, points=points, left=_LEFT, top=_TOP,
        right=right, bottom=bottom, x_ticks=[(_x(n), n) for n in range(1, 6)],
        y_ticks=[(_y(n), n) for n in range(1, 6)], description=description,
    )
