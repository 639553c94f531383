"""A client's history read from git: which commits, in which order, and their files."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dated_history import build_history_repo, git

from portico.content.history import last_commit, last_commits, read_history
from portico.sections.risks.section import risks_of

TODAY = dt.date(2026, 12, 1)


def spy_on_git(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every command `subprocess.run` is given from now on, in order (it still runs them)."""
    import subprocess

    calls: list[list[str]] = []
    real = subprocess.run

    def spy(command: list[str], *args: Any, **kwargs: Any) -> Any:
        calls.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    return calls


def test_the_history_is_the_client_folders_commits_oldest_first(history_repo: Path) -> None:
    history = read_history(history_repo, "harborline", TODAY)
    assert [r.day.isoformat() for r in history.revisions] == [
        "2026-08-03", "2026-09-14", "2026-10-15", "2026-11-27"]
    assert history.at(dt.date(2026, 9, 15)).day == dt.date(2026, 9, 14)  # type: ignore[union-attr]
    assert history.at(dt.date(2026, 8, 2)) is None  # before the folder existed


def test_a_commit_is_loaded_as_it_stood(history_repo: Path) -> None:
    history = read_history(history_repo, "harborline", TODAY)
    first, *_, last = history.revisions
    then, now = history.engagement_at(first), history.engagement_at(last)
    assert then is not None and now is not None
    scores = [{r.id: r.score for r in risks_of(e)}["RISK-004"] for e in (then, now)]
    assert scores == [10, 15]
    assert not then.parts["board"] and len(now.parts["board"]) == 3


def test_commits_after_today_are_not_history_yet(history_repo: Path) -> None:
    history = read_history(history_repo, "harborline", dt.date(2026, 10, 1))
    assert [r.day.isoformat() for r in history.revisions] == ["2026-08-03", "2026-09-14"]


def test_a_reused_slug_starts_a_new_history(tmp_path: Path) -> None:
    """A client folder deleted and created again is a new engagement: its history starts at
    the commit that created its client.yml again."""
    root = build_history_repo(tmp_path / "practice")
    client = root / "clients" / "harborline"
    saved = tmp_path / "saved"
    shutil.copytree(client, saved)
    shutil.rmtree(client)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "engagement ended", when="2026-11-28T10:00:00+00:00")
    shutil.copytree(saved, client)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "new engagement", when="2026-11-29T10:00:00+00:00")
    history = read_history(root, "harborline", TODAY)
    assert [r.day.isoformat() for r in history.revisions] == ["2026-11-29"]


def test_outside_git_there_is_no_history(copy_demo: Callable[[Path], Path],
                                        tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "practice")
    assert read_history(root, "harborline", TODAY).revisions == []


def test_a_commit_that_does_not_load_is_no_state(tmp_path: Path) -> None:
    root = build_history_repo(tmp_path / "practice")
    risks = root / "clients" / "harborline" / "risks.yml"
    good = risks.read_text(encoding="utf-8")
    risks.write_text("risks: [", encoding="utf-8")
    git(root, "commit", "-q", "-am", "broken", when="2026-11-28T10:00:00+00:00")
    risks.write_text(good, encoding="utf-8")
    git(root, "commit", "-q", "-am", "fixed", when="2026-11-29T10:00:00+00:00")
    history = read_history(root, "harborline", TODAY)
    broken = history.revisions[-2]
    assert broken.day == dt.date(2026, 11, 28)
    assert history.engagement_at(broken) is None
    assert history.engagement_at(history.revisions[-1]) is not None


def test_a_folder_renamed_in_does_not_bring_another_clients_history(tmp_path: Path) -> None:
    """With `log.follow=true` in the user's git config, a client folder renamed from another
    slug must not take that engagement's commits as its own."""
    root = build_history_repo(tmp_path / "practice")
    git(root, "config", "log.follow", "true")
    git(root, "mv", "clients/harborline", "clients/northwind")
    git(root, "commit", "-q", "-m", "new engagement", when="2026-11-29T10:00:00+00:00")
    history = read_history(root, "northwind", TODAY)
    assert [r.day.isoformat() for r in history.revisions] == ["2026-11-29"]


