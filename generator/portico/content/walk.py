"""One walk over a folder on disk, for every stage that lists a tree of files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["walk"]


def walk(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under `root` that is not a folder, as (POSIX path relative to `root`,
    its `os.DirEntry`), in no set order. A linked folder is not entered (as `os.walk`) but
    given as an entry, so a caller can refuse it. `os.scandir` gives each entry's type with
    its name: no stat per file."""
    folders = [("", os.fspath(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    yield prefix + entry.name, entry
