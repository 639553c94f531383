"""The risk heat map: chips at their cells, residual arrows, escaped, ids unique per chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from svg_support import NS, links, parse, titles

from portico.sections.risks.chart import heatmap_cells, heatmap_chart, heatmap_phone, heatmap_svg
from portico.sections.risks.model import Risk


def risk(id: str, likelihood: int, impact: int, **extra: Any) -> Risk:
    return Risk(id=id, title=extra.pop("title", f"Risk {id}"), likelihood=likelihood,
                      impact=impact, status="open", owner="CTO", **extra)


RISKS = [
    risk("RISK-001", 4, 5, residual_likelihood=2, residual_impact=4),
    risk("RISK-002", 3, 3),
    risk("RISK-003", 3, 3),
    risk("RISK-004", 5, 1, residual_likelihood=5, residual_impact=1),  # unchanged: no arrow
    risk("RISK-005", 1, 2),
]


def heatmap(risks: list[Risk]) -> ET.Element:
    return parse(heatmap_svg(risks, link=lambda r: f"risks/{r.id.lower()}/").svg)


# --- Heat map ------------------------------------------------------------------------


def test_heatmap_cells_hold_the_ids_at_their_inherent_position() -> None:
    cells = heatmap_cells(RISKS)
    assert len(cells) == 25
    assert {cell: ids for cell, ids in cells.items() if ids} == {
        (4, 5): ["RISK-001"], (3, 3): ["RISK-002", "RISK-003"], (5, 1): ["RISK-004"],
        (1, 2): ["RISK-005"],
    }
    assert sum(len(ids) for ids in cells.values()) == len(RISKS)


def test_heatmap_chip_links_to_each_risk_with_its_score_in_the_title() -> None:
    root = heatmap(RISKS)
    chart = heatmap_svg(RISKS, link=lambda r: f"risks/{r.id.lower()}/")
    assert {link.href for link in chart.links} == {f"risks/risk-00{n}/" for n in range(1, 6)}
    assert not links(root)  # no <a> in the SVG: Material's instant navigation breaks on it
    chips = [g for g in root.iter(f"{NS}g") if "portico-heatmap__chip" in g.get("class", "").split()]
    inherent = [g for g in chips if "residual" not in g.get("class", "")]
    assert len(inherent) == len(RISKS)
    title = "RISK-001: Risk RISK-001, score 20 (critical); residual 8 (medium)"
    assert title in [g.findtext(f"{NS}title") for g in inherent]  # the SVG keeps its titles
    first = next(link for link in chart.links if link.href == "risks/risk-001/")
    assert first.title == title


def test_heatmap_residual_chip_for_a_moved_risk() -> None:
    root = heatmap(RISKS)
    residual = [g for g in root.iter(f"{NS}g") if "chip--residual" in g.get("class", "")]
    assert [g.findtext(f"{NS}title", "")[:8] for g in residual] == ["RISK-001"]  # 004 stayed
    assert any(r.get("stroke-dasharray") for r in residual[0].iter(f"{NS}rect"))
    inherent = next(g for g in root.iter(f"{NS}g") if g.get("data-for") == "RISK-001"
                    and "chip--residual" not in g.get("class", ""))
    # From (4, 5) to (2, 4): the dashed chip sits below and left of the solid one.
    solid, dashed = inherent.find(f"{NS}rect"), residual[0].find(f"{NS}rect")
    assert solid is not None and dashed is not None
    assert float(dashed.get("x", 0)) < float(solid.get("x", 0))
    assert float(dashed.get("y", 0)) > float(solid.get("y", 0))


# The Lumen demo's moves: seven risks, four of them into one column.
CROWDED = [
    risk("RISK-001", 4, 5, residual_likelihood=1, residual_impact=5),
    risk("RISK-002", 3, 4, residual_likelihood=1, residual_impact=3),
    risk("RISK-003", 5, 4, residual_likelihood=1, residual_impact=4),
    risk("RISK-004", 3, 5, residual_likelihood=2, residual_impact=4),
    risk("RISK-005", 3, 4, residual_likelihood=2, residual_impact=3),
    risk("RISK-006", 3, 4, residual_likelihood=2, residual_impact=3),
    risk("RISK-007", 3, 5, residual_likelihood=2, residual_impact=3),
]


def test_heatmap_pairs_each_move_by_id_without_arrows_that_would_bundle() -> None:
    """With seven moves, arrows bundled in the gaps between cells and could not be told
    apart. Each moved risk instead has a dashed chip with its own id where it lands, and
    a title that says where it came from."""
    root = heatmap(CROWDED)
    assert not [line for line in root.iter(f"{NS}polyline")]
    assert not [m for m in root.iter(f"{NS}marker")]
    residual = [g for g in root.iter(f"{NS}g") if "chip--residual" in g.get("class", "")]
    assert sorted(g.get("data-for") for g in residual) == [r.id for r in CROWDED]
    for chip in residual:
        title = chip.findtext(f"{NS}title", "")
        assert title.startswith(f"{chip.get('data-for')} after treatment") and ", was " in title


def test_heatmap_crowded_cell_shows_three_chips_and_the_count_of_the_rest() -> None:
    crowd = [risk(f"R{n}", 3, 3) for n in range(6)]
    root = heatmap(crowd)
    assert len(heatmap_svg(crowd, link=lambda r: r.id).links) == 3
    more = [t for t in root.iter(f"{NS}text") if "more" in "".join(t.itertext())]
    assert len(more) == 1 and "+3 more" in "".join(more[0].itertext())
    assert "Also here: R3, R4, R5" in titles(root)


def test_heatmap_escapes_a_hostile_title() -> None:
    hostile = '<script>alert(1)</script> & "quotes"'
    chart = heatmap_svg([risk("RISK-666", 5, 5, title=hostile)],
                        link=lambda r: '/x?a=1&b="2"')
    assert "<script>" not in chart.svg and "<script>" not in chart.html()
    root = parse(chart.svg)
    assert f"RISK-666: {hostile}, score 25 (critical)" in titles(root)
    assert [link.href for link in chart.links] == ['/x?a=1&b="2"']
    assert 'href="/x?a=1&amp;b=&#34;2&#34;"' in chart.html()
    assert not list(root.iter("script")) and not list(root.iter(f"{NS}script"))


def test_heatmap_axis_words_and_band_legend() -> None:
    text = " ".join(" ".join(t.itertext()) for t in heatmap([]).iter(f"{NS}text"))
    for word in ("Impact →", "Likelihood ↑", "Minor", "Severe", "Rare", "Almost certain",
                 "Low 1–4", "Critical 16–25", "Residual"):
        assert word in text


def test_cell_scores_keep_a_halo_so_chips_and_counts_stay_legible() -> None:
    root = heatmap([*RISKS, risk("RISK-009", 3, 5)])
    halo = next(g for g in root if g.get("class") == "portico-heatmap__cell-text")
    assert all(t.get("stroke") for t in halo.iter(f"{NS}text"))
    assert halo.get("paint-order") == "stroke"


def test_the_phone_form_counts_each_cell_and_lists_every_risk() -> None:
    crowd = [*RISKS, *(risk(f"RISK-1{n}", 3, 3) for n in range(4))]
    phone = heatmap_phone(crowd, link=lambda r: f"#{r.id.lower()}")
    svg = parse(phone[phone.index("<svg"):phone.index("</svg>") + 6])
    assert float(svg.get("viewBox", "").split()[2]) <= 360  # fits a 360 px phone unscaled
    counts = [t.text for t in svg.iter(f"{NS}text") if t.get("font-size") == "17"]
    assert sorted(counts, key=int) == ["1", "1", "1", "6"]  # (3, 3) holds six
    assert min(float(t.get("font-size", 0)) for t in svg.iter(f"{NS}text")) >= 10
    for r in crowd:
        assert f'<a href="#{r.id.lower()}"><strong>{r.id}</strong>' in phone


def test_the_heat_map_ships_both_forms_the_phone_one_out_of_search() -> None:
    html = heatmap_chart(RISKS, link=lambda r: r.id).html()
    assert '<div class="pt-chart__desktop"><div class="pt-chart__frame">' in html
    assert '<div class="pt-chart__phone" data-search-exclude>' in html


# --- Timeline ------------------------------------------------------------------------


def test_two_charts_on_one_page_do_not_share_ids() -> None:
    a = parse(heatmap_svg(RISKS, link=lambda r: "#").svg)
    b = parse(heatmap_svg(RISKS[:2], link=lambda r: "#").svg)
    ids_a, ids_b = ({e.get("id") for e in root.iter() if e.get("id")} for root in (a, b))
    assert ids_a and not ids_a & ids_b


def test_a_movement_arrow_crosses_no_other_risks_chip() -> None:
    """Arrows run along the borders between cells: never through a chip but their own."""
    moving = [risk(f"M{n}", lk, im, residual_likelihood=rl, residual_impact=ri) for n, (lk, im, rl, ri) in enumerate(
        [(4, 4, 2, 4), (2, 5, 2, 2), (4, 5, 2, 3), (3, 5, 2, 5), (2, 4, 1, 4), (5, 1, 1, 5)])]
    root = heatmap([*moving, risk("S1", 3, 4), risk("S2", 3, 3)])
    chips = {}
    for g in root.iter(f"{NS}g"):
        rect = g.find(f"{NS}rect[@data-mark]")
        if rect is not None:
            x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
            chips.setdefault(g.get("data-for"), []).append(
                (x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0))))
    for arrow in root.iter(f"{NS}polyline"):
        points = [tuple(map(float, p.split(","))) for p in arrow.get("points", "").split()]
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            for owner, boxes in chips.items():
                for left, top, right, bottom in boxes if owner != arrow.get("data-for") else ():
                    assert not (min(ax, bx) < right and max(ax, bx) > left
                                and min(ay, by) < bottom and max(ay, by) > top), owner
