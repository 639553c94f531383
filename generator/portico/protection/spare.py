"""The last build's blob files, written over by the next build instead of deleted and
created anew.

Every build seals every protected file under a fresh content key (ARCHITECTURE.md §4), so
a portal of 3,000 pages writes 3,000 new blobs and, once it is swapped in, deletes the
3,000 it replaced. On ext4 without a journal (this project's benchmark machine), making a
file right after thousands were deleted is slow: the kernel steps over every inode deleted
in the last seconds before it hands one out, and a rebuild's protect stage took 3–5 s
instead of 1 s. Moving an existing file to the new blob's name and writing it whole costs
no new inode.

The spare files are the blob folder (`_portico/b/`) of the portal a build replaced, kept in
the site root's dot-folder (`.portico/spare/<portal>/`, which `portico publish` never
copies: verify_record.site_entries) rather than deleted. They hold that build's ciphertext only,
never its envelope, so nobody holds the key to them any more; a file taken is written
from its start and cut to the new blob's length, and the round trip then decrypts every
blob.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

__all__ = ["SpareFiles", "spare_folder"]

SPARE_DIR = Path(".portico") / "spare"


def spare_folder(site_root: Path, portal: str) -> Path:
    """Where the blob files `portal`'s last build replaced wait to be written over."""
    return site_root / SPARE_DIR / portal


class SpareFiles:
    """Files to reuse under new names; an empty pool when `folder` is None or absent."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._paths: list[str] = []
        if folder is not None:
            with contextlib.suppress(OSError):
                self._paths = [entry.path for entry in os.scandir(folder)
                               if entry.is_file(follow_symlinks=False)]

    def write(self, target: Path, data: bytes) -> None:
        """Make `target` (whose folder exists and which does not) hold exactly `data`: a spare
        file moved there and written from its start, then cut to its length, or a new file
        when none is left. Truncating first would free the spare's blocks and allocate them
        again, which costs as much as a new file on a disk mounted with `discard`."""
        while self._paths:
            try:
                os.rename(self._paths.pop(), target)
            except OSError:  # gone, or on another file system: the next, else a new file
                continue
            with open(target, "r+b") as handle:
                handle.write(data)
                handle.truncate()
            return
        target.write_bytes(data)

    def share(self) -> SpareFiles:
        """Half of the files left, for another process to write over: each file is then
        written by one process only."""
        other = SpareFiles(None)
        other.folder = self.folder
        other._paths, self._paths = self._paths[::2], self._paths[1::2]
        return other

    def keep(self, blobs: Path) -> None:
        """Make `blobs` (the blob folder of the portal just replaced) the next build's spare
        files, and delete what this build left of its own. Deletes `blobs` where that fails."""
        if self.folder is None:
            shutil.rmtree(blobs, ignore_errors=True)
            return
        shutil.rmtree(self.folder, ignore_errors=True)
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            os.rename(blobs, self.folder)
        except OSError:
            shutil.rmtree(blobs, ignore_errors=True)
