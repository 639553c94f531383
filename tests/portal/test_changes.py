"""What changed between commits, from the models: moves, internal items, the cache."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from dated_history import INTERNAL_NOTE_TITLE

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
    assert lines[0][:3] == ("2026-11-27", "board", "2027-03-11")
    assert ("2026-10-15", "risks", "RISK-004", ["score 10 → 15"]) in lines
    assert ("2026-10-15", "roadmap", "R5", ["planned → at risk"]) in lines
    assert ("2026-09-14", "board", "2026-09-15", []) in lines  # added
    days = [c.revision.when for c in found]
    assert days == sorted(days, reverse=True)
    # The first commit is where the portal starts, not a change.
    assert not any(c.revision.day == dt.date(2026, 8, 3) for c in found)


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
    assert json.loads(cache.read_text())["format"] == ch.TRACE_FORMAT


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
