"""Charts as inline SVG, made at build time: risk heat map, roadmap timeline, scorecard, status bar.

Python computes every coordinate and decision; the templates in `templates/charts/` only
draw what they receive, with Jinja autoescape on. Each function returns one `<svg>` element
with no blank line and no XML declaration, so it can sit inside a `<div>` in Markdown.
A chart whose marks link (heat map, timeline) returns a `LinkedChart`: its SVG has no
`<a>`, and `html()` lays the links over it. A chart too wide for a phone also has a
phone form drawn at build time (`ResponsiveChart`); CSS shows one form per width.
Text uses `currentColor` (light and dark palettes, print); band and status fills are
explicit and kept in `BAND_COLOURS` / `STATUS_COLOURS` for badges and CSS. Callers pass
only what the portal may show (internal items already dropped). Ids inside a chart are
prefixed with a hash of its input, so several charts can share a page.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from portico.portal.jinja import template_loader
from portico.portal.labels import label as label_of

__all__ = [
    "BAND_COLOURS", "BAND_TEXT_COLOURS", "STATUS_COLOURS", "STATUS_TEXT_COLOURS",
    "PHONE_BREAKPOINT", "ChartLink", "LinkedChart", "ResponsiveChart", "both_forms", "chart_uid",
    "fit_text", "legend_layout", "one_line", "render_chart", "render_fragment", "status_bar_svg",
    "text_width", "wrap_words",
]

BAND_COLOURS: dict[str, str] = {
    "low": "#a5d6a7", "medium": "#ffe082", "high": "#ffb74d", "critical": "#ef5350",
}
BAND_TEXT_COLOURS: dict[str, str] = {band: "#1a1a1a" for band in BAND_COLOURS}
STATUS_COLOURS: dict[str, str] = {
    "planned": "#546e7a", "in-progress": "#1565c0", "done": "#2e7d32",
    "at-risk": "#f9a825", "blocked": "#c62828", "dropped": "#9e9e9e",
}
STATUS_TEXT_COLOURS: dict[str, str] = {
    "planned": "#ffffff", "in-progress": "#ffffff", "done": "#ffffff",
    "at-risk": "#1a1a1a", "blocked": "#ffffff", "dropped": "#1a1a1a",
}
PHONE_BREAKPOINT = 600
"""Viewport width (CSS px) under which a `ResponsiveChart` shows its phone form; portal.css
uses the same number."""
_FALLBACK_FILLS = ("#3949ab", "#00796b", "#6d4c41", "#8e24aa", "#455a64")  # white text on each
_CHAR_WIDTH = 0.6  # average advance of a sans-serif glyph, in ems; errs wide so text fits
_LEGEND_CHAR_WIDTH = 0.55  # closer to Roboto's, for even spacing between legend entries


def _number(value: Any) -> Any:
    """Print floats as coordinates: at most two decimals, no float noise."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else value


@functools.cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=template_loader(),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
        finalize=_number,
        auto_reload=False,  # a build's templates never change under it
    )


def compile_charts(cache: Path | None = None) -> None:
    """Compile every chart template now (a build's parent process does, so that each of
    its freshly forked workers inherits them instead of compiling them again).

    `cache`: a folder where Jinja keeps their compiled code between builds (keyed by each
    template's source; Portico's templates only, never client content): a build then loads
    them rather than compiling them (~0.25 s)."""
    env = _env()
    if cache is not None and env.bytecode_cache is None:
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
    for name in env.list_templates(filter_func=lambda n: n.endswith((".svg.j2", ".html.j2"))):
        env.get_template(name)


def render_chart(name: str, **context: Any) -> str:
    """Render a chart template and drop indentation and empty lines (Markdown-safe).

    `name` is `charts/<chart>` for the portal's own, `<section>/<chart>` for a section's.
    """
    svg = _env().get_template(f"{name}.svg.j2").render(**context)
    return "\n".join(line.strip() for line in svg.splitlines() if line.strip())


def render_fragment(name: str, **context: Any) -> Markup:
    """Render an HTML template of a chart (`<section>/<name>.html.j2`), Markdown-safe."""
    html = _env().get_template(f"{name}.html.j2").render(**context)
    return Markup("\n".join(line.strip() for line in html.splitlines() if line.strip()))


@dataclass(frozen=True)
class ChartLink:
    """A clickable area of a chart, in the chart's viewBox units."""

    href: str
    title: str  # its accessible name and tooltip
    x: float
    y: float
    width: float
    height: float
    css: str = ""  # its class, naming the kind of mark (a residual chip)


@dataclass(frozen=True)
class LinkedChart:
    """A chart whose marks link somewhere (heat-map chips, timeline bars).

    The links are not `<a>` elements inside the SVG: Material's instant navigation sets
    `href` on every linked element after a page change, which throws on an SVGAElement.
    `html()` lays an HTML link per mark over the SVG instead, positioned in percent of
    the viewBox, so every mark stays clickable and in the tab order at any width.
    """

    svg: str  # one <svg> element, no <a> inside
    links: tuple[ChartLink, ...]
    width: float  # the viewBox the links' coordinates refer to
    height: float

    def html(self) -> Markup:
        """The SVG and its link layer in one frame, Markdown-safe (no blank line)."""
        def pct(value: float, whole: float) -> str:
            return f"{100 * value / whole:.3f}".rstrip("0").rstrip(".") + "%"

        anchors = "".join(
            f'<a href="{escape(link.href)}" class="{escape(link.css)}" '
            f'title="{escape(link.title)}" aria-label="{escape(link.title)}" '
            f'style="left:{pct(link.x, self.width)};top:{pct(link.y, self.height)};'
            f'width:{pct(link.width, self.width)};height:{pct(link.height, self.height)}"></a>'
            for link in self.links)
        layer = f'<div class="pt-chart__links" data-search-exclude>{anchors}</div>' \
            if anchors else ""
        return Markup(f'<div class="pt-chart__frame">{self.svg}{layer}</div>')


