"""The home dashboard shows what the client has: no zero cards, no empty count badges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from portico.content.load import load_portal_inputs
from portico.portal.render import render_portal

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 6, 15)


def _home(slug: str, out: Path) -> str:
    practice = load_portal_inputs(REPO, slug)
    render_portal(practice.clients[0], practice, out, today=TODAY)
    return (out / "docs" / "index.md").read_text(encoding="utf-8")


def test_a_client_with_only_an_assessment_gets_no_zero_cards(tmp_path: Path) -> None:
    home = _home("lumen-health", tmp_path / "out")
    for empty in ("Open risks: 0", "Decisions: 0", "Roadmap: 0%", "critical 0", "grid cards"):
        assert empty not in home, empty
    assert "## Maturity at a glance" in home  # what it has is still there
    assert "## Next steps" in home and "## Contacts" in home


def test_band_badges_only_for_bands_that_have_risks(tmp_path: Path) -> None:
    home = _home("harborline", tmp_path / "out")
    assert "Open risks:" in home and "Decisions:" in home and "Roadmap:" in home
    assert not any(f"{band} 0<" in home for band in ("critical", "high", "medium", "low"))
