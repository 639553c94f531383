"""A monthly measure against its target, as a line chart a board reads: SLA values, KPIs.

The chart takes its column's width (a phone form is drawn too), with a value axis of a few
round ticks and their gridlines, months in the portal's locale, the target as a dashed
reference line labelled at the right edge, and the latest value labelled where it touches
no line (tried around the point, first free place wins). A target with a due date still
ahead is drawn as the path from the latest value to it."""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from portico.portal.charts import both_forms, chart_uid, render_chart, text_width, wrap_words
from portico.portal.locale import Formats

__all__ = ["figure", "latest", "meets", "nice_ticks", "trend_chart", "trend_svg"]

_FONT, _TICK_FONT, _LINE = 13, 12, 16  # label and tick sizes; a label's line pitch
_WIDE = _FONT * 1.1  # labels are measured as if bold, with room to spare: they never clip
_FORMS = {"desktop": (720, 240), "phone": (340, 220)}  # viewBox of each form

Box = tuple[float, float, float, float]  # left, top, right, bottom


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


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """At most `most` round values (steps of 1, 2 or 5 × 10ⁿ, and 25, 250 … ) covering
    low..high. A step of 2.5 × 10ⁿ adds a decimal place below 10 (0.025 between 99.9 and
    100 printed as 99.92, 99.97 at the portal's two decimals): it is used from 25 up."""
    if high == low:
        pad = abs(high) * 0.1 or 1
        low, high = low - pad, high + pad
    raw = (high - low) / (most - 1)
    if raw < sys.float_info.min:  # a range too small for a float step: its two ends
        return [low, high]
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 2.5, 5, 10) if power >= 10 else (1, 2, 5, 10)
    step = next(power * m for m in steps if power * m >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    while last - first + 1 > most:
        step *= 2
        first, last = math.floor(low / step), math.ceil(high / step)
    # Rounded to the step's own decimals and two more: float noise (0.30000000000000004)
    # goes, and a tiny step (a KPI of 8.3e-16) keeps its ticks apart.
    digits = max(0, -math.floor(math.log10(step))) + 2
    ticks = sorted({round(n * step, digits) for n in range(first, last + 1)})
    if len(ticks) < 2:  # steps below the values' own float precision (1e15 + 0.1)
        return [low, high]
    return ticks


def _ordinal(month: str | dt.date) -> int:
    if isinstance(month, dt.date):
        return month.year * 12 + month.month - 1
    year, number = month.split("-")[:2]
    return int(year) * 12 + int(number) - 1


def _month_key(ordinal: int) -> str:
    return f"{ordinal // 12}-{ordinal % 12 + 1:02d}"


def _crosses(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """Whether the segment a–b passes through `box` (Liang–Barsky)."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        low, high = (max(low, t), high) if p < 0 else (low, min(high, t))
        if low > high:
            return False
    return True


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class _Label:
    lines: tuple[str, ...]
    x: float
    top: float  # of its first line's box; baselines follow at `_LINE`
    anchor: str  # start | end

    @property
    def width(self) -> float:
        return max(text_width(line, _WIDE) for line in self.lines)

    @property
    def box(self) -> Box:
        left = self.x - self.width if self.anchor == "end" else self.x
        return left, self.top, left + self.width, self.top + _LINE * len(self.lines)

    @property
    def baselines(self) -> list[float]:
        return [round(self.top + 12 + n * _LINE, 1) for n in range(len(self.lines))]


def _place_latest(lines: tuple[str, ...], point: tuple[float, float],
                  segments: Sequence[tuple[tuple[float, float], tuple[float, float]]],
                  taken: Sequence[Box], bounds: Box) -> _Label:
    """The latest value's label: right of the point, level with it, then ever further above
    or below it; then the same left of the point. The first place that touches no line, no
    other label and stays in `bounds` wins."""
    x, y = point
    height = _LINE * len(lines)
    shifts = [0.0] + [sign * step * 6.0 for step in range(1, 30) for sign in (-1, 1)]
    tries = [(x + 10, y - height / 2 + dy, "start") for dy in shifts] + \
            [(x - 10, y - height / 2 + dy, "end") for dy in shifts if abs(dy) >= height / 2 + 6]
    labels = [_Label(lines, round(lx, 1), round(top, 1), anchor) for lx, top, anchor in tries]

    def clear(label: _Label) -> bool:
        box = label.box
        padded = (box[0] - 3, box[1] - 2, box[2] + 3, box[3] + 2)
        return (bounds[0] <= box[0] and box[2] <= bounds[2] and bounds[1] <= box[1]
                and box[3] <= bounds[3]
                and not any(_crosses(a, b, padded) for a, b in segments)
                and not any(_overlaps(padded, other) for other in taken))

    return next((label for label in labels if clear(label)), labels[0])


def trend_svg(name: str, values: Mapping[str, float], *, target: float | None,
              unit: str | None, better: str, formats: Formats, kind: str = "trend",
              target_by: dt.date | None = None, state: str | None = None,
              form: str = "desktop") -> str:
    """Monthly `values` (YYYY-MM → number) as a line on a value axis, the target as a
    reference line, the latest value labelled with `state` (met, missed; none when the
    target is not due yet, or there is none). `target_by`: the target's due date; when it
    is after the latest month, a dashed path runs from the latest value to it.
    `form`: "desktop" (720 wide, for a column) or "phone" (340 wide)."""
    width, height = _FORMS[form]
    months = sorted(values)
    first, last = _ordinal(months[0]), _ordinal(months[-1])
    ahead = target is not None and target_by is not None and _ordinal(target_by) > last
    end = _ordinal(target_by) if ahead and target_by is not None else last
    series = [values[m] for m in months]
    ticks = nice_ticks(min([*series, *([target] if target is not None else [])]),
                       max([*series, *([target] if target is not None else [])]))
    tick_text = [f"{formats.number(t)}{'%' if unit == '%' else ''}" for t in ticks]
    shown_target = figure(target, unit) if target is not None else None
    target_lines: tuple[str, ...] = ()
    if shown_target is not None:
        room = 150 if form == "desktop" else 100
        target_lines = ((f"target {shown_target}",)
                        if text_width(f"target {shown_target}", _WIDE) <= room
                        else ("target", *wrap_words(shown_target, room, _WIDE)))
        if ahead and target_by is not None:
            target_lines += (f"by {formats.month(target_by)}",)
    latest_lines = (figure(series[-1], unit), *((state,) if state else ()))
    left = 12 + max(text_width(t, _TICK_FONT) for t in tick_text)
    right_pad = max([text_width(line, _WIDE) for line in (*target_lines, *latest_lines)]) + 14
    right = width - min(right_pad, width * 0.36)
    top, bottom = 12.0, height - 34.0
    low, high = ticks[0], ticks[-1]

    def y(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 1)

    def x(ordinal: int) -> float:
        return round(left + 6 + (right - left - 6) * ((ordinal - first) / (end - first)
                                                     if end > first else 0.5), 1)

    points = [{"x": x(_ordinal(m)), "y": y(v), "month": formats.month(m),
               "value": figure(v, unit)} for m, v in zip(months, series, strict=True)]
    path = [(x(_ordinal(m)), y(v)) for m, v in zip(months, series, strict=True)]
    segments = list(zip(path, path[1:], strict=False))
    guides: list[tuple[tuple[float, float], tuple[float, float]]] = []
    target_label = None
    if target is not None:
        ty = y(target)
        guides.append(((left, ty), (right, ty)))
        tall = _LINE * len(target_lines)
        label_top = min(max(ty - tall / 2, 0), bottom - tall)
        target_label = _Label(target_lines, right + 8, round(label_top, 1), "start")
    towards = None
    if ahead and target is not None and target_by is not None:
        towards = (path[-1], (x(end), y(target)))
        guides.append(towards)
    dots = [(px - 4, py - 4, px + 4, py + 4) for px, py in path]
    placed = _place_latest(latest_lines, path[-1], segments + guides,
                           [*dots[:-1], *([target_label.box] if target_label else [])],
                           (0, 0, width, bottom + 2))
    # Month labels: as many as fit without touching, always the first and the latest.
    month_w = max(text_width(formats.month(_month_key(o)), _TICK_FONT) for o in (first, end))
    step = max(1, math.ceil((month_w + 14) / ((right - left) / max(end - first, 1))))
    shown: list[int] = []  # the target's month, the latest, the first, then every step-th
    for ordinal in (end, last, first, *range(first, end + 1, step)):
        if all(abs(ordinal - other) >= step for other in shown):
            shown.append(ordinal)
    shown.sort()
    half = month_w / 2 + 2  # a month's label centred under its point, kept in the chart
    month_ticks = [(min(max(x(o), half), width - half), formats.month(_month_key(o)))
                   for o in shown]
    description = (f"{name}: " + (f"target {shown_target}" + (
        f" by {formats.month(target_by)}" if ahead and target_by else "")
        + f" ({better} is better); " if shown_target else "")
        + ", ".join(f"{p['month']} {p['value']}" for p in points)
        + (f"; latest {state}" if state else ""))
    return render_chart(
        "charts/trend", uid=chart_uid(kind, name, description, form), width=width,
        height=height, left=left, right=right, top=top, bottom=bottom, form=form,
        grid=[(y(t), text) for t, text in zip(ticks, tick_text, strict=True)],
        months=month_ticks, points=points,
        path=" ".join(f"{px},{py}" for px, py in path), state=state or "",
        target_y=y(target) if target is not None else None, target_label=target_label,
        towards=towards, latest_label=placed,
        title=f"{name} against its target" if target is not None else name,
        description=description,
    )


def trend_chart(name: str, values: Mapping[str, float], *, target: float | None,
                unit: str | None, better: str, formats: Formats, kind: str = "trend",
                target_by: dt.date | None = None, state: str | None = None) -> Markup:
    """`trend_svg` in both forms: the column's width on wide screens, 340 wide on phones."""
    def form(name_of_form: str) -> Markup:
        return Markup(trend_svg(name, values, target=target, unit=unit, better=better,
                                formats=formats, kind=kind, target_by=target_by, state=state,
                                form=name_of_form))

    return both_forms(form("desktop"), form("phone"))
