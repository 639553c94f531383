"""Stat stamps: a changed file changes its folder's stamp, and a stamp that a later write
could leave unchanged is never handed out."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from portico.delivery import stamps as stamps_module
from portico.delivery.stamps import (
    fs_clock,
    portal_stamp,
    portal_stamps,
    settled_clock,
    stamp_files,
    tree_files,
)


def folder(tmp_path: Path) -> Path:
    root = tmp_path / "inputs"
    for name, text in {"a.yml": "a: 1\n", "notes/b.md": "# B\n", "__pycache__/x.pyc": "x"}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def stamp(root: Path) -> str:
    return stamp_files(tree_files(root), settled_clock(root.parent / "clock"))


def test_the_files_of_a_folder_are_named_by_relative_path_without_caches(tmp_path: Path) -> None:
    root = folder(tmp_path)
    assert [name for name, _ in tree_files(root)] == ["a.yml", "notes/b.md"]
    assert tree_files(root / "a.yml") == [("a.yml", root / "a.yml")]
    assert tree_files(root / "missing") == []


def test_the_stamp_moves_with_every_change_but_not_with_reading(tmp_path: Path) -> None:
    root = folder(tmp_path)
    first = stamp(root)
    assert first and stamp(root) == first
    (root / "a.yml").read_bytes()
    assert stamp(root) == first
    note = root / "notes/b.md"
    before = note.stat()
    note.write_text("# C\n", encoding="utf-8")  # same size, then the old modification time
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    second = stamp(root)
    assert second not in ("", first)
    (root / "new.md").write_text("new", encoding="utf-8")
    assert stamp(root) not in ("", second)


def test_a_file_changed_at_or_after_the_clock_reading_gives_no_stamp(tmp_path: Path) -> None:
    """git's "racy clean" case: written in the clock's current tick, a second write could
    keep every field; such a stamp is not handed out (the bytes are read next time)."""
    root = folder(tmp_path)
    clock = fs_clock(tmp_path / "clock")
    (root / "a.yml").write_text("a: 2\n", encoding="utf-8")
    assert stamp_files(tree_files(root), clock) == ""
    assert stamp_files(tree_files(root), 0) == ""  # an unwritable clock folder trusts nothing
    assert stamp_files(tree_files(root), settled_clock(tmp_path / "clock"))


def test_a_settled_clock_is_past_every_earlier_write(tmp_path: Path) -> None:
    path = tmp_path / "written"
    path.write_text("x", encoding="utf-8")
    assert settled_clock(tmp_path / "clock") > path.stat().st_ctime_ns


def test_a_portal_stamp_sees_links_and_folders_too(tmp_path: Path) -> None:
    portal = folder(tmp_path)
    first, newest = portal_stamp(portal)
    assert first and newest >= (portal / "a.yml").stat().st_ctime_ns
    (portal / "empty").mkdir()
    second, _ = portal_stamp(portal)
    assert second != first
    (portal / "link").symlink_to(portal / "a.yml")
    assert portal_stamp(portal)[0] not in (first, second)
    assert portal_stamp(tmp_path / "missing") == ("", 0)


def portals(tmp_path: Path, sizes: list[int]) -> list[Path]:
    """Portal-like folders of `sizes[i]` page folders each (and a manifest of that size)."""
    made = []
    for i, size in enumerate(sizes):
        portal = tmp_path / "site" / f"client-{i}"
        (portal / "_portico").mkdir(parents=True)
        (portal / "_portico" / "manifest.bin").write_bytes(b"m" * size)
        for page in range(size):
            (portal / f"page-{page}").mkdir()
            (portal / f"page-{page}" / "index.html").write_text(f"<p>{page}</p>", "utf-8")
        made.append(portal)
    return made


def test_the_stamps_of_many_portals_are_each_portals_own_stamp(tmp_path: Path) -> None:
    """Taken on two cores, they are the stamps one process takes, portal by portal."""
    sites = portals(tmp_path, [30, 1, 0, 12, 5])
    (tmp_path / "site" / "gone").mkdir()
    sites.append(tmp_path / "site" / "gone" / "portal")  # no portal there: no stamp
    stamps, done = portal_stamps(sites, lambda: "inputs read")
    assert done == "inputs read"
    assert stamps == {portal: portal_stamp(portal)[0] for portal in sites}
    assert len(set(stamps.values())) == len(sites)  # every portal a stamp of its own
    assert stamps[sites[-1]] == ""


def test_the_portals_are_shared_between_this_process_and_a_child_each_stamped_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child starts at once; this process joins in when its own work is done; no
    portal is stamped twice, none is left out."""
    sites = portals(tmp_path, [1] * 24)
    log = tmp_path / "stamped.log"

    def slow_stamp(portal: Path) -> tuple[str, int]:
        time.sleep(0.05)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.write(fd, f"{os.getpid()} {portal.name}\n".encode())
        os.close(fd)
        return f"by {os.getpid()}", 0

    monkeypatch.setattr(stamps_module, "portal_stamp", slow_stamp)
    stamps, _ = portal_stamps(sites, lambda: time.sleep(0.3))
    lines = [line.split() for line in log.read_text().splitlines()]
    assert sorted(name for _, name in lines) == sorted(portal.name for portal in sites)
    takers = {pid for pid, _ in lines}
    assert str(os.getpid()) in takers and len(takers) == 2  # both took some
    assert {stamp.removeprefix("by ") for stamp in stamps.values()} == takers
