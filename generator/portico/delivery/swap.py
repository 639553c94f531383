"""Atomic replacement of a published folder: readers see the old portal or the new, never half."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def replace_directory(new: Path, target: Path,
                      salvage: Callable[[Path], None] | None = None) -> None:
    """Put folder `new` at `target` atomically; the previous `target` is deleted afterwards,
    once `salvage`, if given, was called with it (to move out what the next build reuses).

    Both must be on one file system (build `new` beside `target`). Where an atomic exchange
    is unavailable, the old folder is moved aside first and restored if the move fails.
    """
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        if salvage is not None:
            salvage(new)
        shutil.rmtree(new)
        return
    aside = target.with_name(f".{target.name}.old")
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(aside, target)
        raise
    if salvage is not None:
        salvage(aside)
    shutil.rmtree(aside)
