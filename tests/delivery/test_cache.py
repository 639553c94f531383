"""Incremental builds: an unchanged practice is decided from stat, the cache and one git call,
and nothing that changed is ever kept as unchanged."""

from __future__ import annotations

import builtins
import datetime as dt
import json
import multiprocessing
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from dated_history import git

from portico.cli import main
from portico.delivery.cache import BuildCache, client_key, input_keys, shared_key
from portico.delivery.stamps import settled_clock
from portico.protection.readers import add_reader

REPO = Path(__file__).resolve().parents[2]
CLIENTS = {"acme": "Acme Logistics", "beta": "Beta Foods", "gamma": "Gamma Health"}
NOTE = "notes/2026-03-10-kickoff.md"
RISKS = """\
risks:
  - id: RISK-001
    title: Carrier feeds depend on one engineer
    likelihood: 3
    impact: 4
    status: open
    owner: Priya
    mitigation: Pair a second engineer on the carrier feeds.
"""


@pytest.fixture(scope="module")
def readers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A readers.yml per client (made once: each costs a key derivation)."""
    folder = tmp_path_factory.mktemp("readers")
    for slug in CLIENTS:
        add_reader(folder / slug, "cto", "The CTO", "quartz-meadow-signal-cedar-ember-drift")
    return {slug: (folder / slug).read_text(encoding="utf-8") for slug in CLIENTS}


@pytest.fixture
def practice(tmp_path: Path, readers: dict[str, str]) -> Path:
    """Three small clients in a git repository of one commit, built once."""
    root = tmp_path / "practice"
    root.mkdir()
    (root / "mkdocs.yml").write_bytes((REPO / "mkdocs.yml").read_bytes())
    for shared in ("content", "theme"):
        for source in (REPO / shared).rglob("*"):
            if source.is_file():
                target = root / source.relative_to(REPO)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes())
    for slug, name in CLIENTS.items():
        folder = root / "clients" / slug
        (folder / "notes").mkdir(parents=True)
        (folder / "client.yml").write_text(f"name: {name}\nengagement:\n  start: 2026-03-02\n",
                                           encoding="utf-8")
        (folder / NOTE).write_text(f"# Kick-off\n\nWe met {name}.\n", encoding="utf-8")
        (folder / "readers.yml").write_text(readers[slug], encoding="utf-8")
        (folder / "risks.yml").write_text(RISKS, encoding="utf-8")
    (root / ".gitignore").write_text("site/\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Three clients", when=days_ago(30))
    out = build(root)
    assert "3 built, 0 unchanged" in out, out
    return root


def days_ago(days: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")


def raise_risk(root: Path, slug: str) -> None:
    """An edit What's new tells of, once committed."""
    risks = root / "clients" / slug / "risks.yml"
    risks.write_text(risks.read_text(encoding="utf-8").replace("likelihood: 3", "likelihood: 4"),
                     encoding="utf-8")


def build(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--root", str(root), "build", *args])
    assert result.exit_code == 0, result.output
    return result.output


def rebuilt(out: str) -> set[str]:
    return set(re.findall(r"^  (\S+) +ok ", out, flags=re.MULTILINE))


def git_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every git command run from now on in this process (and its forks)."""
    calls: list[list[str]] = []
    real = subprocess.run

    def spy(command: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(command, list | tuple) and Path(str(command[0])).name == "git":
            calls.append([str(part) for part in command])
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    return calls


def files_read(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file opened for reading from now on, through pathlib or open()."""
    opened: list[Path] = []
    for name in ("read_bytes", "read_text", "open"):
        real = getattr(Path, name)

        def spy(self: Path, *args: Any, _real: Callable[..., Any] = real, **kwargs: Any) -> Any:
            opened.append(self)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Path, name, spy)
    real_open = builtins.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | os.PathLike):
            opened.append(Path(os.fsdecode(file)))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    return opened


