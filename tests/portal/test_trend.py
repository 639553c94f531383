"""The trend chart (KPIs, SLAs): round ticks, months in the locale, the target at the edge,
and the latest value labelled off every line."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from svg_support import NS, parse

from portico.portal.locale import Formats
from portico.portal.trend import _crosses, nice_ticks, trend_chart, trend_svg

DEPLOYS = {"2026-06": 0.5, "2026-07": 1, "2026-08": 1, "2026-09": 2, "2026-10": 3,
           "2026-11": 4}


def _texts(svg: str) -> list[str]:
    return [" ".join(t.itertext()) for t in parse(svg).iter(f"{NS}text")]


@settings(max_examples=400, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
       st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e6))
def test_ticks_always_span_a_range_the_chart_can_divide_by(low: float, spread: float) -> None:
    # A KPI of 8.3e-16 once gave five ticks of 0.0, and the chart divided by their range.
    high = low + spread
    ticks = nice_ticks(low, high)
    assert 2 <= len(ticks) <= 5
    assert ticks[0] < ticks[-1]
    assert ticks == sorted(ticks)


def test_a_kpi_of_a_tiny_value_draws_its_chart() -> None:
    svg = trend_svg("Error rate", {"2000-01": 8.349460039699112e-16}, target=None, unit=None,
                    better="lower", formats=Formats())
    assert parse(svg) is not None


def test_ticks_are_few_and_round() -> None:
    assert nice_ticks(0.5, 5) == [0, 2, 4, 6]
    assert nice_ticks(99.2, 99.97) == [99.2, 99.4, 99.6, 99.8, 100]
    assert nice_ticks(4, 21) == [0, 10, 20, 30]
    assert nice_ticks(7, 7)[0] < 7 < nice_ticks(7, 7)[-1]
    # Exchange Online: 99.9 … 99.99 drew 100 / 99.97 / 99.95 / 99.92 / 99.9 (0.025 steps
    # rounded to two decimals); every tick is a round step its label shows exactly.
    assert nice_ticks(99.9, 99.99) == [99.9, 99.95, 100]
    assert nice_ticks(0, 9) == [0, 5, 10]
    assert nice_ticks(0, 90) == [0, 25, 50, 75, 100]


def test_tick_labels_are_evenly_spaced_round_numbers() -> None:
    """The printed labels, not only the values: equal differences, none rounded away."""
    import decimal

    for low, high in ((99.9, 99.99), (99.95, 99.99), (0.1, 0.19), (1, 9.5), (97, 99.97),
                      (0.5, 5), (12, 340)):
        ticks = nice_ticks(low, high)
        labels = [decimal.Decimal(Formats("en-US").number(t).replace(",", "")) for t in ticks]
        steps = {b - a for a, b in zip(labels, labels[1:], strict=False)}
        assert len(steps) == 1, (low, high, labels)


def test_months_are_the_locales_and_the_target_sits_at_the_edge() -> None:
    svg = trend_svg("Deploys", DEPLOYS, target=5, unit="per week", better="higher",
                    formats=Formats("en-US"), state="missed")
    texts = _texts(svg)
    assert "Jun\u00a02026" in texts and "Nov\u00a02026" in texts
    assert not any("2026-" in text for text in texts)
    assert "target 5 per week" in texts and {"4 per week", "missed"} <= set(texts)
    root = parse(svg)
    target = next(g for g in root.iter(f"{NS}g") if g.get("data-for") == "target")
    line = target.find(f"{NS}line")
    label = target.find(f"{NS}text")
    assert line is not None and label is not None
    assert float(label.get("x", 0)) > float(line.get("x2", 0))  # right of the plot


def test_the_latest_label_touches_no_line() -> None:
    for values, target, better in ((DEPLOYS, 5, "higher"),
                                   ({"2026-09": 9, "2026-10": 6, "2026-11": 4}, 3, "lower"),
                                   ({"2026-10": 100, "2026-11": 100}, 100, "higher")):
        svg = trend_svg("K", values, target=target, unit=None, better=better,
                        formats=Formats(), state="met")
        root = parse(svg)
        value = next(g for g in root.iter(f"{NS}g")
                     if "pt-trend__value" in g.get("class", ""))
        lines = [(float(p.split(",")[0]), float(p.split(",")[1]))
                 for p in root.find(f"{NS}polyline").get("points", "").split()]  # type: ignore[union-attr]
        for text in value.iter(f"{NS}text"):
            x, y = float(text.get("x", 0)), float(text.get("y", 0))
            width = len("".join(text.itertext())) * 13 * 0.6
            left = x - width if text.get("text-anchor") == "end" else x
            box = (left, y - 12, left + width, y + 3)
            assert not any(_crosses(a, b, box) for a, b in zip(lines, lines[1:], strict=False)), values


def test_a_target_not_yet_due_draws_the_way_to_it() -> None:
    chart = trend_chart("SOC 2", {"2026-10": 72, "2026-11": 81}, target=100, unit="%",
                        better="higher", formats=Formats(), target_by=dt.date(2027, 3, 31))
    assert "pt-trend__towards" in chart and "by Mar\u00a02027" in chart
    assert chart.count("<svg") == 2  # the column's width, and a phone's
