"""The login shell's colours: the practice default, its button text at WCAG AA in both schemes."""

from __future__ import annotations

import re
from pathlib import Path

from portico.portal.brand import AA_TEXT, contrast

SHELL_CSS = Path(__file__).resolve().parents[2] / "generator/portico/protection/assets/shell.css"


def _vars(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", block))


def test_the_open_button_reads_in_light_and_dark_mode() -> None:
    css = SHELL_CSS.read_text(encoding="utf-8")
    light = _vars(css.split("@media (prefers-color-scheme: dark)")[0])
    dark = light | _vars(css.split("@media (prefers-color-scheme: dark)")[1])
    assert "color: var(--accent-text);" in css
    for scheme in (light, dark):
        assert contrast(scheme["accent"], scheme["accent-text"]) >= AA_TEXT, scheme
