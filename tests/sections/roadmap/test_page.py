"""The roadmap page: only the horizons that hold something, and the timeline in both forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from portico.content.load import load_portal_inputs
from portico.portal.render import render_portal

Write = Callable[..., Path]

ROADMAP = """\
workstreams: [Platform, Team]
items:
  - id: R1
    title: Move billing to managed Postgres
    status: planned
    workstream: Platform
    start: 2026-Q3
  - id: R2
    title: Write the on-call runbook
    status: planned
    horizon: now
"""


def test_empty_horizons_and_empty_lanes_are_left_out(practice: Write, tmp_path: Path) -> None:
    root = practice({"clients/acme/roadmap.yml": ROADMAP})
    inputs = load_portal_inputs(root, "acme")
    render_portal(inputs.clients[0], inputs, tmp_path / "out", today=dt.date(2026, 6, 15))
    page = (tmp_path / "out/docs/roadmap/index.md").read_text(encoding="utf-8")
    assert "**Now**" in page and "Write the on-call runbook" in page
    assert "Nothing undated" not in page and "**Next**" not in page and "**Later**" not in page
    assert "<title>Platform</title>" in page and "<title>Team</title>" not in page
    assert 'class="pt-chart__phone"' in page
