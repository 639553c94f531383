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


MOVING = """\
workstreams: [Platform]
items:
  - id: R1
    title: Move billing to managed Postgres
    status: planned
    workstream: Platform
    start: 2026-Q3
    end: {end}
milestones:
  - title: Billing on Postgres
    date: {milestone}
"""


def _commit(root: Path, when: str) -> None:
    import os
    import subprocess

    env = {**os.environ, "GIT_AUTHOR_NAME": "CTO", "GIT_AUTHOR_EMAIL": "cto@example.com",
           "GIT_COMMITTER_NAME": "CTO", "GIT_COMMITTER_EMAIL": "cto@example.com",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for args in (["add", "-A"], ["commit", "-q", "-m", "roadmap"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def test_a_moved_quarter_end_and_a_moved_milestone_are_slips(practice: Write,
                                                            tmp_path: Path) -> None:
    import subprocess

    from portico.content.history import read_history
    from portico.portal.changes import attach

    root = practice({"clients/acme/roadmap.yml": MOVING.format(end="2026-Q3",
                                                                milestone="2026-09-30")})
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], check=True)
    _commit(root, "2026-06-01T10:00:00+00:00")
    # The same promise written as a day: no move. The milestone slips 2 weeks.
    (root / "clients/acme/roadmap.yml").write_text(MOVING.format(end="2026-09-30",
                                                                 milestone="2026-10-14"))
    _commit(root, "2026-07-01T10:00:00+00:00")
    (root / "clients/acme/roadmap.yml").write_text(MOVING.format(end="2026-Q4",
                                                                 milestone="2026-10-14"))
    _commit(root, "2026-08-03T10:00:00+00:00")
    inputs = load_portal_inputs(root, "acme")
    today = dt.date(2026, 9, 1)
    attach(inputs.clients[0], read_history(root, "acme", today))
    render_portal(inputs.clients[0], inputs, tmp_path / "out", today=today)
    docs = tmp_path / "out/docs"
    page = (docs / "roadmap/index.md").read_text("utf-8").replace("\u00a0", " ")
    assert "End moved once, &#43;13 weeks since Jun 2026" in page  # Sep 30 → Dec 31
    assert "moved once, &#43;2 weeks since Jun 2026 | Billing on Postgres |" in page
    news = (docs / "whats-new.md").read_text("utf-8").replace("\u00a0", " ")
    assert "**Milestone** [Billing on Postgres](roadmap/index.md): date moved from" in news
    assert "Q3 2026</span> to" not in news  # Q3 2026 → Sep 30, 2026: the same promise
    assert "end moved from <span class=\"pt-date\">30 Sept 2026</span> to <span " \
        "class=\"pt-date\">Q4 2026</span> (&#43;13 weeks)" in news