@dataclass(frozen=True)
class ResponsiveChart:
    """A chart in two forms, both drawn at build time: the desktop chart and a phone form
    that fits 360 px. portal.css shows the phone form under `PHONE_BREAKPOINT` and the
    desktop form otherwise (and in print)."""

    desktop: LinkedChart
    phone: Markup  # HTML; its text is a duplicate of the page's, kept out of search

    def html(self) -> Markup:
        """Both forms, Markdown-safe (no blank line)."""
        return both_forms(self.desktop.html(), self.phone)


def both_forms(desktop: Markup, phone: Markup) -> Markup:
    """A chart's desktop and phone forms side by side; portal.css shows one per width. The
    phone form repeats what the page says, so it stays out of search."""
    return Markup(f'<div class="pt-chart__desktop">{desktop}</div>'
                  f'<div class="pt-chart__phone" data-search-exclude>{phone}</div>')


def chart_uid(kind: str, *parts: object) -> str:
    """An id prefix stable for the same input, distinct between charts on one page."""
    return f"{kind}-{hashlib.sha1(repr(parts).encode()).hexdigest()[:8]}"


def one_line(text: str) -> str:
    return " ".join(text.split())


def fit_text(text: str, width: float, size: float) -> str:
    """`text` cut with an ellipsis to fit `width` at font `size`; "" when nothing fits."""
    text = one_line(text)
    room = int(width / (size * _CHAR_WIDTH))
    if len(text) <= room:
        return text
    return text[: room - 1].rstrip() + "…" if room >= 3 else ""


def text_width(text: str, size: float, em: float = _CHAR_WIDTH) -> float:
    return len(text) * size * em


def wrap_words(text: str, width: float, size: float) -> tuple[str, ...]:
    """`text` in lines of whole words, each fitting `width` at font `size` (a word longer
    than that alone on its line): never cut."""
    lines: list[str] = []
    for word in one_line(text).split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def _fill(key: str, index: int) -> tuple[str, str]:
    """Fill and text colour of a status, a band, or (unknown key) a neutral colour."""
    if key in STATUS_COLOURS:
        return STATUS_COLOURS[key], STATUS_TEXT_COLOURS[key]
    if key in BAND_COLOURS:
        return BAND_COLOURS[key], BAND_TEXT_COLOURS[key]
    return _FALLBACK_FILLS[index % len(_FALLBACK_FILLS)], "#ffffff"


def legend_layout(entries: Sequence[str], width: float, size: float, swatch: float) -> list[
        tuple[float, int]]:
    """(x, row) of each legend entry (swatch, gap, label), wrapping rows at `width`."""
    placed, x, row = [], 0.0, 0
    for text in entries:
        step = swatch + 6 + text_width(text, size, _LEGEND_CHAR_WIDTH) + 20
        if x and x + step - 20 > width:
            x, row = 0.0, row + 1
        placed.append((round(x, 1), row))
        x += step
    return placed


# --- Status bar ----------------------------------------------------------------------

# 360 wide: in a home card or on a phone its 13-unit text stays over 10 px as rendered.
_SB_WIDTH, _SB_BAR_Y, _SB_BAR_H = 360, 26, 24


def status_bar_svg(counts: Sequence[tuple[str, int]], *, label: str) -> str:
    """A stacked bar of counts in the given order (e.g. items by status), with a legend.

    Roadmap statuses and risk bands get their colours; other keys a neutral palette.
    """
    total = sum(n for _, n in counts)
    segments, x = [], 0.0
    for index, (key, n) in enumerate(counts):
        fill, ink = _fill(key, index)
        width = _SB_WIDTH * n / total if total else 0
        if n:
            segments.append({"x": round(x, 1), "width": round(width, 1), "fill": fill,
                             "ink": ink, "title": f"{label_of(key)}: {n}",
                             "text": str(n) if width >= text_width(str(n), 13) + 8 else ""})
        x += width
    entries = [f"{label_of(key)} {n}" for key, n in counts]
    placed = legend_layout(entries, _SB_WIDTH, 13, 14)
    legend = [{"x": x, "y": _SB_BAR_Y + _SB_BAR_H + 14 + row * 22, "text": text,
               "fill": _fill(key, index)[0]}
              for index, (text, (key, _), (x, row)) in enumerate(zip(entries, counts, placed,
                                                                    strict=True))]
    rows = 1 + max((row for _, row in placed), default=0)
    return render_chart(
        "charts/status_bar", uid=chart_uid("status", list(counts), label), width=_SB_WIDTH,
        height=_SB_BAR_Y + _SB_BAR_H + 14 + rows * 22, label=one_line(label),
        total=total, bar_y=_SB_BAR_Y, bar_h=_SB_BAR_H, segments=segments, legend=legend,
        description=f"{one_line(label)}: " + ", ".join(f"{label_of(k)} {n}" for k, n in counts)
        + f"; {total} in total.",
    )