def test_a_no_op_asks_git_once_for_the_whole_repository(
        practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not once per client: HEAD is what the cache recorded, so no client's history moved."""
    calls = git_calls(monkeypatch)
    assert "0 built, 3 unchanged" in build(practice)
    assert len(calls) == 1, calls
    assert "rev-parse" in calls[0]


def test_a_no_op_reads_no_client_file_and_no_portal_file(
        practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every input and every portal is judged by its stat stamp; nothing is hashed."""
    opened = files_read(monkeypatch)
    assert "0 built, 3 unchanged" in build(practice)
    watched = [practice / "clients", practice / "content", practice / "theme",
               *(practice / "site" / slug for slug in CLIENTS)]
    read = [p for p in opened if any(p.is_relative_to(folder) for folder in watched)]
    assert read == []


def test_a_no_op_starts_no_worker(practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a worker was started for a no-op")

    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    assert "0 built, 3 unchanged" in build(practice)


def test_an_edit_rebuilds_that_client_only(practice: Path) -> None:
    note = practice / "clients/beta" / NOTE
    note.write_text(note.read_text(encoding="utf-8") + "\nThey want a roadmap.\n",
                    encoding="utf-8")
    out = build(practice)
    assert rebuilt(out) == {"beta"} and "1 built, 2 unchanged" in out


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(practice: Path) -> None:
    """`touch -d` cannot set a file's change time back: the stamp still moves, and the
    bytes are read (git's index catches this edit the same way)."""
    note = practice / "clients/beta" / NOTE
    before = note.stat()
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("We met", "We saw"), encoding="utf-8")
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert note.stat().st_size == before.st_size and note.stat().st_mtime_ns == before.st_mtime_ns
    assert rebuilt(build(practice)) == {"beta"}


def test_a_touched_file_costs_a_hash_never_a_rebuild(
        practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    note = practice / "clients/gamma" / NOTE
    os.utime(note)
    # A file changed within the file system clock's current tick is hashed again next time
    # (stamps.py, git's "racy" case): this touch is older than that.
    settled_clock(practice / ".portico-cache")
    opened = files_read(monkeypatch)
    assert "0 built, 3 unchanged" in build(practice)
    assert note in opened  # its stamp moved, so its bytes were hashed: the same
    assert not [p for p in opened if p.is_relative_to(practice / "clients/acme")]
    monkeypatch.undo()
    opened = files_read(monkeypatch)
    assert "0 built, 3 unchanged" in build(practice)
    assert note not in opened  # the new stamp was recorded with the same digest


def test_committing_an_edit_already_built_rebuilds_that_client(
        practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What's new and the board packs come from the history: the commit changes them."""
    raise_risk(practice, "beta")
    assert rebuilt(build(practice)) == {"beta"}
    git(practice, "commit", "-q", "-am", "RISK-001 is likelier", when=days_ago(1))
    calls = git_calls(monkeypatch)
    out = build(practice)
    assert rebuilt(out) == {"beta"} and "1 built, 2 unchanged" in out
    # One `git log` of the new commit said which clients it touched; no client was asked
    # on its own (the workers, which read the rebuilt client's history, are not counted).
    assert [c[c.index("log"):][:2] for c in calls if "log" in c] == [["log", "-z"]]


def test_a_rewritten_history_is_asked_client_by_client(
        practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recorded HEAD is no longer on the branch (an amend that moved the commit's date):
    each client is asked; the one the amended commit touched is rebuilt, not the others."""
    raise_risk(practice, "acme")
    git(practice, "commit", "-q", "-am", "RISK-001 is likelier", when=days_ago(2))
    assert rebuilt(build(practice)) == {"acme"}
    git(practice, "commit", "-q", "--amend", "--no-edit", "--reset-author", when=days_ago(1))
    calls = git_calls(monkeypatch)
    out = build(practice)
    assert rebuilt(out) == {"acme"} and "1 built, 2 unchanged" in out
    assert len([c for c in calls if "-1" in c and "log" in c]) == len(CLIENTS)


@pytest.mark.parametrize("change", ["same size, time set back", "a file added", "a file removed"])
def test_a_portal_changed_behind_the_caches_back_is_rebuilt(practice: Path, change: str) -> None:
    portal = practice / "site/gamma"
    page = next(p for p in sorted(portal.rglob("*.html")) if p.stat().st_size > 100)
    if change == "same size, time set back":
        before = page.stat()
        data = page.read_bytes()
        page.write_bytes(data[:50] + bytes([data[50] ^ 1]) + data[51:])
        os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif change == "a file added":
        (portal / "extra.html").write_text("<p>not ours</p>", encoding="utf-8")
    else:
        page.unlink()
    out = build(practice)
    assert rebuilt(out) == {"gamma"}, out
    assert not (portal / "extra.html").exists() and page.is_file()


def test_a_corrupt_cache_costs_a_rebuild(practice: Path) -> None:
    state = practice / ".portico-cache/state.json"
    state.write_text("{not json", encoding="utf-8")
    out = build(practice)
    assert "3 built" in out and "unreadable or corrupt" in out
    data = json.loads(state.read_text(encoding="utf-8"))
    data["inputs"] = {"generator": data["inputs"]["generator"], "trees": "nonsense",
                      "units": {"acme": "nonsense"}, "head": "--output=/tmp/x", "commits": []}
    state.write_text(json.dumps(data), encoding="utf-8")
    assert "0 built, 3 unchanged" in build(practice)  # what it cannot read, it recomputes


def test_the_keys_from_stat_are_the_keys_from_the_bytes(practice: Path) -> None:
    """The stat pass and the cache are a shortcut to the same keys, never to other keys."""
    today = dt.date.today()
    shared = shared_key(practice, today)
    expected = {slug: client_key(practice, slug, shared) for slug in CLIENTS}
    empty = BuildCache(practice / "unused.json", str(practice), {})  # hashes every byte
    for cache in (empty, BuildCache.open(practice)):  # then from the recorded stamps
        assert input_keys(practice, list(CLIENTS), today, "mkdocs", cache) == (shared, expected,
                                                                               "mkdocs")
        assert input_keys(practice, list(CLIENTS), today, None, cache) == (shared, expected,
                                                                           "mkdocs")


def test_a_no_op_loads_neither_the_sections_nor_the_content_models(practice: Path) -> None:
    """Importing them is most of a small no-op's time (0.3 s of 0.55 s on 2 cores): the
    command line, the cache and the git check need neither. Nor pydantic, the YAML parser
    or the documentation server: mkdocs.yml unchanged, its engine is the recorded one."""
    import sys

    code = ("import sys\nfrom portico.cli import main\n"
            "try:\n    main(['--root', sys.argv[1], 'build'])\nexcept SystemExit:\n    pass\n"
            "print(*sorted(sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(practice)], capture_output=True,
                          text=True, check=True, env={**os.environ, "CI": "1"})
    assert "0 built, 3 unchanged" in done.stdout
    loaded = done.stdout.splitlines()[-1].split()
    heavy = [name for name in loaded if name.startswith(
        ("portico.sections", "portico.content.model", "portico.content.load", "rich",
         "cryptography", "pydantic", "yaml", "http.server"))]
    assert heavy == []


def test_the_engines_versions_are_read_again_only_when_a_package_folder_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the installed packages' metadata is a tenth of a no-op: it is kept while no
    folder on Python's path changed, and read again once one did (a package installed,
    upgraded or removed adds or removes its metadata folder there)."""
    from portico.delivery import cache as cache_module

    packages = tmp_path / "site-packages"
    packages.mkdir()
    monkeypatch.syspath_prepend(str(packages))
    installed = ["mkdocs=1.6.1"]
    reads: list[list[str]] = []

    def read_metadata() -> list[str]:
        reads.append(list(installed))
        return list(installed)

    monkeypatch.setattr(cache_module, "_engine_versions", read_metadata)

    def next_build(last: BuildCache) -> tuple[BuildCache, list[str]]:
        cache = BuildCache(tmp_path / "state.json", str(tmp_path), {}, inputs=last.recorded)
        return cache, cache.engine_versions(settled_clock(tmp_path / "clock"))

    first, versions = next_build(BuildCache(tmp_path / "state.json", str(tmp_path), {}))
    assert versions == ["mkdocs=1.6.1"] and len(reads) == 1
    second, versions = next_build(first)
    assert versions == ["mkdocs=1.6.1"] and len(reads) == 1  # nothing installed: kept
    installed[0] = "mkdocs=1.7.0"
    (packages / "mkdocs-1.7.0.dist-info").mkdir()
    third, versions = next_build(second)
    assert versions == ["mkdocs=1.7.0"] and len(reads) == 2
    _, versions = next_build(third)
    assert versions == ["mkdocs=1.7.0"] and len(reads) == 2


def test_the_docs_key_reads_the_docs_and_the_config_only(tmp_path: Path) -> None:
    """The engine may be writing the site in the render folder while the key is taken
    (engine.aside): nothing but `docs/` and `mkdocs.yml` counts, and each of them does."""
    from types import SimpleNamespace

    from portico.delivery.cache import docs_key

    render = tmp_path / "render"
    (render / "docs" / "notes").mkdir(parents=True)
    (render / "docs" / "notes" / "a.md").write_text("# A\n", "utf-8")
    (render / "mkdocs.yml").write_text(f"docs_dir: {render}/docs\n", "utf-8")
    client = SimpleNamespace(model_dump_json=lambda include: "{}")

    def key() -> str:
        return docs_key(render, [], None, client, "shared")

    first = key()
    (render / "site").mkdir()
    (render / "site" / "index.html").write_text("<p>half-built</p>", "utf-8")
    assert key() == first
    (render / "docs" / "notes" / "a.md").write_text("# B\n", "utf-8")
    assert key() != first
    (render / "docs" / "notes" / "a.md").write_text("# A\n", "utf-8")
    (render / "mkdocs.yml").write_text(f"docs_dir: {render}/docs\nstrict: true\n", "utf-8")
    assert key() != first
