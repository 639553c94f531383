"""Asks (actions.yml): what each side owes, "Waiting on you" on home, the list by owner,
board packs carrying them forward, and What's new seeing them fall due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from portico.content.check import check_engagement
from portico.content.history import read_history
from portico.content.load import load_engagement, load_practice
from portico.portal.render import render_portal
from portico.portal.view import portal_view
from portico.sections.actions.model import Action
from portico.sections.actions.view import ActionsView

TODAY = dt.date(2026, 12, 6)


def _ask(id: str, owner: str, due: str | None, status: str = "open") -> Action:
    return Action.model_validate({"id": id, "title": f"ask {id}", "owner": owner, "due": due,
                                  "status": status})


def test_an_open_ask_past_its_date_is_overdue_and_a_done_one_never_is() -> None:
    assert _ask("A", "x", "2026-12-04").state(TODAY) == "overdue"
    assert _ask("A", "x", "2026-12-06").state(TODAY) == "open"  # due today: not yet late
    assert _ask("A", "x", "2026-12-04", "done").state(TODAY) == "done"
    assert _ask("A", "x", None).state(TODAY) == "open"
    assert _ask("A", "Practice", None).by_practice and not _ask("A", "Pat", None).by_practice


def test_the_list_groups_by_owner_client_first_overdue_first_practice_last() -> None:
    view = ActionsView(TODAY, [
        _ask("1", "practice", "2026-12-01"), _ask("2", "Pat", "2026-12-20"),
        _ask("3", "Lee", "2026-12-30"), _ask("4", "Lee", "2026-12-02"),
        _ask("5", "Pat", "2026-11-01", "done"),
    ])
    groups = [(owner, [a.id for a in items]) for owner, items in view.groups()]
    assert groups == [("Lee", ["4", "3"]), ("Pat", ["2", "5"]), (None, ["1"])]
    assert [a.id for a in view.waiting] == ["4", "2", "3"]
    assert [a.id for a in view.overdue] == ["4"]  # the practice's late ask is not "on you"


def test_check_names_an_unknown_owner_and_a_done_date_on_an_open_ask(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    path = root / "clients/harborline/actions.yml"
    path.write_text(path.read_text("utf-8") + "  - id: A-001\n    title: again\n"
                    "    owner: Davd Lindqvist\n    done: 2026-12-01\n", "utf-8")
    problems = [str(p) for p in check_engagement(load_engagement(root, "harborline"), root,
                                                 today=TODAY)]
    lines = path.read_text("utf-8").splitlines()
    owner = lines.index("    owner: Davd Lindqvist") + 1
    assert f"clients/harborline/actions.yml:{owner}: A-001: owner 'Davd Lindqvist' is not a " \
        "contact in client.yml; write a contact's name, or `practice`" in problems
    assert any(p.startswith(f"clients/harborline/actions.yml:{owner - 2}: duplicate ask id")
               for p in problems)
    assert f"clients/harborline/actions.yml:{owner + 1}: A-001: done is the day it was done; " \
        "its status is open, not done" in problems


def test_home_puts_waiting_on_you_first_with_the_overdue_ask(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    practice = load_practice(root)
    render_portal(practice.clients[0], practice, tmp_path / "out", today=TODAY)
    home = (tmp_path / "out/docs/index.md").read_text("utf-8")
    cards = home[home.index('<div class="grid cards"'):]
    assert cards.split("\n-   ")[1].startswith(":material-clipboard-account-outline: "
                                                 "**Waiting on you: 3**")
    assert '<span class="pt-overdue">:material-alert: 1 overdue</span>' in cards
    page = (tmp_path / "out/docs/asks.md").read_text("utf-8")
    assert "overdue since" in page and "A-00" not in page.replace('id="a-0', "")
    assert "reference customers" not in page + home  # an internal ask stays in git


def test_an_ask_falling_due_is_a_change_whats_new_reports(tmp_path: Path) -> None:
    from portico.sections import registered

    section = next(s for s in registered() if s.name == "actions")
    view = ActionsView(TODAY, [_ask("A", "Pat", "2026-12-04")])
    assert [t.state for t in section.traces(view)] == ["overdue"]


def test_a_board_pack_carries_forward_the_asks_open_at_the_previous_one(tmp_path: Path) -> None:
    from dated_history import build_history_repo, git

    root = build_history_repo(tmp_path / "practice")
    client = root / "clients/harborline"
    asks = client / "actions.yml"
    asks.write_text(asks.read_text("utf-8").replace(
        "    title: Send the December board papers\n    owner: practice\n    due: 2026-12-07\n",
        "    title: Send the December board papers\n    owner: practice\n    due: 2026-12-07\n"
        "    status: done\n    done: 2026-12-04\n"), "utf-8")
    q4 = (client / "board/2026-11-30-q4-board.md").read_text("utf-8")
    (client / "board/2026-12-10-december-board.md").write_text(q4, "utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "December pack", when="2026-12-05T16:00:00+00:00")
    engagement = load_engagement(root, "harborline")
    engagement.history = read_history(root, "harborline", TODAY)
    board = portal_view(engagement, TODAY).parts["board"]
    december = next(p for p in board.packs if p.pack.date == dt.date(2026, 12, 10))
    moves = {line.action.id: (line.then, line.now) for line in december.carried}
    assert moves["A-001"] == ("open", "overdue")  # open on Nov 30, past due by Dec 10
    assert moves["A-007"] == ("open", "done")
    assert "A-002" not in moves  # done before the previous pack: nothing to carry
    assert december.opened == []


def test_portico_new_action_appends_an_ask_that_check_accepts(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from portico.cli import main

    root = copy_demo(tmp_path / "repo")
    run = CliRunner().invoke
    done = run(main, ["--root", str(root), "new", "action", "harborline",
                      "Sign the Quayside order form", "--owner", "Margaret Okafor",
                      "--due", "2026-12-18"])
    assert done.exit_code == 0, done.output
    assert done.output == "wrote clients/harborline/actions.yml\n"
    text = (root / "clients/harborline/actions.yml").read_text("utf-8")
    assert text.startswith("# yaml-language-server")  # the demo's comments are kept
    assert text.endswith('  - id: "A-009"\n    title: "Sign the Quayside order form"\n'
                         '    owner: "Margaret Okafor"\n    due: 2026-12-18\n    status: open\n'
                         "    # from (a note, board pack, decision or roadmap.yml#id): see "
                         "`portico docs content-model`\n")
    assert run(main, ["--root", str(root), "check"]).exit_code == 0
    bad = run(main, ["--root", str(root), "new", "action", "harborline", "x", "--owner",
                     "practice", "--due", "Dec 4"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    fresh = run(main, ["--root", str(root), "new", "action", "lumen-health", "Book the review",
                       "--owner", "practice"])
    assert fresh.exit_code == 0 and "A-007" in (root / "clients/lumen-health/actions.yml"
                                                 ).read_text("utf-8")


def test_check_names_a_done_by_on_an_ask_that_is_not_done(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    path = root / "clients/harborline/actions.yml"
    path.write_text(path.read_text("utf-8") + "  - id: A-009\n    title: Sign the order form\n"
                    "    owner: Margaret Okafor\n    done_by: Margaret Okafor\n", "utf-8")
    problems = [str(p) for p in check_engagement(load_engagement(root, "harborline"), root,
                                                 today=TODAY)]
    line = len(path.read_text("utf-8").splitlines())
    assert f"clients/harborline/actions.yml:{line}: A-009: done_by is who did it; its status " \
        "is open, not done" in problems
