"""A client's history read from git: which commits, in which order, and their files."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from dated_history import build_history_repo, git

from portico.content.history import read_history
from portico.sections.risks.section import risks_of

TODAY = dt.date(2026, 12, 1)


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
