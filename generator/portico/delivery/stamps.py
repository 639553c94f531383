"""Stat stamps: whether files changed, from their metadata alone, as git's index decides.

A stamp is a digest of the names, sizes, modification times, change times and inode
numbers of a set of files. Git trusts the same fields to say a checked-out file is
unchanged (`git status` reads no file whose stat matches its index entry). Any write to a
file moves its change time (ctime) to the file system's clock, and no user call can set
ctime back, so an edit that keeps the size and restores the modification time (`touch -d`)
still changes the stamp.

One gap remains, git's "racy clean" case: a file written twice within one tick of the file
system's clock, the second time after it was stamped, keeps every field. So a stamp counts
only when it is *settled*: every file's ctime is older than a reading of the file system's
own clock (`fs_clock`) taken before the files were stamped; any later write then shows.
An unsettled stamp is never recorded (the next build reads the bytes instead).

Not caught: a file changed by writing the raw block device, or through a clock set
backwards; on a network file system whose server clock differs from the folder the clock
is read in, settledness is only as good as the two clocks agree.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

__all__ = ["fs_clock", "portal_stamp", "portal_stamps", "settled_clock", "stamp_files",
           "tree_files"]

T = TypeVar("T")
_JOB = struct.Struct("<I")  # a portal's index, as the job pipe carries it
_PIPE_JOBS = 4096  # jobs the pipe takes before anyone reads (16 kB, under any pipe buffer)

SETTLE_SECONDS = 3.0  # longest wait for the file system's clock to tick (FAT: 2 s)
CLOCK_FILE = "clock"


def fs_clock(folder: Path) -> int:
    """The file system's clock now, in ns: the ctime a file in `folder` gets when touched.

    0 when `folder` cannot be written: then nothing is ever settled (bytes are read)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / CLOCK_FILE
        probe.touch()
        os.utime(probe)  # the ctime becomes "now" by the file system's own clock
        return probe.stat().st_ctime_ns
    except OSError:
        return 0


def settled_clock(folder: Path) -> int:
    """A reading of `folder`'s file system clock later than every write made before the call.

    Waits for the clock to tick (a few milliseconds at most on Linux; up to two seconds on
    FAT) so that files just written count as settled when stamped next; 0 if it never does."""
    written = fs_clock(folder)
    deadline = time.monotonic() + SETTLE_SECONDS
    while written:
        now = fs_clock(folder)
        if now > written:
            return now
        if time.monotonic() > deadline:
            break
        time.sleep(0.001)
    return 0


def tree_files(path: Path) -> list[tuple[str, Path]]:
    """(name, path) of every file at or under `path`, sorted by name: the file itself (its
    own name), or a folder's files by relative path. Symbolic links to files count as files;
    linked folders are not entered; `__pycache__` folders are left out."""
    if path.is_file():
        return [(path.name, path)]
    found: list[tuple[str, Path]] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    walk(entry.path, name + "/")
            elif entry.is_file():
                found.append((name, Path(entry.path)))

    if path.is_dir():
        walk(str(path), "")
    return sorted(found)


def stamp_files(files: Iterable[tuple[str, Path]], clock: int) -> str:
    """The stamp of `files` ((name, path) pairs, as `tree_files` gives), or "" when it is
    not settled against `clock` (`fs_clock`, read before this call) or a file went away."""
    digest = hashlib.sha256(b"portico-stamp 1")
    for name, path in files:
        try:
            st = path.stat()
        except OSError:
            return ""
        if st.st_ctime_ns >= clock:
            return ""
        digest.update(f"\0{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0"
                      f"{st.st_ino}".encode())
    return digest.hexdigest()


def portal_stamp(portal: Path, seen: dict[str, os.stat_result] | None = None
                 ) -> tuple[str, int]:
    """(stamp, newest ctime) of every entry of a built portal, links and special files
    included (unlike `tree_files`): a portal changed, grown or removed behind our back
    changes it. ("", 0) when there is no portal. `seen` gets each entry's path in the
    portal (POSIX) and its `lstat`, for a caller that walks the portal next."""
    if not portal.is_dir() or portal.is_symlink():
        return "", 0
    digest = hashlib.sha256(b"portico-portal-stamp 1")
    newest = 0
    rows: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        for entry in os.scandir(folder):
            st = entry.stat(follow_symlinks=False)
            kind = stat.S_IFMT(st.st_mode)
            rows.append(f"{prefix}{entry.name}\0{kind}\0{st.st_size}\0{st.st_mtime_ns}\0"
                        f"{st.st_ctime_ns}\0{st.st_ino}")
            if seen is not None:
                seen[f"{prefix}{entry.name}"] = st
            nonlocal newest
            newest = max(newest, st.st_ctime_ns)
            if stat.S_ISDIR(kind):
                walk(entry.path, f"{prefix}{entry.name}/")

    try:
        walk(str(portal), "")
    except OSError:
        return "", 0
    for row in sorted(rows):
        digest.update(row.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest(), newest


def portal_stamps(portals: Sequence[Path], meanwhile: Callable[[], T]
                  ) -> tuple[dict[Path, str], T]:
    """(portal → `portal_stamp`, what `meanwhile` returned): the stamps of many portals,
    taken on two cores while this process runs `meanwhile` (a no-op build's other half,
    reading its inputs' stamps).

    A forked child starts stamping at once; this process joins in when `meanwhile`
    returns. Both take portals from one pipe, largest first (by the size of its manifest,
    which grows with its files): a read of a few bytes from a pipe is atomic, so each
    portal is stamped once, by whichever process is free. Where there is no fork, or
    nothing to share, the stamps are taken here after `meanwhile`."""
    from portico.delivery.forked import Forked

    if len(portals) < 2 or len(portals) > _PIPE_JOBS or not hasattr(os, "fork"):
        done = meanwhile()
        return {portal: portal_stamp(portal)[0] for portal in portals}, done
    order = sorted(range(len(portals)), key=lambda i: -_weight(portals[i]))
    read, write = os.pipe()
    try:
        os.write(write, b"".join(_JOB.pack(i) for i in order))
    finally:
        os.close(write)  # an empty pipe now reads as its end: no more portals
    try:
        child = Forked(lambda: _take(read, portals))
        try:
            done = meanwhile()
            stamps = _take(read, portals)
            stamps.update(child.result())
        finally:
            child.cancel()
    finally:
        os.close(read)
    return {portals[i]: stamp for i, stamp in stamps.items()}, done


def _take(jobs: int, portals: Sequence[Path]) -> dict[int, str]:
    """Stamp portals as their indices come out of the pipe `jobs`, until it is empty."""
    stamps: dict[int, str] = {}
    while job := os.read(jobs, _JOB.size):
        (index,) = _JOB.unpack(job)
        stamps[index] = portal_stamp(portals[index])[0]
    return stamps


def _weight(portal: Path) -> int:
    """How long a portal takes to stamp, roughly: its manifest's size (0 if none)."""
    try:
        return (portal / "_portico" / "manifest.bin").stat().st_size
    except OSError:
        return 0
