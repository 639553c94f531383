"""What changed between commits, from the models: moves, internal items, the cache."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from dated_history import INTERNAL_NOTE_TITLE, build_history_repo, git

from portico.content.history import History, read_history
from portico.content.load import load_engagement
from portico.portal import changes as ch

TODAY = dt.date(2026, 12, 1)


def _history(root: Path, cache: Path | None = None) -> History:
    return read_history(root, "harborline", TODAY, cache_file=cache)


def _visible(root: Path) -> set[tuple[str, str]]:
    return set(ch.current_traces(load_engagement(root, "harborline"), TODAY,
                                 without=("changes",)))


def test_changes_are_the_moves_between_commits_newest_first(history_repo: Path) -> None:
    found = ch.changes(_history(history_repo), _visible(history_repo))
    lines = [(c.revision.day.isoformat(), c.after.section, c.after.id, c.moves) for c in found]
    assert lines[0][0] == "2026-11-27"
    assert ("2026-11-27", "roadmap", "R5", []) in lines  # its end moved: a slip
    assert ("2026-11-27", "board", "2027-03-11-q1-board", []) in lines  # added
    assert ("2026-10-15", "risks", "RISK-004", ["score 10 → 15"]) in lines
    assert ("2026-10-15", "roadmap", "R5", ["Planned → At risk"]) in lines
    assert ("2026-09-14", "board", "2026-09-15-q3-board", []) in lines  # added
    days = [c.revision.when for c in found]
    assert days == sorted(days, reverse=True)
    # The first commit is where the portal starts, not a change.
    assert not any(c.revision.day == dt.date(2026, 8, 3) for c in found)


def test_a_success_test_verdict_that_changes_is_a_change(history_repo: Path) -> None:
    """Decision 0005's tests (tests/dated_history.py): MFA met once the August value is in,
    lead time missed once its day has passed; each is followed on its own."""
    found = ch.changes(_history(history_repo), _visible(history_repo))
    lines = [(c.revision.day.isoformat(), c.after.id, c.moves) for c in found
             if c.after.section == "decisions"]
    assert ("2026-10-15", "0005/success/K-MFA", ["On the way → Met"]) in lines
    assert ("2026-11-27", "0005/success/K-LEAD", ["On the way → Missed"]) in lines
    assert ("2026-10-15", "0001/success/K-UPTIME", ["On the way → Met"]) in lines


def test_internal_items_never_appear_not_even_as_a_change(history_repo: Path) -> None:
    found = ch.changes(_history(history_repo), _visible(history_repo))
    assert not [c for c in found if c.after.id == "RISK-008"]  # internal, and it moved
    assert not [c for c in found if INTERNAL_NOTE_TITLE in c.after.title]
    timeline = ch.timeline(_history(history_repo))
    assert all(("risks", "RISK-008") not in traces for _, traces in timeline)


def test_an_item_made_internal_since_disappears_from_the_whole_history(
        history_repo: Path) -> None:
    visible = _visible(history_repo) - {("risks", "RISK-004")}  # as if internal today
    found = ch.changes(_history(history_repo), visible)
    assert not [c for c in found if c.after.id == "RISK-004"]


def test_traces_are_cached_by_commit_and_new_commits_only_are_read(
        history_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "history.json"
    first = ch.timeline(_history(history_repo, cache))
    assert set(json.loads(cache.read_text())["commits"]) == {
        r.commit for r in _history(history_repo).revisions}

    def refuse(self: History, revision: object) -> None:
        raise AssertionError("a cached commit was read again")

    monkeypatch.setattr(History, "engagement_at", refuse)
    again = ch.timeline(_history(history_repo, cache))
    assert [traces for _, traces in again] == [traces for _, traces in first]


def test_a_damaged_cache_is_read_from_git_again(history_repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "history.json"
    cache.write_text('{"format": 1, "commits": ', encoding="utf-8")
    assert len(ch.timeline(_history(history_repo, cache))) == 4
    assert json.loads(cache.read_text())["format"] == ch._cache_format()


def test_a_risk_series_and_a_roadmap_items_moves(history_repo: Path) -> None:
    history = _history(history_repo)
    risk = ch.series(history, ("risks", "RISK-004"))
    assert [(r.day.isoformat(), t.score) for r, t in risk] == [
        ("2026-08-03", 10), ("2026-10-15", 15)]
    engagement = load_engagement(history_repo, "harborline")
    engagement.history = history
    from portico.portal.view import portal_view

    view = portal_view(engagement, TODAY)
    assert view.parts["risks"].history["RISK-004"] == [
        (dt.date(2026, 8, 3), 10), (dt.date(2026, 10, 15), 15)]
    assert "RISK-002" not in view.parts["risks"].history  # never moved
    assert view.parts["roadmap"].history["R5"] == [
        (dt.date(2026, 8, 3), "planned"), (dt.date(2026, 10, 15), "at-risk")]


def test_a_reused_id_tells_nothing_of_the_earlier_item(tmp_path: Path) -> None:
    """RISK-002 made internal under a new id, and a new, different RISK-002 added: the new
    one's history starts when it appears. Neither What's new, nor its trend, nor a board
    pack from before shows the old risk as this one's past."""
    root = build_history_repo(tmp_path / "practice")
    risks = root / "clients" / "harborline" / "risks.yml"
    text = risks.read_text(encoding="utf-8")
    text = text.replace("  - id: RISK-002\n", "  - id: RISK-902\n    internal: true\n", 1)
    text += ("  - id: RISK-002\n    title: Warehouse scanners reach end of support\n"
             "    category: technology\n    likelihood: 3\n    impact: 4\n"
             "    owner: Sam Kowalski\n    status: open\n    raised: 2026-11-28\n")
    risks.write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", "new RISK-002", when="2026-11-28T10:00:00+00:00")
    engagement = load_engagement(root, "harborline")
    history = _history(root)
    ch.attach(engagement, history)
    found = [c for c in ch.changes(history, _visible(root)) if c.after.id == "RISK-002"]
    assert [(c.revision.day.isoformat(), c.before, c.moves) for c in found] == [
        ("2026-11-28", None, [])]  # added, not "20 → 12, retitled"
    assert [t.score for _, t in ch.series(history, ("risks", "RISK-002"))] == [12]
    from portico.portal.view import portal_view

    board = portal_view(engagement, TODAY).parts["board"]
    q3 = next(p for p in board.packs if p.pack.date == dt.date(2026, 9, 15))
    then = {line.risk.id: line.risk.title for line in q3.risks}
    assert "RISK-002" not in then  # the Q3 pack's RISK-002 was another risk, internal now
    assert "Carrier integrations depend on one engineer" not in then.values()
    q4 = next(p for p in board.packs if p.pack.date == dt.date(2026, 11, 30))
    now = {line.risk.id: (line.then, line.risk.title) for line in q4.risks}
    assert now["RISK-002"] == (None, "Warehouse scanners reach end of support")  # new


