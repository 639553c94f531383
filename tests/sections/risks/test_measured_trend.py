"""A risk's direction comes from its score history in git; a written trend that the history
contradicts is a `check` warning naming both, at the trend's line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from click.testing import CliRunner

from portico.cli import main
from portico.sections.risks.view import measured_trend

RISKS = """\
risks:
  - id: RISK-001
    title: Billing depends on one engineer
    likelihood: {likelihood}
    impact: 5
    owner: CTO
    status: open
    trend: {trend}
"""


def _commit(root: Path, message: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "CTO", "GIT_AUTHOR_EMAIL": "cto@example.com",
           "GIT_COMMITTER_NAME": "CTO", "GIT_COMMITTER_EMAIL": "cto@example.com",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def _repo(practice, trend: str) -> Path:  # type: ignore[no-untyped-def]
    root: Path = practice({"clients/acme/risks.yml": RISKS.format(likelihood=2, trend=trend)})
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], check=True)
    _commit(root, "Risks as first assessed", "2026-09-01T10:00:00+00:00")
    (root / "clients/acme/risks.yml").write_text(RISKS.format(likelihood=3, trend=trend))
    _commit(root, "RISK-001 re-scored", "2026-10-01T10:00:00+00:00")
    return root


def test_a_written_trend_the_scores_contradict_is_a_warning_at_its_line(practice) -> None:  # type: ignore[no-untyped-def]
    root = _repo(practice, "steady")
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 0, result.output
    assert ("clients/acme/risks.yml:8: warning: RISK-001: trend says steady, but its score "
            "rose 10 → 15 since Oct 2026; the portal shows rising") in result.output
    strict = CliRunner().invoke(main, ["--root", str(root), "check", "--strict"])
    assert strict.exit_code == 1


def test_a_written_trend_the_scores_agree_with_is_no_warning(practice) -> None:  # type: ignore[no-untyped-def]
    root = _repo(practice, "rising")
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 0 and "trend says" not in result.output, result.output


def test_the_direction_is_the_latest_change_and_steady_when_none() -> None:
    assert measured_trend([10]) is None
    assert measured_trend([10, 10]) == "steady"
    assert measured_trend([10, 15, 15]) == "rising"
    assert measured_trend([20, 15, 16, 16]) == "rising"
    assert measured_trend([10, 16, 12]) == "falling"


def test_a_score_unchanged_over_commits_is_steady_whatever_the_file_says(practice) -> None:  # type: ignore[no-untyped-def]
    root: Path = practice({"clients/acme/risks.yml": RISKS.format(likelihood=2, trend="rising")})
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], check=True)
    _commit(root, "Risks as first assessed", "2026-09-01T10:00:00+00:00")
    (root / "clients/acme/risks.yml").write_text(
        RISKS.format(likelihood=2, trend="rising").replace("Billing", "Invoicing"))
    _commit(root, "Reworded", "2026-10-01T10:00:00+00:00")
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert ("RISK-001: trend says rising, but its score has stayed at 10 since Sep 2026"
            ) in result.output, result.output


def test_the_register_shows_the_measured_direction_with_its_facts(practice, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from portico.content.history import read_history
    from portico.content.load import load_portal_inputs
    from portico.portal.changes import attach
    from portico.portal.render import render_portal

    root = _repo(practice, "steady")  # written steady; the scores rose 10 → 15 on Oct 1
    inputs = load_portal_inputs(root, "acme")
    attach(inputs.clients[0], read_history(root, "acme", dt.date(2026, 12, 1)))
    render_portal(inputs.clients[0], inputs, tmp_path / "out", today=dt.date(2026, 12, 1))
    page = (tmp_path / "out/docs/risks/index.md").read_text("utf-8").replace("\u00a0", " ")
    row = next(line for line in page.splitlines() if line.startswith("| [RISK-001]"))
    assert "Rising: 10&nbsp;→ 15 since Oct 2026" in row  # the arrow never starts a line
    assert "Steady" not in row  # the written trend gives way to the facts
