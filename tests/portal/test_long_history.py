"""A long engagement's item history stays readable: the details list an item's latest six
statuses or scores and count the older ones, and a sparkline of hundreds of readings draws
a few dozen points and is named by its ends and range, not read out whole."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from portico.content.history import read_history
from portico.content.load import load_portal_inputs
from portico.portal.changes import attach
from portico.portal.render import render_portal
from portico.sections.risks.chart import SPARK_POINTS, thinned

Write = Callable[..., Path]

RISKS = """\
risks:
  - id: RISK-001
    title: Billing depends on one engineer
    likelihood: {likelihood}
    impact: 5
    owner: CTO
    status: open
"""
ROADMAP = """\
items:
  - id: R1
    title: Move billing to managed Postgres
    status: {status}
    horizon: now
"""
STATUSES = ["planned", "in-progress", "at-risk", "in-progress"]
COMMITS = 12


def _commit(root: Path, when: dt.datetime) -> None:
    stamp = when.isoformat()
    env = {**os.environ, "GIT_AUTHOR_NAME": "CTO", "GIT_AUTHOR_EMAIL": "cto@example.com",
           "GIT_COMMITTER_NAME": "CTO", "GIT_COMMITTER_EMAIL": "cto@example.com",
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    for args in (["add", "-A"], ["commit", "-q", "-m", f"Review of {stamp[:10]}"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def _rendered(practice: Write, out: Path) -> tuple[str, str]:
    """The risk and roadmap pages of a client whose risk and item changed at each of
    COMMITS weekly commits from 1 Sept 2026."""
    root = practice({"clients/acme/risks.yml": RISKS.format(likelihood=1),
                     "clients/acme/roadmap.yml": ROADMAP.format(status="planned")})
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], check=True)
    start = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
    for n in range(COMMITS):
        (root / "clients/acme/risks.yml").write_text(RISKS.format(likelihood=n % 4 + 1))
        (root / "clients/acme/roadmap.yml").write_text(
            ROADMAP.format(status=STATUSES[n % len(STATUSES)]))
        _commit(root, start + dt.timedelta(weeks=n))
    inputs = load_portal_inputs(root, "acme")
    attach(inputs.clients[0], read_history(root, "acme", dt.date(2026, 12, 31)))
    render_portal(inputs.clients[0], inputs, out, today=dt.date(2026, 12, 31))
    docs = out / "docs"
    return ((docs / "risks/index.md").read_text("utf-8").replace("\u00a0", " "),
            (docs / "roadmap/index.md").read_text("utf-8").replace("\u00a0", " "))


def test_details_list_the_latest_six_changes_and_count_the_older(practice: Write,
                                                                 tmp_path: Path) -> None:
    risks, roadmap = _rendered(practice, tmp_path / "out")
    score = next(line for line in risks.splitlines() if line.startswith("Score history:"))
    # 12 readings: the first six are counted from the first commit's day, the last six shown,
    # each point kept whole with its arrow (a line never breaks inside one).
    assert score.startswith('Score history: 6 earlier scores since <span class="pt-date">'
                            '1 Sept 2026</span>&nbsp;→ <span class="pt-point">**15** '
                            '(<span class="pt-date">13 Oct 2026</span>) →</span> ')
    assert re.findall(r"\*\*(\d+)\*\*", score) == ["15", "20", "5", "10", "15", "20"]
    assert score.endswith('<span class="pt-point">**20** (<span class="pt-date">17 Nov 2026'
                          '</span>)</span>')
    status = next(line for line in roadmap.splitlines() if line.startswith("Status history:"))
    assert status.startswith("Status history: 6 earlier statuses since "
                             '<span class="pt-date">1 Sept 2026</span>&nbsp;→ ')
    assert status.count('<span class="pt-point"><span class="pt-badge pt-status-') == 6
    assert status.endswith('<span class="pt-date">17 Nov 2026</span></span>')


def test_a_short_history_is_listed_whole(practice: Write, tmp_path: Path) -> None:
    root = practice({"clients/acme/risks.yml": RISKS.format(likelihood=1)})
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], check=True)
    for n, likelihood in enumerate((1, 2, 3)):
        (root / "clients/acme/risks.yml").write_text(RISKS.format(likelihood=likelihood))
        _commit(root, dt.datetime(2026, 9, 1 + 7 * n, 10, tzinfo=dt.UTC))
    inputs = load_portal_inputs(root, "acme")
    attach(inputs.clients[0], read_history(root, "acme", dt.date(2026, 12, 31)))
    render_portal(inputs.clients[0], inputs, tmp_path / "out", today=dt.date(2026, 12, 31))
    page = (tmp_path / "out/docs/risks/index.md").read_text("utf-8").replace("\u00a0", " ")
    assert ('Score history: <span class="pt-point">**5** (<span class="pt-date">1 Sept 2026'
            '</span>) →</span> <span class="pt-point">**10** (<span class="pt-date">8 Sept 2026'
            '</span>) →</span> <span class="pt-point">**15** (<span class="pt-date">15 Sept '
            '2026</span>)</span>') in page
    assert "earlier since" not in page
    assert "1 open risk. " in page
    assert 'aria-label="score history: 5 → 10 → 15"' in page


def test_a_long_sparkline_is_named_by_its_ends_and_range(practice: Write,
                                                          tmp_path: Path) -> None:
    risks, _ = _rendered(practice, tmp_path / "out")
    assert ('aria-label="score history, 12 readings: 5 → 20, lowest 5, highest 20"'
            ) in risks


def test_a_long_sparkline_keeps_its_ends_and_every_extreme() -> None:
    scores = [10] * 500
    scores[0], scores[137], scores[400], scores[-1] = 3, 25, 1, 12
    kept = thinned(scores)
    assert len(kept) <= SPARK_POINTS + 2
    assert kept[0] == 3 and kept[-1] == 12
    assert kept.index(25) < kept.index(1)  # the peak and the trough, in their order
    # The line ends the way the trend beside it says: the latest change, 15 → 10, is kept
    # even where its stretch's lowest (5) comes before it.
    swinging = [25, 5] * 100 + [25, 20, 5, 15, 10]
    assert thinned(swinging)[-2:] == [15, 10]
    assert thinned([5, 10, 15]) == [5, 10, 15]  # a short history is drawn as it is