def test_a_reused_id_and_a_reworded_title_bring_back_no_old_wording(tmp_path: Path) -> None:
    """In one commit RISK-002 is deleted and its id reused for another risk (not made
    internal), and RISK-001 is reworded. Neither old wording is told as the past of
    today's items: not in What's new, not in a trend, not in a board pack from before."""
    root = build_history_repo(tmp_path / "practice")
    risks = root / "clients" / "harborline" / "risks.yml"
    text = risks.read_text(encoding="utf-8")
    old_002, old_001 = ("Carrier integrations depend on one engineer",
                        "Manifest runs on end-of-life software")
    new_001 = "Our operations system's platform is past vendor support"
    text = text.replace(f"title: {old_002}", "title: Newark warehouse closure with 40 Ops "
                        "layoffs", 1).replace(f"title: {old_001}", f"title: {new_001}", 1)
    risks.write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", "reuse RISK-002, reword RISK-001",
        when="2026-11-28T10:00:00+00:00")
    engagement = load_engagement(root, "harborline")
    history = _history(root)
    ch.attach(engagement, history)
    found = {c.after.id: c for c in ch.changes(history, _visible(root))
             if c.after.id in {"RISK-001", "RISK-002"}}
    assert found["RISK-002"].before is None and found["RISK-001"].before is None  # new items
    assert [r.day.isoformat() for r, _ in ch.series(history, ("risks", "RISK-001"))] == [
        "2026-11-28"]
    from portico.portal.view import portal_view

    board = portal_view(engagement, TODAY).parts["board"]
    for pack in board.packs:
        if pack.state.revision is not None:  # a pack as it stood before the commit
            titles = {line.risk.title for line in pack.risks}
            assert not titles & {old_002, old_001}, (pack.pack.date, titles)
    assert ch.same_item("Carrier integrations depend on one engineer",
                        "Carrier integrations depend on one developer")  # a small edit


