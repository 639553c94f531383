"""The docs folder a render writes, updated in place when it holds the portal's last render.

A rebuild after a small edit renders every page again, but few come out different. Writing
only those, and leaving the rest as they were (bytes and modification time), saves creating
and deleting thousands of files, and tells the engine which pages to render again
(engine.partial): exactly the files in `changed`. A file the last render made and this one
did not is removed, so the folder ends as a fresh render would leave it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from portico.content.walk import walk

__all__ = ["DocsFolder"]


class DocsFolder:
    """`root`, empty or holding an earlier render of the same portal."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: set[str] = set()
        """Every file this render wrote or found already as it would have written it."""
        self.changed: set[str] = set()
        """The files whose bytes this render changed or created (POSIX, relative)."""
        self._folders: set[Path] = set()

    def put(self, rel: str, data: bytes) -> None:
        """The file `rel` holds `data`: left alone if it already does."""
        target = self._target(rel)
        if not _holds(target, data):
            target.write_bytes(data)
            self.changed.add(rel)

    def copy(self, rel: str, source: Path) -> None:
        """The file `rel` holds the bytes of `source`, read a piece at a time."""
        target = self._target(rel)
        if not _same_file_bytes(source, target):
            shutil.copyfile(source, target)
            self.changed.add(rel)

    def sweep(self) -> None:
        """Remove every file no call made in this render (a page that is gone)."""
        for rel, entry in list(walk(self.root)):
            if rel not in self.made:
                os.unlink(entry.path)

    def _target(self, rel: str) -> Path:
        self.made.add(rel)
        target = self.root / rel
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target


def _holds(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _same_file_bytes(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as one, b.open("rb") as other:
            while True:
                left, right = one.read(1 << 20), other.read(1 << 20)
                if left != right:
                    return False
                if not left:
                    return True
    except OSError:
        return False