def test_a_link_out_of_the_folder_in_an_old_commit_is_no_state_not_a_crash(
        tmp_path: Path) -> None:
    root = build_history_repo(tmp_path / "practice")
    link = root / "clients" / "harborline" / "files" / "passwd"
    link.symlink_to("/etc/passwd")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "oops", when="2026-11-28T10:00:00+00:00")
    link.unlink()
    git(root, "commit", "-q", "-am", "fixed", when="2026-11-29T10:00:00+00:00")
    history = read_history(root, "harborline", TODAY)
    oops = next(r for r in history.revisions if r.day == dt.date(2026, 11, 28))
    assert history.engagement_at(oops) is None
    assert history.engagement_at(history.revisions[-1]) is not None


def test_last_commits_asks_git_once_and_agrees_with_each_clients_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HEAD as recorded: one call; HEAD ahead: one more, for the range; HEAD elsewhere (a
    reset, a rewrite): each client asked. Merges count by first parent, as `last_commit`."""

    root = tmp_path / "practice"
    slugs = ["acme", "beta", "gamma"]

    def write(slug: str, text: str) -> None:
        (root / "clients" / slug).mkdir(parents=True, exist_ok=True)
        (root / "clients" / slug / "client.yml").write_text(text, encoding="utf-8")

    for slug in slugs:
        write(slug, f"name: {slug}\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "three clients")
    calls = spy_on_git(monkeypatch)

    def check(since: str, known: dict[str, str], asked: int) -> tuple[str, dict[str, str]]:
        calls.clear()
        head, commits = last_commits(root, slugs, since=since, known=known)
        assert len(calls) == asked, calls
        assert commits == {slug: last_commit(root, slug) for slug in slugs}
        return head, commits

    head, commits = check("", {}, 1 + len(slugs))  # nothing known: each client asked
    head, commits = check(head, commits, 1)
    write("acme", "name: Acme\n")
    git(root, "commit", "-q", "-am", "acme renamed")
    head, commits = check(head, commits, 2)
    git(root, "checkout", "-q", "-b", "side")
    write("beta", "name: Beta\n")
    git(root, "commit", "-q", "-am", "beta renamed, on a branch")
    git(root, "checkout", "-q", "main")
    write("gamma", "name: Gamma\n")
    git(root, "commit", "-q", "-am", "gamma renamed")
    git(root, "merge", "-q", "--no-ff", "side", "-m", "merge side")
    head, commits = check(head, commits, 2)
    assert commits["beta"] == head  # the merge brought beta's change to the first parents
    git(root, "reset", "-q", "--hard", "HEAD~2")
    check(head, commits, 2 + len(slugs))  # the range says the recorded HEAD is not on it
    check("--output=/tmp/x", commits, 1 + len(slugs))  # a damaged cache's word: not used


def test_outside_git_every_last_commit_is_empty(tmp_path: Path) -> None:
    (tmp_path / "clients" / "acme").mkdir(parents=True)
    assert last_commits(tmp_path, ["acme"], since="0" * 40, known={"acme": "1" * 40}) == (
        "", {"acme": ""})


def test_the_folder_log_is_kept_until_the_folder_changes_and_never_trusted_damaged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build of another view, or after an edit not yet committed, asks git for the
    folder's newest commit only; a commit moves it on; a damaged or forged file is asked
    again, never passed to git."""
    import json

    root = build_history_repo(tmp_path / "practice")
    cache = root / ".portico-cache" / "history" / "harborline.json"
    first = read_history(root, "harborline", TODAY, cache_file=cache)
    kept = cache.with_name("harborline.log.json")
    assert kept.is_file() and kept.stat().st_mode & 0o077 == 0
    calls = spy_on_git(monkeypatch)

    def logs() -> int:
        return sum(1 for c in calls if "--diff-filter=A" in c or "--format=%H %cI" in c)

    again = read_history(root, "harborline", TODAY, cache_file=cache)
    assert again.revisions == first.revisions and logs() == 0
    (root / "clients/harborline/notes/2026-12-01-new.md").write_text("# New\n\nA new note.\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a note", when="2026-11-30T10:00:00+00:00")
    calls.clear()
    moved = read_history(root, "harborline", TODAY, cache_file=cache)
    assert len(moved.revisions) == len(first.revisions) + 1 and logs() == 2
    data = json.loads(kept.read_text())
    data["listed"][0] = "--output=/tmp/forged 2026-11-30T10:00:00+00:00"
    kept.write_text(json.dumps(data))
    calls.clear()
    forged = read_history(root, "harborline", TODAY, cache_file=cache)
    assert forged.revisions == moved.revisions and logs() == 2
    assert not any("--output=/tmp/forged" in " ".join(c) for c in calls)
    kept.write_text("{not json")
    assert read_history(root, "harborline", TODAY, cache_file=cache).revisions == \
        moved.revisions
