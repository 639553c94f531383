"""The client's colour and logo in the portal: WCAG contrast, brand CSS for both schemes.

Material sets its palette on `<body>` per scheme (`[data-md-color-primary=indigo]`), so
the brand CSS names both schemes on the same element; a rule on `:root` alone loses in
dark mode.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AA_TEXT", "DEFAULT_HEADER", "BrandPalette", "brand_css", "brand_palette",
           "contrast", "logo_colours", "logo_contrast", "needs_plate",
           "relative_luminance"]

AA_TEXT = 4.5
"""WCAG 2 AA minimum contrast for body-size text."""
DEFAULT_HEADER = "#4051b5"
"""Material's indigo: the header colour of a portal whose client names no colour."""
WHITE = "#ffffff"
NEAR_BLACK = "#1a1a1a"
SLATE_BACKGROUND = "#1e2129"
"""Material's slate page background (hsla(232, 15%, 14%)) as Chromium paints it, where
dark-mode links sit (#1e2029, a rounding away, let a link through at 4.48:1)."""
LOGO_PLATE = "#ffffff"
LOGO_CONTRAST = 3.0
"""WCAG's minimum for graphical objects: below it a logo is a smudge on the header."""

_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")


def _rgb(colour: str) -> tuple[int, int, int]:
    match = _HEX.match(colour.strip())
    if not match:
        raise ValueError(f"not a CSS hex colour: {colour!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a hex colour, 0 (black) to 1 (white)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two hex colours, 1 to 21 (order does not matter)."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _towards(colour: str, target: str, other: str, minimum: float) -> str:
    """`colour` mixed towards `target` in small steps until it reaches `minimum` against
    `other` (the first step that does)."""
    start, end = _rgb(colour), _rgb(target)
    for step in range(101):
        t = step / 100
        mixed = _hex(tuple(s + (e - s) * t for s, e in zip(start, end, strict=True)))  # type: ignore[arg-type]
        if contrast(mixed, other) >= minimum:
            return mixed
    return target


@dataclass(frozen=True)
class BrandPalette:
    """The colours a portal uses for one brand colour, each pair at AA or better."""

    brand: str
    """The client's colour as written."""
    header: str
    """Header and button background: the brand, or the brand moved just enough for AA."""
    header_text: str
    """Text on the header and buttons: white or near-black, whichever reads better."""
    link_light: str
    """Links and accents on the light page: the brand, darkened if it is too pale."""
    link_dark: str
    """Links and accents on the dark (slate) page: the brand, lightened if too dark."""


def brand_palette(colour: str) -> BrandPalette:
    """The header, text and link colours for `colour`, each checked against WCAG AA."""
    on_white, on_black = contrast(colour, WHITE), contrast(colour, NEAR_BLACK)
    text = WHITE if on_white >= on_black else NEAR_BLACK
    header = colour
    if max(on_white, on_black) < AA_TEXT:
        header = _towards(colour, "#000000" if text == WHITE else WHITE, text, AA_TEXT)
    return BrandPalette(
        brand=colour,
        header=header,
        header_text=text,
        link_light=_towards(colour, "#000000", WHITE, AA_TEXT),
        link_dark=_towards(colour, WHITE, SLATE_BACKGROUND, AA_TEXT),
    )


def brand_css(colour: str | None, *, logo_plate: bool = False) -> str:
    """The per-client stylesheet: the brand in light and dark mode, and the logo's plate
    when `logo_plate` (see `logo_contrast`)."""
    rules: list[str] = []
    if colour:
        p = brand_palette(colour)
        rules.append(
            "/* Both schemes by name: Material sets its palette on <body>. */\n"
            ":root, [data-md-color-scheme=default], [data-md-color-scheme=slate],\n"
            "[data-md-color-scheme=default][data-md-color-primary],\n"
            "[data-md-color-scheme=slate][data-md-color-primary] {\n"
            f"  --md-primary-fg-color: {p.header};\n"
            f"  --md-primary-fg-color--light: {p.header};\n"
            f"  --md-primary-fg-color--dark: {p.header};\n"
            f"  --md-primary-bg-color: {p.header_text};\n"
            f"  --md-accent-fg-color: {p.link_light};\n"
            f"  --md-typeset-a-color: {p.link_light};\n"
            "}\n"
            "[data-md-color-scheme=slate], [data-md-color-scheme=slate][data-md-color-primary] {\n"
            f"  --md-accent-fg-color: {p.link_dark};\n"
            f"  --md-typeset-a-color: {p.link_dark};\n"
            "}\n"
        )
    if logo_plate:
        rules.append(
            "/* The logo barely shows on the header colour: a light plate behind it. */\n"
            ".md-header__button.md-logo img, .md-header__button.md-logo svg {\n"
            f"  background: {LOGO_PLATE}; border-radius: .25rem; padding: .1rem .2rem;\n"
            "  box-sizing: content-box;\n"
            "}\n"
        )
    return "".join(rules)


_PAINT = ("fill", "stroke")


def logo_colours(path: Path) -> list[str]:
    """The hex fill and stroke colours an SVG logo paints with (attributes and inline
    `style`); [] for a raster logo or an SVG that cannot be read."""
    if path.suffix.lower() != ".svg":
        return []
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - the consultant's own file, checked
    except (ET.ParseError, OSError):
        return []
    found: list[str] = []
    for element in root.iter():
        values = [element.get(name, "") for name in _PAINT]
        for declaration in element.get("style", "").split(";"):
            name, _, value = declaration.partition(":")
            if name.strip() in _PAINT:
                values.append(value)
        found += [v.strip() for v in values if _HEX.match(v.strip())]
    return found


def logo_contrast(path: Path, header: str) -> float | None:
    """The lowest contrast any of the logo's colours has with `header`: the part of the
    logo that vanishes first. None when the colours cannot be read (raster logos are not
    measured)."""
    colours = logo_colours(path)
    if not colours:
        return None
    return min(contrast(c, header) for c in colours)


def needs_plate(path: Path, header: str) -> bool:
    """Whether the logo needs a light plate to show on `header`."""
    measured = logo_contrast(path, header)
    return measured is not None and measured < LOGO_CONTRAST