def test_a_git_failure_is_not_remembered_as_a_commit_that_did_not_load(
        history_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from portico.content import history as hist

    cache = tmp_path / "history.json"

    def failing(root: Path, slug: str, commit: str, scratch: Path | None) -> None:
        raise hist._Unreadable(commit)

    monkeypatch.setattr(hist, "_load_at", failing)
    assert ch.timeline(_history(history_repo, cache)) == []
    assert not cache.exists() or json.loads(cache.read_text())["commits"] == {}
    monkeypatch.undo()
    assert len(ch.timeline(_history(history_repo, cache))) == 4  # read again, now it works


def test_rows_of_the_wrong_shape_in_the_cache_are_not_trusted(
        history_repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "history.json"
    ch.timeline(_history(history_repo, cache))
    data = json.loads(cache.read_text())
    first = next(iter(data["commits"]))
    data["commits"][first] = [["risks", "RISK-004"]]  # a row where a row number belongs
    cache.write_text(json.dumps(data))
    assert len(ch.timeline(_history(history_repo, cache))) == 4
    data = json.loads(cache.read_text())
    data["rows"][0] = ["risks", "RISK-004"]  # a row too short to be a trace
    data["digest"] = ch._digest([data["rows"], data["commits"]], data["dropped"])
    cache.write_text(json.dumps(data))
    assert len(ch.timeline(_history(history_repo, cache))) == 4
    data = json.loads(cache.read_text())
    data["commits"][first] = [len(data["rows"])]  # a number past the table's end
    data["digest"] = ch._digest([data["rows"], data["commits"]], data["dropped"])
    cache.write_text(json.dumps(data))
    assert len(ch.timeline(_history(history_repo, cache))) == 4


RISK = """\
  - id: {id}
    title: {title}
    category: technology
    likelihood: 2
    impact: 3
    owner: Jo Whitaker
    status: open
    raised: 2026-11-16
"""


def test_what_the_portal_starts_with_is_not_added(tmp_path: Path) -> None:
    """A client.yml alone, then the CTO's records, then the asks kept so far: the first
    state with anything in it is the starting point, and a section that arrives with
    several items at once starts there too (asks already done are not news). A single new
    item is still news."""
    root = tmp_path / "practice"
    client = root / "clients" / "acme"
    client.mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Test practice\n", encoding="utf-8")
    (client / "client.yml").write_text(
        "name: Acme Logistics\nengagement:\n  start: 2026-11-16\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "client", when="2026-11-16T10:00:00+00:00")
    risks = "risks:\n" + RISK.format(id="RISK-001", title="Backups are never restored") + \
        RISK.format(id="RISK-002", title="One engineer holds every password")
    (client / "risks.yml").write_text(risks, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records", when="2026-11-20T10:00:00+00:00")
    (client / "actions.yml").write_text(
        "actions:\n" + "".join(f"  - id: A-00{n}\n    title: Ask number {n}\n"
                               f"    owner: practice\n    due: 2026-11-2{n}\n"
                               "    status: done\n    done: 2026-11-20\n" for n in (1, 2, 3)),
        encoding="utf-8")
    (client / "risks.yml").write_text(
        risks + RISK.format(id="RISK-003", title="The warehouse has no second line"),
        encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "asks and a risk", when="2026-12-01T10:00:00+00:00")
    engagement = load_engagement(root, "acme")
    history = read_history(root, "acme", dt.date(2026, 12, 6))
    ch.attach(engagement, history)
    visible = set(ch.current_traces(engagement, dt.date(2026, 12, 6), without=("changes",)))
    found = [(c.after.section, c.after.id) for c in ch.changes(history, visible)]
    assert found == [("risks", "RISK-003")]


def test_whats_new_says_a_pack_was_added_before_naming_it(
        history_repo: Path, tmp_path: Path) -> None:
    from dated_history import page_text, render_with_history

    docs = render_with_history(history_repo, tmp_path / "out", TODAY)
    for page in ("whats-new.md", "index.md"):
        news = page_text(docs, page)
        # Not "Board pack Q4 board pack: added", the kind named twice before the verb.
        assert "**Board pack** added: [Q4 board pack](board/2026-11-30.md)" in news, page
        assert "Q4 board pack](board/2026-11-30.md): added" not in news


def test_a_success_test_set_on_a_decision_already_shown_reads_as_its_verdict() -> None:
    from portico.content.history import Revision
    from portico.sections.base import Trace
    from portico.sections.changes.section import Entry

    revision = Revision("0" * 40, dt.datetime(2026, 10, 15, 16, tzinfo=dt.UTC))
    after = Trace("decisions", "0001/success/K-AVAIL", "Move production hosting to AWS",
                  state="met")
    entry = Entry(ch.Change(revision, None, after), "Decision", None,
                  "Move production hosting to AWS", "success test")
    # As the decision's page says it ("Success test | Met") and as a move reads
    # ("success test: On the way → Met"); not "success test set: met".
    assert entry.what == "success test: Met"
    assert not entry.added
