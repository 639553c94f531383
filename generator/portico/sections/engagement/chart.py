"""The split of the engagement's time by activity: one bar per activity, most time first."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup

from portico.portal.charts import chart_uid, render_chart
from portico.portal.labels import label

_BAR_W, _ROW_H, _TOP, _FONT = 240, 44, 4, 14  # label above its bar; 400 wide reads at 360 px


def activity_chart(activities: Sequence[tuple[str, float]],
                   number: Callable[[float], str]) -> Markup:
    """Days per activity as bars, each labelled with its days and share of the total."""
    total = sum(days for _, days in activities) or 1.0
    top = max((days for _, days in activities), default=1.0) or 1.0
    rows = []
    for i, (activity, days) in enumerate(activities):
        unit = "day" if days == 1 else "days"
        rows.append({
            "id": f"activity-{i + 1}", "y": _TOP + i * _ROW_H, "label": label(activity),
            "width": max(2.0, round(_BAR_W * days / top, 1)),
            "note": f"{number(days)} {unit} · {round(100 * days / total):.0f}%",
        })
    height = _TOP + len(rows) * _ROW_H + 4
    description = "; ".join(f"{r['label']}: {r['note']}" for r in rows)
    return Markup(render_chart(
        "engagement/activities", uid=chart_uid("activities", description), rows=rows,
        width=_BAR_W + 150, height=height, bar_w=_BAR_W, font=_FONT,
        title="Time by activity", description=description))
