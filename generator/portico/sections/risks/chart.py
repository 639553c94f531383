"""The risk heat map: 5×5 likelihood × impact, a linked chip per risk and a dashed one where
it lands after treatment;
and its phone form, a grid of counts per cell with the list of risks below."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from markupsafe import Markup

from portico.portal.charts import (
    BAND_COLOURS,
    ChartLink,
    LinkedChart,
    ResponsiveChart,
    chart_uid,
    fit_text,
    one_line,
    render_chart,
    render_fragment,
)
from portico.portal.labels import label as word_for
from portico.sections.risks.model import BANDS, Risk, band

LIKELIHOOD_WORDS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_WORDS = ("Minor", "Moderate", "Significant", "Major", "Severe")

_HM_LEFT, _HM_TOP, _HM_CELL_W, _HM_CELL_H = 118, 30, 112, 88
_HM_CHIP_W, _HM_CHIP_H, _HM_PITCH, _HM_FITS = 88, 15, 18, 3
# Cells are drawn inset, leaving a street of the page's colour between them, so each cell
# reads as one box in both schemes.
_HM_STREET = 12
_HM_CHIP_TOP = _HM_STREET / 2 + 5  # a chip's first row, from the cell's top
_HM_MORE_SHIFT = 10  # a 3-digit "+N more", moved left clear of the cell's score
_PH_LEFT, _PH_TOP, _PH_CELL_W, _PH_CELL_H = 44, 26, 58, 44  # phone form: 340 wide
PHONE_LIST_LIMIT = 20  # the phone form lists this many risks, then says how many more
MORE_TITLE_LIMIT = 12  # a crowded cell's "+N more" names this many ids in its tooltip
_HM_LINK_CSS = {False: "portico-heatmap__link",
                True: "portico-heatmap__link portico-heatmap__link--residual"}


def _by_cell(risks: Sequence[Risk]) -> dict[tuple[int, int], list[Risk]]:
    cells: dict[tuple[int, int], list[Risk]] = {
        (lk, im): [] for lk in range(5, 0, -1) for im in range(1, 6)
    }
    for risk in risks:
        cells[(int(risk.likelihood), int(risk.impact))].append(risk)
    return cells


def heatmap_cells(risks: Sequence[Risk]) -> dict[tuple[int, int], list[str]]:
    """Risk ids at each (likelihood, impact) cell, by inherent position; all 25 cells present."""
    return {cell: [risk.id for risk in here] for cell, here in _by_cell(risks).items()}


def _cell_origin(likelihood: int, impact: int) -> tuple[float, float]:
    return _HM_LEFT + (impact - 1) * _HM_CELL_W, _HM_TOP + (5 - likelihood) * _HM_CELL_H


def _risk_title(risk: Risk, residual: bool) -> str:
    if residual:
        score = risk.residual_score or 0
        return (f"{risk.id} after treatment: {one_line(risk.title)}, score {score} "
                f"({band(score)}), was {risk.score} ({risk.band})")
    title = f"{risk.id}: {one_line(risk.title)}, score {risk.score} ({risk.band})"
    if risk.residual_score is not None:
        title += f"; residual {risk.residual_score} ({band(risk.residual_score)})"
    return title


def _named(ids: Iterable[str]) -> str:
    """Ids for a tooltip, at most MORE_TITLE_LIMIT of them: a cell of a 2,000-risk register
    holds hundreds, which no tooltip can show (the register lists them all)."""
    shown = list(ids)
    if len(shown) <= MORE_TITLE_LIMIT:
        return ", ".join(shown)
    return f"{', '.join(shown[:MORE_TITLE_LIMIT])} and {len(shown) - MORE_TITLE_LIMIT} more"


def heatmap_svg(risks: Sequence[Risk], *, link: Callable[[Risk], str]) -> LinkedChart:
    """The 5×5 likelihood × impact heat map; each risk a linked chip at its inherent cell.

    A risk with both residual values also gets a dashed chip, with the same id, at its
    residual cell (none when the two cells are the same). No arrows join the two: with more
    than a few moves they bundle in the gaps between cells and cannot be told apart, while
    the pair of ids, the chips' titles and the register's residual column always can.
    A cell shows three chips, then "+N more". The caller chooses the risks (e.g. open ones).
    """
    occupants = {cell: [(r, False) for r in here] for cell, here in _by_cell(risks).items()}
    moved = [r for r in risks if r.residual_score is not None
             and (r.residual_likelihood, r.residual_impact) != (r.likelihood, r.impact)]
    for risk in moved:
        cell = (int(risk.residual_likelihood or 0), int(risk.residual_impact or 0))
        occupants[cell].append((risk, True))
    cells, chips, links = [], [], []
    for (lk, im), here in occupants.items():
        x, y = _cell_origin(lk, im)
        shown, hidden = here[:_HM_FITS], here[_HM_FITS:]
        for slot, (risk, residual) in enumerate(shown):
            chip_x, chip_y = x + (_HM_CELL_W - _HM_CHIP_W) / 2, y + _HM_CHIP_TOP + slot * _HM_PITCH
            title = _risk_title(risk, residual)
            chips.append({"title": title, "residual": residual, "risk": risk.id,
                          "x": chip_x, "y": chip_y,
                          "cell_fill": BAND_COLOURS[band(lk * im)],
                          "label": fit_text(risk.id, _HM_CHIP_W - 8, 11)})
            links.append(ChartLink(link(risk), title, chip_x, chip_y, _HM_CHIP_W, _HM_CHIP_H,
                                   _HM_LINK_CSS[residual]))
        cells.append({
            "x": x, "y": y, "score": lk * im, "fill": BAND_COLOURS[band(lk * im)],
            # "+106 more" centred would touch the cell's score in its corner: 3 digits move left
            "more": len(hidden), "more_y": y + _HM_CHIP_TOP + _HM_FITS * _HM_PITCH + 11,
            "more_x": x + _HM_CELL_W / 2 - (_HM_MORE_SHIFT if len(hidden) >= 100 else 0),
            "more_title": _named(r.id + (" (residual)" if res else "") for r, res in hidden),
        })
    bands = [r.band for r in risks]
    summary = ", ".join(f"{bands.count(b)} {b}" for b in reversed(BANDS) if b in bands)
    bottom = _HM_TOP + 5 * _HM_CELL_H
    width, height = _HM_LEFT + 5 * _HM_CELL_W + 14, bottom + 128
    svg = render_chart(
        "risks/heatmap", uid=chart_uid("heatmap", [(r.id, r.likelihood, r.impact) for r in risks]),
        width=width, height=height, left=_HM_LEFT, top=_HM_TOP,
        cell_w=_HM_CELL_W, cell_h=_HM_CELL_H, street=_HM_STREET, bottom=bottom, chip_w=_HM_CHIP_W,
        chip_h=_HM_CHIP_H, cells=cells, chips=chips,
        x_ticks=[(_HM_LEFT + (i + 0.5) * _HM_CELL_W, i + 1, w) for i, w in enumerate(IMPACT_WORDS)],
        y_ticks=[(_HM_TOP + (4.5 - i) * _HM_CELL_H, i + 1, w)
                 for i, w in enumerate(LIKELIHOOD_WORDS)],
        bands=[(b.capitalize(), rng, BAND_COLOURS[b]) for b, rng in
               zip(BANDS, ("1–4", "5–9", "10–15", "16–25"), strict=True)],
        description=(f"{len(risks)} risks by likelihood (1 rare to 5 almost certain) and impact "
                     f"(1 minor to 5 severe): {summary or 'none'}. Dashed chips show where "
                     f"{len(moved)} of them land after treatment."),
    )
    return LinkedChart(svg, tuple(links), width, height)


def heatmap_phone(risks: Sequence[Risk], *, link: Callable[[Risk], str],
                  rest: str = "") -> Markup:
    """The heat map's phone form: a 5×5 grid of how many risks sit in each cell (340 wide,
    so it fits 360 px with no text under 10 px), then the risks as linked lines, in the
    caller's order (the register's: highest score first): the first PHONE_LIST_LIMIT, then
    how many more, linked to `rest` (where the whole list is) when given."""
    cells = [{"x": _PH_LEFT + (im - 1) * _PH_CELL_W, "y": _PH_TOP + (5 - lk) * _PH_CELL_H,
              "fill": BAND_COLOURS[band(lk * im)], "count": len(ids)}
             for (lk, im), ids in heatmap_cells(risks).items()]
    bottom = _PH_TOP + 5 * _PH_CELL_H
    svg = render_chart(
        "risks/heatmap_phone",
        uid=chart_uid("heatmap-phone", [(r.id, r.likelihood, r.impact) for r in risks]),
        width=_PH_LEFT + 5 * _PH_CELL_W + 6, height=bottom + 44, left=_PH_LEFT, top=_PH_TOP,
        cell_w=_PH_CELL_W, cell_h=_PH_CELL_H, bottom=bottom, cells=cells,
        x_ticks=[_PH_LEFT + (i + 0.5) * _PH_CELL_W for i in range(5)],
        y_ticks=[_PH_TOP + (4.5 - i) * _PH_CELL_H for i in range(5)],
        description=f"How many of the {len(risks)} open risks sit at each likelihood "
                    "(1 to 5, up) and impact (1 to 5, right); the list below names them.")
    entries = [{
        "href": link(r), "id": r.id, "title": one_line(r.title), "score": r.score,
        "band": r.band, "band_label": word_for(r.band),
        "where": f"likelihood {r.likelihood} × impact {r.impact}",
        "residual": (f"after treatment {r.residual_score} ({band(r.residual_score)})"
                     if r.residual_score is not None else ""),
    } for r in risks[:PHONE_LIST_LIMIT]]
    return render_fragment("risks/heatmap_phone", svg=Markup(svg), entries=entries,
                           more=max(len(risks) - PHONE_LIST_LIMIT, 0), rest=rest)


def heatmap_chart(risks: Sequence[Risk], *, link: Callable[[Risk], str],
                  rest: str = "") -> ResponsiveChart:
    """The heat map in both forms: `heatmap_svg` on wide screens, `heatmap_phone` on phones
    (`rest`: where its list of risks continues)."""
    return ResponsiveChart(heatmap_svg(risks, link=link),
                           heatmap_phone(risks, link=link, rest=rest))


SPARK_POINTS = 32  # a 64-pixel line shows no more; a longer history keeps its extremes


def thinned(scores: Sequence[int]) -> list[int]:
    """At most about SPARK_POINTS scores that draw the same line: the first, the last, the
    latest change (so the line ends the way the trend beside it says), and each stretch's
    lowest and highest in their order (a peak never disappears)."""
    if len(scores) <= SPARK_POINTS:
        return list(scores)
    stretches = SPARK_POINTS // 2
    kept = {0, len(scores) - 1}
    changed = next((i for i in range(len(scores) - 2, -1, -1) if scores[i] != scores[-1]), None)
    if changed is not None:
        kept |= {changed, changed + 1}
    for n in range(stretches):
        start, end = n * len(scores) // stretches, (n + 1) * len(scores) // stretches
        stretch = scores[start:end]
        kept |= {start + stretch.index(min(stretch)), start + stretch.index(max(stretch))}
    return [scores[i] for i in sorted(kept)]


def score_sparkline(points: Sequence[tuple[object, int]], *, label: str) -> Markup:
    """A risk's score over its history as a small line (scores 1..25 on a fixed scale, so
    two sparklines compare), the latest point in its band's colour, ringed in the line's
    (the pale bands alone are under 3:1 on the page). No text inside: the
    numbers are written beside it, and `label` is its accessible name."""
    width, height, pad = 64.0, 18.0, 3.0  # the end dot (radius 2.5) stays inside the box
    scores = thinned([score for _, score in points])
    step = (width - 2 * pad) / max(len(scores) - 1, 1)

    def y(score: int) -> float:
        return round(height - pad - (score - 1) / 24 * (height - 2 * pad), 1)

    line = " ".join(f"{round(pad + i * step, 1)},{y(s)}" for i, s in enumerate(scores))
    end_x, end_y = round(pad + (len(scores) - 1) * step, 1), y(scores[-1])
    colour = BAND_COLOURS[band(scores[-1])]
    return Markup(
        f'<svg class="pt-spark" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'height="{height:g}" role="img" aria-label="{Markup.escape(label)}">'
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5" '
        f'stroke-linejoin="round"/><circle cx="{end_x}" cy="{end_y}" r="2.5" '
        f'fill="{colour}" stroke="currentColor" stroke-width="1"/></svg>')
