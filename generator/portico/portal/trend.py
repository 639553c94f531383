"""A monthly measure against its target, as a small line chart: SLA values, KPIs."""

from __future__ import annotations

from collections.abc import Mapping

from portico.portal.charts import chart_uid, render_chart

_TREND_W, _TREND_H, _PAD_L, _PAD_R, _PAD_T, _PAD_B = 380, 120, 46, 104, 14, 28
MET, MISSED, NEUTRAL = "#2e7d32", "#c62828", "#455a64"


def figure(value: float, unit: str | None) -> str:
    """`99.95%`, `12 min`, `1,250`: a value as the reader reads it."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}" if unit and unit != "%" else f"{text}{unit or ''}"


def latest(values: Mapping[str, float]) -> tuple[str, float] | None:
    """The most recent month (YYYY-MM) and its value, or None without values."""
    if not values:
        return None
    month = max(values)
    return month, values[month]


def meets(value: float, target: float, better: str) -> bool:
    """Whether `value` meets `target` when `better` (higher | lower) is the good direction."""
    return value >= target if better == "higher" else value <= target


def trend_svg(name: str, values: Mapping[str, float], *, target: float | None,
              unit: str | None, better: str, kind: str = "trend") -> str:
    """Monthly `values` (YYYY-MM → number) as a line; the target dashed; the latest value
    marked met (green) or missed (red), or neutral without a target."""
    months = sorted(values)
    series = [values[m] for m in months]
    bounds = [*series, *([target] if target is not None else [])]
    low, high = min(bounds), max(bounds)
    span = (high - low) or abs(high) or 1
    low, high = low - span * 0.15, high + span * 0.15
    plot_w, plot_h = _TREND_W - _PAD_L - _PAD_R, _TREND_H - _PAD_T - _PAD_B

    def y(value: float) -> float:
        return round(float(_PAD_T + plot_h * (high - value) / (high - low)), 1)

    def x(i: int) -> float:
        step = plot_w * i / (len(months) - 1) if len(months) > 1 else plot_w / 2
        return round(_PAD_L + step, 1)

    points = [{"x": x(i), "y": y(v), "month": m, "value": figure(v, unit),
               "met": target is None or meets(v, target, better)}
              for i, (m, v) in enumerate(zip(months, series, strict=True))]
    latest = points[-1]
    if target is None:
        state, colour = "latest", NEUTRAL
    else:
        state, colour = ("met", MET) if latest["met"] else ("missed", MISSED)
    shown_target = figure(target, unit) if target is not None else None
    # The latest value's label sits on the far side of the point from the target line, so
    # the line never runs through it; above the point when there is no room below.
    point_y = y(series[-1])
    below = target is not None and point_y > y(target)
    label_y = point_y + 20 if below and point_y + 20 < _TREND_H - _PAD_B + 4 else point_y - 9
    if label_y < 12:
        label_y = point_y + 20
    description = (f"{name}: " + (f"target {shown_target} ({better} is better); "
                                  if shown_target else "") +
                   ", ".join(f"{p['month']} {p['value']}" for p in points) +
                   (f"; latest {state}" if target is not None else ""))
    return render_chart(
        "charts/trend", uid=chart_uid(kind, name, description), width=_TREND_W,
        height=_TREND_H, points=points, path=" ".join(f"{p['x']},{p['y']}" for p in points),
        target_y=y(target) if target is not None else None, target=shown_target,
        left=_PAD_L, right=_TREND_W - _PAD_R, bottom=_TREND_H - _PAD_B, latest=latest,
        colour=colour, state=state if target is not None else "", label_y=label_y,
        title=f"{name} against its target" if target is not None else name,
        description=description,
    )
