"""`portico record`: an answer written into the file it answers, in that file's own format,
every other byte kept, and read back by the loader as recorded."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from pathlib import Path

import pytest

from portico.authoring.record import record_answer
from portico.content.errors import ContentError, PorticoError
from portico.content.load import Loader, load_engagement
from portico.sections.decisions.load import load_decisions

Write = Callable[..., Path]
DEC10 = dt.date(2026, 12, 10)
TMS = "decisions/0006-buy-a-tms-for-quoting-and-bookings.md"


def _changed(before: str, after: str) -> list[str]:
    """The lines that differ, as `-old` / `+new`."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def _decision(root: Path, number: str, client: str = "acme") -> object:
    decisions = load_decisions(root / "clients" / client / "decisions", Loader(root))
    return next(d for d in decisions if d.number == number)


def test_a_madr_decision_changes_status_date_and_decision_makers_and_nothing_else(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    path = root / "clients/harborline" / TMS
    before = path.read_text("utf-8")
    done = record_answer(root, "harborline", "0006", "approved", by="Margaret Okafor",
                         on="2026-12-10")
    assert done.path == path and done.item == "decision 0006 Buy a TMS for quoting and bookings"
    assert done.changes == [("status", "proposed", "accepted"),
                            ("date", "2026-11-18", "2026-12-10"),
                            ("decided by", "Harborline's board", "Margaret Okafor")]
    assert _changed(before, path.read_text("utf-8")) == [
        "-status: proposed", "-date: 2026-11-18",
        "-decision-makers: Harborline's board",
        "+status: accepted", "+date: 2026-12-10", "+decision-makers: Margaret Okafor"]
    d = _decision(root, "0006", "harborline")
    assert (d.status, d.date, d.decision_makers) == ("accepted", DEC10, ("Margaret Okafor",))
    # the evaluation's flow-style criteria, quotes and all, are exactly as they were
    assert '    - {id: rates, name: "Rate sheets imported, not re-keyed", weight: 20}' \
        in path.read_text("utf-8")


def test_recording_again_says_what_changed_and_the_same_answer_changes_nothing(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    record_answer(root, "harborline", "6", "approved", by="Margaret Okafor", on="2026-12-10")
    same = record_answer(root, "harborline", "ADR-6", "accepted", by="Margaret  Okafor",
                         on=DEC10)
    assert same.changes == []
    again = record_answer(root, "harborline", "0006", "declined", by="Margaret Okafor",
                          on="2026-12-11")
    assert again.changes == [("status", "accepted", "rejected"),
                             ("date", "2026-12-10", "2026-12-11")]


def test_madr_front_matter_keeps_its_comments_key_order_and_list_style(practice: Write) -> None:
    text = ("---\n# decided at the board\nstatus: proposed  # until the board meets\n"
            "title: Adopt Postgres\ndecision-makers:\n  - Board\n  - CFO\n# who else\n"
            "consulted: [Ana]\nparent: Decisions\n---\n# Adopt Postgres\n\nWhy.\n")
    root = practice({"clients/acme/decisions/0001-adopt-postgres.md": text})
    record_answer(root, "acme", "1", "declined", by="Dana Reyes, Sam Ito", on="2026-12-10")
    after = (root / "clients/acme/decisions/0001-adopt-postgres.md").read_text("utf-8")
    assert after == ("---\n# decided at the board\nstatus: rejected  # until the board meets\n"
                     "date: 2026-12-10\n"
                     "title: Adopt Postgres\ndecision-makers: [Dana Reyes, Sam Ito]\n# who else\n"
                     "consulted: [Ana]\nparent: Decisions\n---\n# Adopt Postgres\n\nWhy.\n")
    d = _decision(root, "0001")
    assert (d.status, d.date, d.decision_makers) == ("rejected", DEC10,
                                                     ("Dana Reyes", "Sam Ito"))


def test_a_nygard_decision_gets_its_status_line_and_date_line_in_place(practice: Write) -> None:
    text = ("# 3. Retire the file server\n\nDate: 2026-11-02\n\n## Status\n\nProposed\n\n"
            "Supersedes [1. Keep the file server](0001-keep-the-file-server.md)\n\n"
            "## Context\n\nThe server is old.\n")
    root = practice({"clients/acme/decisions/0003-retire-the-file-server.md": text,
                     "clients/acme/decisions/0001-keep-the-file-server.md":
                         "# 1. Keep the file server\n\nDate: 2026-01-02\n\n## Status\n\n"
                         "Accepted\n"})
    path = root / "clients/acme/decisions/0003-retire-the-file-server.md"
    record_answer(root, "acme", "0003", "approved", by="Dana Reyes", on="2026-12-10")
    assert _changed(text, path.read_text("utf-8")) == [
        "-Date: 2026-11-02", "+Date: 2026-12-10", "-Proposed", "+Accepted by Dana Reyes"]
    d = _decision(root, "0003")
    assert (d.status, d.date, d.decision_makers, d.supersedes) == (
        "accepted", DEC10, ("Dana Reyes",), ("0001",))
    loader = Loader(root)  # "Accepted by Dana Reyes" is a status the loader knows
    load_decisions(root / "clients/acme/decisions", loader)
    assert loader.problems == []


def test_a_nygard_decision_without_status_or_date_gets_both(practice: Write) -> None:
    text = "# Retire the file server\n\n## Context\n\nThe server is old.\n"
    root = practice({"clients/acme/decisions/0002-retire.md": text})
    record_answer(root, "acme", "2", "approved", by="Dana Reyes", on="2026-12-10")
    after = (root / "clients/acme/decisions/0002-retire.md").read_text("utf-8")
    assert after == ("# Retire the file server\n\nDate: 2026-12-10\n\n## Status\n\n"
                     "Accepted by Dana Reyes\n\n## Context\n\nThe server is old.\n")
    d = _decision(root, "0002")
    assert (d.status, d.date, d.decision_makers) == ("accepted", DEC10, ("Dana Reyes",))


def test_a_madr2_list_keeps_its_bullet_style_and_gains_a_deciders_item(practice: Write) -> None:
    text = ("# Use slugs as ids\n\n* **Status:** Proposed\n* **Date:** 2026-01-05\n\n"
            "## Context\n\nIds.\n")
    root = practice({"clients/acme/decisions/20260105-use-slugs.md": text})
    record_answer(root, "acme", "1", "approved", by="Dana Reyes", on="2026-12-10")
    after = (root / "clients/acme/decisions/20260105-use-slugs.md").read_text("utf-8")
    assert after == ("# Use slugs as ids\n\n* **Status:** Accepted\n* **Deciders:** Dana Reyes\n"
                     "* **Date:** 2026-12-10\n\n## Context\n\nIds.\n")
    d = _decision(root, "0001")
    assert (d.status, d.date, d.decision_makers) == ("accepted", DEC10, ("Dana Reyes",))


def test_windows_line_endings_and_a_bom_are_kept(practice: Write) -> None:
    root = practice()
    path = root / "clients/acme/decisions/0001-x.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf---\r\nstatus: proposed\r\n---\r\n# X\r\n\r\nWhy.\r\n")
    record_answer(root, "acme", "1", "approved", by="Dana Reyes", on="2026-12-10")
    assert path.read_bytes() == (b"\xef\xbb\xbf---\r\nstatus: accepted\r\ndate: 2026-12-10\r\n"
                                 b"decision-makers: Dana Reyes\r\n---\r\n# X\r\n\r\nWhy.\r\n")


def test_a_superseded_decision_takes_no_answer_and_says_so_at_its_status_line(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    with pytest.raises(ContentError) as error:
        record_answer(root, "harborline", "0002", "approved", by="Margaret Okafor")
    assert [str(p) for p in error.value.problems] == [
        "clients/harborline/decisions/0002-self-host-postgresql-on-ec2.md:10: decision 0002 is "
        "superseded: only a decision awaiting an answer, or one already answered, takes one"]


def test_an_ask_is_done_by_someone_on_a_day_its_comments_kept(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    path = root / "clients/harborline/actions.yml"
    before = path.read_text("utf-8")
    done = record_answer(root, "harborline", "a-001", "done", by="David Lindqvist",
                         on="2026-12-04")
    after = path.read_text("utf-8")
    assert _changed(before, after) == ["+    status: done", "+    done: 2026-12-04",
                                       "+    done_by: David Lindqvist"]
    assert "    due: 2026-12-04\n    status: done\n    done: 2026-12-04\n" \
        "    done_by: David Lindqvist\n    from: notes/" in after
    assert "    internal: true  # it serves decision 0004" in after and after.startswith(
        "# yaml-language-server: $schema=")
    ask = next(a for a in load_engagement(root, "harborline").parts["actions"]
               if a.id == "A-001")
    assert (ask.status, ask.done, ask.done_by) == ("done", dt.date(2026, 12, 4),
                                                   "David Lindqvist")
    assert done.changes[0] == ("status", "open", "done")


def test_an_ask_may_be_named_by_the_title_its_email_gave(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    done = record_answer(root, "harborline", "confirm the SOC 2 Type I fieldwork dates with "
                         "the  auditor", "done", by="Priya Raman", on="2026-12-05")
    assert done.item == "ask A-005 Confirm the SOC 2 Type I fieldwork dates with the auditor"


def test_an_ask_written_on_one_line_is_refused_at_its_line(practice: Write) -> None:
    root = practice({"clients/acme/client.yml": "name: Acme\nengagement:\n  start: 2026-03-02\n"
                     "contacts:\n  - name: Dana Reyes\n",
                     "clients/acme/actions.yml": "actions:\n  - {id: A-1, title: Sign, "
                     "owner: Dana Reyes}\n"})
    with pytest.raises(ContentError) as error:
        record_answer(root, "acme", "A-1", "done", by="Dana Reyes", on="2026-12-04")
    assert [str(p) for p in error.value.problems] == [
        "clients/acme/actions.yml:2: this entry is written on one line ({...}); write it one "
        "key a line so that it can be changed in place"]


def test_a_board_pack_is_acknowledged_in_its_front_matter_by_date_or_month(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    path = root / "clients/harborline/board/2026-12-10-q4-board.md"
    before = path.read_text("utf-8")
    done = record_answer(root, "harborline", "2026-12", "acknowledged", by="Margaret Okafor",
                         on="2026-12-08")
    assert done.item == "board pack 2026-12-10 Q4 board pack"
    assert _changed(before, path.read_text("utf-8")) == [
        "+acknowledged_by: Margaret Okafor", "+acknowledged_on: 2026-12-08"]
    pack = next(p for p in load_engagement(root, "harborline").parts["board"]
                if p.date == DEC10)
    assert (pack.acknowledged_by, pack.acknowledged_on) == ("Margaret Okafor",
                                                            dt.date(2026, 12, 8))


def test_a_pack_without_front_matter_gets_one_and_two_packs_on_a_day_need_the_file_name(
        practice: Write) -> None:
    root = practice({"clients/acme/board/2026-12-10-board.md": "# Q4 board\n\nHeadline.\n",
                     "clients/acme/board/2026-12-10-investors.md": "# Investors\n\nUpdate.\n"})
    with pytest.raises(PorticoError, match=r"'2026-12-10' names 2 packs \(2026-12-10-board, "
                       r"2026-12-10-investors\); give the file name without \.md"):
        record_answer(root, "acme", "2026-12-10", "acknowledged", by="Dana Reyes")
    record_answer(root, "acme", "2026-12-10-board", "acknowledged", by="Dana Reyes",
                  on="2026-12-11")
    assert (root / "clients/acme/board/2026-12-10-board.md").read_text("utf-8") == (
        "---\nacknowledged_by: Dana Reyes\nacknowledged_on: 2026-12-11\n---\n\n"
        "# Q4 board\n\nHeadline.\n")


@pytest.mark.parametrize(("item", "state", "on", "message"), [
    ("0009", "approved", "2026-12-10",
     "clients/harborline: no decision 0009 (decisions: 0001, 0002, 0003, 0004, 0005, 0006)"),
    ("A-0001", "done", "2026-12-10",
     "clients/harborline/actions.yml: no ask 'A-0001' (did you mean A-001?); give its id or "
     "its title"),
    ("2027-01", "acknowledged", "2026-12-10",
     "clients/harborline/board: no board pack for '2027-01' (packs: 2026-09-15, 2026-12-10)"),
    ("0006", "approved", "2026-02-30",
     "--on must be a real date: 2026-02-30 does not exist (February 2026 has 28 days)"),
    ("0006", "approved", "10/12/2026", "--on must be a date written YYYY-MM-DD, got "
     "'10/12/2026'"),
    ("0006", "done", "2026-12-10",
     "a decision is approved or declined (or: accepted, rejected), got 'done'"),
    ("A-001", "approve", "2026-12-10", "an ask is done, got 'approve'"),
    ("2026-12-10", "acknowledge", "2026-12-10",
     "a board pack is acknowledged, got 'acknowledge' (did you mean 'acknowledged'?)"),
])
def test_a_mistake_on_the_command_line_is_one_sentence_and_changes_nothing(
        copy_demo: Callable[[Path], Path], tmp_path: Path, item: str, state: str, on: str,
        message: str) -> None:
    root = copy_demo(tmp_path / "repo")
    files = {p: p.read_bytes() for p in (root / "clients").rglob("*") if p.is_file()}
    with pytest.raises(PorticoError) as error:
        record_answer(root, "harborline", item, state, by="Margaret Okafor", on=on)
    assert str(error.value) == message
    assert files == {p: p.read_bytes() for p in (root / "clients").rglob("*") if p.is_file()}
