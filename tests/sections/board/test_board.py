"""Board packs assembled from the engagement as it stood at each meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from portico.content.history import read_history
from portico.content.load import load_engagement
from portico.portal.view import portal_view
from portico.sections.board.view import next_quarter_end

TODAY = dt.date(2026, 12, 1)


def _board(root: Path, *, history: bool = True, today: dt.date = TODAY):  # type: ignore[no-untyped-def]
    engagement = load_engagement(root, "harborline")
    if history:
        engagement.history = read_history(root, "harborline", today)
    return portal_view(engagement, today).parts["board"]


def test_each_pack_reads_the_commit_of_its_meeting_day(history_repo: Path) -> None:
    board = _board(history_repo)
    by_day = {p.pack.date.isoformat(): p for p in board.packs}
    assert list(by_day) == ["2027-03-11", "2026-11-30", "2026-09-15"]  # newest first
    q3, q4, q1 = by_day["2026-09-15"], by_day["2026-11-30"], by_day["2027-03-11"]
    assert q3.state.revision is not None and q3.state.revision.day == dt.date(2026, 9, 14)
    assert q4.state.revision is not None and q4.state.revision.day == dt.date(2026, 11, 27)
    assert q1.state.revision is None  # a pack dated after today: the current files
    assert q4.previous is q3.pack and q3.previous is None


def test_the_later_pack_shows_the_risk_move_kpis_decisions_and_notices(
        history_repo: Path) -> None:
    q4 = next(p for p in _board(history_repo).packs if p.pack.date == dt.date(2026, 11, 30))
    moves = {line.risk.id: (line.then, line.risk.score) for line in q4.risks}
    assert moves["RISK-004"] == (10, 15)
    assert moves["RISK-002"] == (20, 20)
    assert "RISK-008" not in moves  # internal
    assert [k.id for k in q4.kpis] == ["K-DEPLOYS", "K-LEAD", "K-UPTIME", "K-QUOTE", "K-SOC2"]
    assert max(q4.kpis[0].values) == "2026-11"
    assert [d.number for d in q4.decisions] == ["0006"]
    assert q4.decisions[0].evaluation is not None
    moved = {line.item.id: (line.then, line.item.status) for line in q4.moved}
    assert moved["R5"] == ("planned", "at-risk")
    assert [n.vendor.id for n in q4.notices] == ["V-NETSUITE", "V-M365", "V-CARGOLINK"]
    assert q4.horizon == dt.date(2027, 3, 31)
    assert dict((k, n) for k, _, n in q4.rag_counts) == {
        "done": 3, "on-track": 3, "at-risk": 1, "blocked": 1, "not-started": 2}
    # "On track" counts started work only: the two planned items are not started


def test_the_earlier_pack_shows_what_was_known_then(history_repo: Path) -> None:
    q3 = next(p for p in _board(history_repo).packs if p.pack.date == dt.date(2026, 9, 15))
    assert {line.risk.id: line.risk.score for line in q3.risks}["RISK-004"] == 10
    assert all(line.then is None for line in q3.risks)  # no earlier pack to compare with
    assert [k.id for k in q3.kpis] == ["K-DEPLOYS", "K-UPTIME", "K-MFA"]
    assert max(q3.kpis[0].values) == "2026-07"  # the values entered by then
    assert [n.vendor.id for n in q3.notices] == ["V-NETSUITE"]  # due by 2026-12-31


def test_without_git_every_pack_is_assembled_from_the_current_files(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    board = _board(copy_demo(tmp_path / "practice"), history=False)
    assert board.packs and all(p.state.revision is None for p in board.packs)


def test_next_quarter_end() -> None:
    assert next_quarter_end(dt.date(2026, 9, 15)) == dt.date(2026, 12, 31)
    assert next_quarter_end(dt.date(2026, 11, 30)) == dt.date(2027, 3, 31)
    assert next_quarter_end(dt.date(2026, 1, 1)) == dt.date(2026, 6, 30)
    assert next_quarter_end(dt.date(2026, 12, 31)) == dt.date(2027, 3, 31)


def test_a_pack_from_before_the_history_shows_no_state_not_todays(tmp_path: Path) -> None:
    """A meeting older than the client's first commit: git has no record of how the
    engagement stood, so the pack is its headline alone (never today's scores), and the
    next pack has no "then" to compare with."""
    from dated_history import build_history_repo, git

    root = build_history_repo(tmp_path / "practice")
    (root / "clients/harborline/board/2026-07-01-q2-board.md").write_text(
        "# Q2 board pack\n\nThe engagement's first quarter.\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Q2 pack, written late", when="2026-11-28T10:00:00+00:00")
    board = _board(root)
    by_day = {p.pack.date.isoformat(): p for p in board.packs}
    q2, q3 = by_day["2026-07-01"], by_day["2026-09-15"]
    assert q2.state.unrecorded and q2.risks == [] and q2.kpis == [] and q2.items == []
    assert q3.previous is q2.pack
    assert all(line.then is None for line in q3.risks) and q3.moved == []


def test_committing_an_edit_already_built_rebuilds_the_portal(tmp_path: Path) -> None:
    """The same files, now committed: What's new and the packs change, so the build's
    inputs key does too (it is not skipped as unchanged)."""
    from dated_history import build_history_repo, git

    from portico.delivery.cache import client_key

    root = build_history_repo(tmp_path / "practice")
    note = root / "clients/harborline/notes/2026-11-29-call.md"
    note.write_text("# Call with the CEO\n\nAgreed the audit window.\n", encoding="utf-8")
    before = client_key(root, "harborline", "shared")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "note", when="2026-11-29T10:00:00+00:00")
    assert client_key(root, "harborline", "shared") != before


def test_a_pack_still_to_come_reads_its_asks_as_of_today(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    """The Q4 pack (meeting Dec 10) built on Dec 6 stands as of Dec 6: an ask due Dec 7 is
    open, as the Asks page says, not overdue by the meeting's day."""
    board = _board(copy_demo(tmp_path / "practice"), history=False, today=dt.date(2026, 12, 6))
    q4 = next(p for p in board.packs if p.pack.date == dt.date(2026, 12, 10))
    states = {line.action.title: line.now for line in q4.carried + q4.opened}
    assert states["Send the December board papers"] == "open"


def test_a_pack_shows_success_tests_and_maturity_moved_since_the_previous_pack(
        history_repo: Path, tmp_path: Path) -> None:
    from dated_history import page_text, render_with_history

    q4 = next(p for p in _board(history_repo).packs if p.pack.date == dt.date(2026, 11, 30))
    tests = {(line.decision.number, line.verdict.criterion.kpi): (line.then, line.verdict.state)
             for line in q4.success}
    assert tests[("0005", "K-MFA")] == ("on the way", "met")
    assert tests[("0005", "K-LEAD")] == ("on the way", "missed")
    # 0006 is still proposed: its test waits for the decision, at both packs.
    assert tests[("0006", "K-QUOTE")] == ("judged once accepted", "judged once accepted")
    assert [(line.area.area, line.then, line.area.score) for line in q4.rescored] == [
        ("Security", 1, 2)]
    q3 = next(p for p in _board(history_repo).packs if p.pack.date == dt.date(2026, 9, 15))
    assert {line.verdict.state for line in q3.success} <= {"on the way", "not yet measurable",
                                                             "judged once accepted"}
    assert q3.rescored == []

    docs = render_with_history(history_repo, tmp_path / "out", TODAY)
    page = page_text(docs, "board/2026-11-30.md")
    assert "## Decisions judged by their success tests" in page
    assert ("Change lead time at most 3 days by Oct 31, 2026: "
            '<span class="pt-badge pt-verdict-missed">Missed</span> (6 days in Oct 2026); '
            "was on the way at the previous pack") in page
    assert "Re-scored since the previous pack (" in page
    assert ("| [Security](../assessment/index.md#maturity-scorecard) | 1 | **2** ▲ up |"
            in page)
    assert "No maturity score has moved since the previous pack" in page_text(
        docs, "board/2027-03-11.md")
