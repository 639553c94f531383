"""A vendor's charts: its scorecard (score × weight per criterion) and each SLA's trend."""

from __future__ import annotations

from collections.abc import Sequence

from portico.content.scorecard import Criterion
from portico.portal.charts import chart_uid, one_line, render_chart
from portico.sections.vendors.model import Sla, Vendor

_BAR_W, _ROW_H, _TOP, _FONT = 300, 48, 6, 15  # label above its bar: reads at 360 px
_TREND_W, _TREND_H, _PAD_L, _PAD_R, _PAD_T, _PAD_B = 380, 120, 46, 104, 14, 28
MET, MISSED = "#2e7d32", "#c62828"


def scorecard_svg(vendor: Vendor, criteria: Sequence[Criterion]) -> str:
    """One bar per criterion the vendor is scored on (its 1..5 score), the criterion and its
    weight above it, what it adds to the weighted total beside it."""
    total = sum(c.weight for c in criteria if c.id in vendor.scores)
    rows = []
    for i, c in enumerate(c for c in criteria if c.id in vendor.scores):
        score = vendor.scores[c.id]
        share = c.weight / total if total else 0
        rows.append({
            "y": _TOP + i * _ROW_H, "label": f"{one_line(c.name)} · {share * 100:.0f} %",
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


def sla_svg(sla: Sla) -> str:
    """The SLA's monthly values against its target: a line, the target dashed, the latest
    value marked met or missed."""
    months = sorted(sla.values)
    values = [sla.values[m] for m in months]
    low, high = min([*values, sla.target]), max([*values, sla.target])
    span = (high - low) or abs(high) or 1
    low, high = low - span * 0.15, high + span * 0.15
    plot_w, plot_h = _TREND_W - _PAD_L - _PAD_R, _TREND_H - _PAD_T - _PAD_B

    def y(value: float) -> float:
        return round(float(_PAD_T + plot_h * (high - value) / (high - low)), 1)

    def x(i: int) -> float:
        step = plot_w * i / (len(months) - 1) if len(months) > 1 else plot_w / 2
        return round(_PAD_L + step, 1)

    points = [{"x": x(i), "y": y(v), "month": m, "value": _figure(v, sla.unit),
               "met": sla.met(v)} for i, (m, v) in enumerate(zip(months, values, strict=True))]
    latest = points[-1]
    state = "met" if latest["met"] else "missed"
    description = (f"{sla.metric}: target {_figure(sla.target, sla.unit)} ({sla.better} is "
                   f"better); " + ", ".join(f"{p['month']} {p['value']}" for p in points) +
                   f"; latest {state}")
    return render_chart(
        "vendors/sla", uid=chart_uid("sla", sla.metric, description), width=_TREND_W,
        height=_TREND_H, points=points, path=" ".join(f"{p['x']},{p['y']}" for p in points),
        target_y=y(sla.target), target=_figure(sla.target, sla.unit), left=_PAD_L,
        right=_TREND_W - _PAD_R, bottom=_TREND_H - _PAD_B, latest=latest,
        colour=MET if latest["met"] else MISSED, state=state,
        title=f"{sla.metric} against its target", description=description,
    )


def _figure(value: float, unit: str | None) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}" if unit and unit != "%" else f"{text}{unit or ''}"
