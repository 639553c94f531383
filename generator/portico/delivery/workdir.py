"""Where a build keeps its plain text while it works, and the sweep of what a killed one left.

The docs tree, the plain site and the client folder of each past commit are plaintext.
They live in the practice's cache, `.portico-cache/work/<slug>.XXXX/` (mode 0700, ignored
by git, never under the site root, so never published), not in the system temp folder,
which other users and tools read and nothing of Portico's would clean. A build removes its
folder when it ends, well or badly; one killed with SIGKILL cannot, so every build and
`portico verify` sweep the folders no running build holds. A build holds its folder with a
lock on `.lock` inside it, which the kernel drops when the process dies, however it dies.
Older versions left `portico-<slug>-*` folders in the system temp folder; the sweep takes
those too, once they are old enough not to be another checkout's running build.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from portico.delivery.cache import CACHE_DIR

__all__ = ["WORK_DIR", "plain_folder", "sweep_plain"]

WORK_DIR = Path(CACHE_DIR) / "work"
"""Plain working folders, relative to the practice root."""
LEGACY_AGE = 3600
"""Seconds untouched before a `portico-<slug>-*` folder in the system temp folder counts
as a killed build's (builds take seconds; a younger one may be another checkout's, running)."""
_LOCK = ".lock"


@contextlib.contextmanager
def plain_folder(root: Path, slug: str) -> Iterator[Path]:
    """A new private folder (0700) for one build of `slug`'s plain text, held (locked) by
    this process while the block runs and removed after it."""
    parent = root / WORK_DIR
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    parent.chmod(0o700)  # an older or hand-made folder may be wider
    folder = Path(tempfile.mkdtemp(prefix=f"{slug}.", dir=parent))
    try:
        with (folder / _LOCK).open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_plain(root: Path, slugs: Iterable[str] = ()) -> list[str]:
    """Remove every plain working folder no running build holds; returns what it removed.

    Also removes, for `slugs`, this user's `portico-<slug>-*` and `portico-history-<slug>-*`
    folders that older versions left in the system temp folder, once LEGACY_AGE old.
    """
    removed: list[str] = []
    work = root / WORK_DIR
    if work.is_dir() and not work.is_symlink():
        for stale in work.iterdir():
            if not _held(stale):
                _remove(stale)
                removed.append(str(stale))
    prefixes = tuple(p for slug in slugs for p in (f"portico-{slug}-", f"portico-history-{slug}-"))
    if not prefixes:
        return removed
    try:
        entries = list(Path(tempfile.gettempdir()).iterdir())
    except OSError:
        return removed
    for stale in entries:
        if stale.name.startswith(prefixes) and _old_and_ours(stale):
            _remove(stale)
            removed.append(str(stale))
    return removed


def _held(folder: Path) -> bool:
    """Whether a running build holds `folder` (a folder without its lock file yet is one
    being made this instant: left alone too)."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    try:
        handle = (folder / _LOCK).open("r")
    except FileNotFoundError:
        return time.time() - folder.lstat().st_mtime < 60
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


def _old_and_ours(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and time.time() - info.st_mtime > LEGACY_AGE)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
