"""`portico status`: the CTO's cross-client view, as a table, as JSON and as a CI gate."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from portico.cli import main
from portico.content.load import load_practice
from portico.delivery.status import practice_status

TODAY = dt.date(2026, 12, 1)


def test_status_lists_what_needs_attention_per_client(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    root = copy_demo(tmp_path / "repo")
    # The demo has packs for 2026-09-15 and 2026-12-10; one more, later, is not "next".
    (root / "clients/harborline/board/2027-03-11-q1-board.md").write_text("# Board\n", "utf-8")
    lines = {s.slug: s for s in practice_status(load_practice(root), root / "site", TODAY)}
    harbor = lines["harborline"]
    assert harbor.phase == "execution" and harbor.last_build is None  # never built here
    assert harbor.reviews_overdue == ["RISK-002"]
    assert harbor.stale_proposals == []  # 0006 was proposed on 2026-11-18: 13 days
    assert harbor.notices_due == ["V-M365", "V-NETSUITE"]
    # K-QUOTE and K-SOC2 fall short too, but their targets are due in 2027 (target_by).
    assert harbor.kpis_off_target == ["K-DEPLOYS", "K-LEAD"]
    assert harbor.next_board_pack == "2026-12-10"
    # The last status note is dated Friday 20 November (week 49's is not written yet): the
    # next was due on the 27th, the 28th with the day's grace. The October risk review
    # (risks.yml `reviewed:`) was due again on 30 November.
    assert harbor.late_cadences == ["status-note late since 2026-11-28",
                                    "risk-review late since 2026-11-30"]
    assert harbor.overdue
    calm = lines["lumen-health"]
    assert calm.next_board_pack is None and calm.reviews_overdue == calm.asks_overdue == []
    # Its first status note in the repository is the week-3 one, dated 4 December.
    assert calm.late_cadences == ["status-note missed since 2026-11-23"]
    assert {s.slug: s for s in practice_status(load_practice(root), root / "site",
                                               dt.date(2026, 12, 6))}["lumen-health"].overdue \
        is False
    later = practice_status(load_practice(root), root / "site", dt.date(2027, 1, 15))
    assert {s.slug: s for s in later}["harborline"].stale_proposals == ["0006"]


def test_the_command_prints_a_table_json_and_fails_on_overdue(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    root = copy_demo(tmp_path / "repo")
    run = CliRunner().invoke
    table = run(main, ["--root", str(root), "status"])  # not a terminal: one line per row
    assert table.exit_code == 0, table.output
    for heading in ("Client", "Phase", "Last build", "Reviews overdue", "Stale proposals",
                    "Notices due", "KPIs off target", "Asks overdue", "Late cadences",
                    "Next board pack",
                    "Days used / agreed", "Renewal"):
        assert heading in table.output
    assert "harborline" in table.output and "never" in table.output
    data = json.loads(run(main, ["--root", str(root), "status", "--json"]).output)
    assert [d["slug"] for d in data] == ["harborline", "lumen-health"]
    assert data[0]["overdue"] is True and data[1]["overdue"] is False
    gate = run(main, ["--root", str(root), "status", "--fail-on", "overdue"])
    assert gate.exit_code == 1
    built = run(main, ["--root", str(root), "build", "--only", "lumen-health"])
    assert built.exit_code == 0, built.output
    data = json.loads(run(main, ["--root", str(root), "status", "--json"]).output)
    assert data[1]["last_build"] is not None and data[0]["last_build"] is None


def test_status_of_the_dated_repository_names_its_next_pack_and_last_build(
    history_repo: Path, tmp_path: Path
) -> None:
    """The repository with real history (tests/dated_history.py), built: status shows
    everything the CTO's week needs for it."""
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(history_repo, root, ignore=shutil.ignore_patterns("site", ".portico-cache"))
    run = CliRunner().invoke
    assert run(main, ["--root", str(root), "build"]).exit_code == 0
    [line] = practice_status(load_practice(root), root / "site", TODAY)
    assert line.last_build is not None
    assert line.next_board_pack == "2027-03-11"
    assert line.notices_due == ["V-M365", "V-NETSUITE"]
    assert "K-DEPLOYS" in line.kpis_off_target
    table = run(main, ["--root", str(root), "status"])
    for value in ("harborline", "execution", "2027-03-11", "V-M365", "K-DEPLOYS", "RISK-002"):
        assert value in table.output, table.output


def test_status_lists_overdue_asks_and_fails_on_them_alone(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    root = copy_demo(tmp_path / "repo")
    day = dt.date(2026, 12, 6)
    lines = {s.slug: s for s in practice_status(load_practice(root), root / "site", day)}
    assert lines["harborline"].asks_overdue == ["A-001"]  # David's Power BI line, due Dec 4
    assert lines["lumen-health"].asks_overdue == [] and not lines["lumen-health"].overdue
    later = {s.slug: s for s in practice_status(load_practice(root), root / "site",
                                                dt.date(2026, 12, 10))}["lumen-health"]
    assert later.asks_overdue == ["A-004"] and later.overdue  # an ask alone trips the gate


def test_a_late_weekly_status_note_is_a_late_cadence_in_status_and_its_json(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    # The example: a weekly note promised, the last one dated Friday 20 November.
    root = copy_demo(tmp_path / "repo")
    (root / "clients/harborline/notes/2026-12-04-weekly-status.md").unlink()
    today = dt.date(2026, 12, 1)
    harbor = {s.slug: s for s in practice_status(load_practice(root), root / "site", today)}[
        "harborline"]
    assert "status-note late since 2026-11-28" in harbor.late_cadences  # a day's grace
    line = harbor.as_json()
    assert "status-note late since 2026-11-28" in line["late_cadences"]  # type: ignore[operator]
    assert line["overdue"] is True
    # Once the next note is written, the promise is kept again.
    (root / "clients/harborline/notes/2026-11-27-weekly-status.md").write_text(
        "---\nkind: status\n---\n# Weekly status, week 48\n", "utf-8")
    harbor = {s.slug: s for s in practice_status(load_practice(root), root / "site", today)}[
        "harborline"]
    assert not any(c.startswith("status-note") for c in harbor.late_cadences)
    table = CliRunner().invoke(main, ["--root", str(root), "status"])
    assert "risk-review" in table.output  # internal, but the CTO's view lists it
