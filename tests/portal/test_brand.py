"""The client's colour and logo: WCAG contrast, brand CSS in both schemes, the logo plate."""

from __future__ import annotations

from pathlib import Path

import pytest

from portico.portal.brand import (
    AA_TEXT,
    brand_css,
    brand_palette,
    contrast,
    logo_colours,
    logo_contrast,
    needs_plate,
)

REPO = Path(__file__).resolve().parents[2]
HARBORLINE_LOGO = REPO / "clients/harborline/files/logo.svg"


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("#ffffff", "#000000", 21.0),
    ("#000", "#fff", 21.0),
    ("#777777", "#ffffff", 4.48),
    ("#0e5a8a", "#0e5a8a", 1.0),
    ("#767676", "#ffffff", 4.54),
])
def test_contrast_matches_the_wcag_definition(a: str, b: str, expected: float) -> None:
    assert contrast(a, b) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("colour", ["#0e5a8a", "#6b3fa0", "#7986cb", "#777777", "#ffeb3b",
                                    "#ffffff", "#000000", "#3fa06b"])
def test_every_text_pair_of_a_palette_reaches_aa(colour: str) -> None:
    p = brand_palette(colour)
    assert contrast(p.header, p.header_text) >= AA_TEXT
    assert contrast(p.link_light, "#ffffff") >= AA_TEXT
    assert contrast(p.link_dark, "#1e2029") >= AA_TEXT


def test_a_dark_brand_gets_white_text_and_a_pale_one_near_black() -> None:
    assert brand_palette("#0e5a8a").header_text == "#ffffff"
    assert brand_palette("#ffeb3b").header_text == "#1a1a1a"


def test_a_colour_neither_text_reaches_is_moved_only_as_far_as_needed() -> None:
    p = brand_palette("#777777")  # white 4.48:1, near-black 3.7:1
    assert p.header != "#777777"
    assert contrast(p.header, p.header_text) >= AA_TEXT
    assert contrast(p.header, "#777777") < 1.1


def test_brand_css_names_both_schemes() -> None:
    css = brand_css("#0e5a8a")
    assert "[data-md-color-scheme=default][data-md-color-primary]" in css
    assert "[data-md-color-scheme=slate][data-md-color-primary]" in css
    assert "--md-primary-fg-color: #0e5a8a;" in css
    assert "--md-primary-bg-color: #ffffff;" in css
    assert ".md-logo" not in css


def test_the_demo_brand_css_covers_both_schemes_and_plates_the_logo() -> None:
    css = (REPO / "tests/golden/harborline/docs/assets/portico/brand.css").read_text()
    assert "[data-md-color-scheme=slate][data-md-color-primary]" in css
    assert "--md-primary-fg-color: #0e5a8a;" in css
    assert ".md-header__button.md-logo img" in css


def test_harborline_s_logo_vanishes_into_its_header() -> None:
    assert "#0e5a8a" in logo_colours(HARBORLINE_LOGO)
    assert logo_contrast(HARBORLINE_LOGO, "#0e5a8a") == pytest.approx(1.0)
    assert needs_plate(HARBORLINE_LOGO, "#0e5a8a")


def test_a_logo_that_reads_on_the_header_gets_no_plate(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="#ffffff"/>'
                    '<text style="fill: #f0f0f0">Acme</text></svg>')
    assert logo_colours(logo) == ["#ffffff", "#f0f0f0"]
    assert not needs_plate(logo, "#0e5a8a")


def test_a_raster_logo_is_not_measured(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")
    assert logo_contrast(logo, "#0e5a8a") is None
    assert not needs_plate(logo, "#0e5a8a")
