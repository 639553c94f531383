"""A vendor's charts: its scorecard (score × weight per criterion) and each SLA's trend."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from portico.content.scorecard import Criterion
from portico.portal.charts import chart_uid, one_line, render_chart
from portico.portal.locale import Formats
from portico.portal.trend import trend_chart
from portico.sections.vendors.model import Sla, Vendor

_BAR_W, _ROW_H, _TOP, _FONT = 300, 48, 6, 15  # label above its bar: reads at 360 px


def scorecard_svg(vendor: Vendor, criteria: Sequence[Criterion]) -> str:
    """One bar per criterion the vendor is scored on (its 1..5 score), the criterion and its
    weight above it, what it adds to the weighted total beside it."""
    total = sum(c.weight for c in criteria if c.id in vendor.scores)
    rows = []
    for i, c in enumerate(c for c in criteria if c.id in vendor.scores):
        score = vendor.scores[c.id]
        share = c.weight / total if total else 0
        rows.append({
            "y": _TOP + i * _ROW_H, "label": f"{one_line(c.name)} · {share * 100:.0f}%",
            "score": score, "width": round(_BAR_W * score / 5, 1),
            "note": f"{score}/5 → {score * share:.2f}",
        })
    weighted = vendor.weighted_score(list(criteria))
    height = _TOP + len(rows) * _ROW_H + 28
    description = "; ".join(f"{r['label']}: {r['note']}" for r in rows)
    return render_chart(
        "vendors/scorecard", uid=chart_uid("scorecard", vendor.id, description), rows=rows,
        width=_BAR_W + 110, height=height, bar_w=_BAR_W, font=_FONT, bottom=height - 24,
        total=f"{weighted:.2f}" if weighted is not None else "–",
        title=f"Scorecard of {vendor.name}", description=description,
    )


def sla_chart(sla: Sla, formats: Formats) -> Markup:
    """The SLA's monthly values against its target, in both forms (see
    `portal.trend.trend_chart`)."""
    return trend_chart(sla.metric, sla.values, target=float(sla.target), unit=sla.unit,
                       better=str(sla.better), formats=formats, kind="sla",
                       state="met" if sla.latest_met else "missed")
