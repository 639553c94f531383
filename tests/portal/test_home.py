"""The home dashboard shows what the client has: no zero cards, no empty count badges."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from portico.content.load import load_portal_inputs
from portico.portal.render import render_portal

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 6, 15)


def _home(slug: str, out: Path, root: Path = REPO) -> str:
    practice = load_portal_inputs(root, slug)
    render_portal(practice.clients[0], practice, out, today=TODAY)
    return (out / "docs" / "index.md").read_text(encoding="utf-8")


def test_a_client_with_only_an_assessment_gets_no_zero_cards(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    # Lumen Health as it started: its client.yml and a scorecard, nothing else yet.
    root = copy_demo(tmp_path / "repo")
    lumen = root / "clients" / "lumen-health"
    for name in ("risks.yml", "roadmap.yml", "decisions", "notes", "actions.yml",
                 "time.csv", "meetings.yml"):
        path = lumen / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    client = yaml.safe_load((lumen / "client.yml").read_text(encoding="utf-8"))
    client["engagement"]["summary"] = "A five-week technology assessment."
    for terms in ("scope", "deliverables", "commitment", "rate"):  # not yet written down
        client["engagement"].pop(terms, None)
    client.pop("cadences", None)  # nor its promises
    (lumen / "client.yml").write_text(yaml.safe_dump(client), encoding="utf-8")
    assessment = (lumen / "assessment.md").read_text(encoding="utf-8")
    front = assessment[:assessment.index("\n---\n", 4) + 5]
    (lumen / "assessment.md").write_text(front + "\nFindings so far.\n", encoding="utf-8")
    home = _home("lumen-health", tmp_path / "out", root)
    for empty in ("Open risks: 0", "Decisions: 0", "Roadmap: 0%", "critical 0", "grid cards"):
        assert empty not in home, empty
    assert "## Maturity at a glance" in home  # what it has is still there
    assert "## Next steps" in home and "## Contacts" in home


def test_band_badges_only_for_bands_that_have_risks(tmp_path: Path) -> None:
    home = _home("harborline", tmp_path / "out")
    assert "Open risks:" in home and "Decisions:" in home and "Roadmap:" in home
    assert not any(f"{band} 0<" in home for band in ("critical", "high", "medium", "low"))
