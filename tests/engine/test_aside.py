"""A build of one portal warms the engine in a forked child while it loads and renders
(engine.aside): the site that child builds is the site the build's own process builds, its
errors come back as the build's, and a build that fails first leaves no child behind."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from decrypted_portal import decrypted

from portico.content.errors import ContentError, Problem
from portico.delivery.pipeline import build_portal
from portico.engine import aside as aside_module
from portico.engine import build as build_module

SLUG = "lumen-health"  # one portal: no views
PASSPHRASE = "quartz-meadow-signal-cedar-ember-drift"
TODAY = dt.date(2026, 11, 25)


def record_pids(monkeypatch: pytest.MonkeyPatch, log: Path, module: Any, name: str) -> None:
    """Log the process each call of `module.name` runs in (children inherit the patch)."""
    real = getattr(module, name)

    def logged(*args: Any, **kwargs: Any) -> Any:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, logged)


def test_the_site_built_aside_is_the_site_built_here(
        copy_demo: Callable[[Path], Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "practice")
    log = tmp_path / "engine.log"
    record_pids(monkeypatch, log, aside_module, "build_site")
    record_pids(monkeypatch, log, build_module, "build_site")
    aside = build_portal(root, SLUG, tmp_path / "aside", today=TODAY, engine_aside=True)
    assert aside.ok, aside.problems or aside.message
    (engine_pid,) = {int(pid) for pid in log.read_text().split()}
    assert engine_pid != os.getpid()  # built by the child
    log.unlink()
    here = build_portal(root, SLUG, tmp_path / "here", today=TODAY)
    assert here.ok, here.problems or here.message
    assert {int(pid) for pid in log.read_text().split()} == {os.getpid()}
    assert aside.pages == here.pages > 10
    ours = decrypted(tmp_path / "aside" / SLUG, PASSPHRASE)
    assert ours == decrypted(tmp_path / "here" / SLUG, PASSPHRASE)
    assert any(b"Lumen" in data for path, data in ours.items() if path.endswith(".html"))


def test_an_engine_error_comes_back_at_the_users_file_and_line(
        copy_demo: Callable[[Path], Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "practice")
    problem = Problem("clients/lumen-health/notes/kickoff.md", 7, "a link the engine refused")

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise ContentError([problem])

    monkeypatch.setattr(aside_module, "build_site", refuse)
    result = build_portal(root, SLUG, tmp_path / "site", today=TODAY, engine_aside=True)
    assert not result.ok
    assert [str(p) for p in result.problems] == [str(problem)]
    assert not (tmp_path / "site" / SLUG).exists()


def test_a_build_that_fails_before_its_engine_stage_leaves_no_child(
        copy_demo: Callable[[Path], Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "practice")
    risks = root / "clients" / SLUG / "risks.yml"
    risks.write_text(risks.read_text("utf-8").replace("likelihood: ", "likelihood: 9", 1),
                     "utf-8")
    log = tmp_path / "warm.log"
    record_pids(monkeypatch, log, aside_module, "warm_up")
    result = build_portal(root, SLUG, tmp_path / "site", today=TODAY, engine_aside=True)
    assert not result.ok
    assert any("risks.yml" in str(p) for p in result.problems), result.problems
    (child,) = {int(pid) for pid in log.read_text().split()}
    assert child != os.getpid()
    with pytest.raises(ProcessLookupError):  # stopped and reaped, not left running
        os.kill(child, 0)


def test_an_edit_rebuilt_aside_is_keyed_and_built_as_a_fresh_build_would_be(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    """The engine starts on docs that changed since the portal on disk while the docs key
    is taken: the key is the one a fresh build takes, and so is the portal."""
    root = copy_demo(tmp_path / "practice")
    first = build_portal(root, SLUG, tmp_path / "site", today=TODAY, engine_aside=True)
    assert first.ok, first.problems or first.message
    note = next((root / "clients" / SLUG / "notes").glob("*.md"))
    note.write_text(note.read_text("utf-8") + "\nA sentence added after the build.\n", "utf-8")
    edited = build_portal(root, SLUG, tmp_path / "site", today=TODAY, engine_aside=True,
                          previous=first.docs_key)
    assert edited.ok and not edited.skipped, edited.problems or edited.message
    assert edited.docs_key and edited.docs_key != first.docs_key
    fresh = build_portal(root, SLUG, tmp_path / "fresh", today=TODAY)
    assert fresh.docs_key == edited.docs_key
    ours = decrypted(tmp_path / "site" / SLUG, PASSPHRASE)
    assert ours == decrypted(tmp_path / "fresh" / SLUG, PASSPHRASE)
    assert any(b"A sentence added after the build." in data for data in ours.values())
