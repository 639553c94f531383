"""Protected site → a folder or a git branch, and only a site that passed `verify`.

Publishing first copies the site into a snapshot and checks every portal of the snapshot
against the verify record the build left (`verify_record.py`, re-exported here): a portal
built by hand, edited after its build, or left half-written is never published. The
record, like every other dot-entry of the site root (temporary build folders), is never
published itself. The git branch target lives in `publish_git.py`.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PorticoError
from .swap import replace_directory
from .verify_record import (
    RECORD,
    SITE_ROOT_FILES,
    check_verified,
    is_verified,
    portal_digest,
    read_record,
    record_verified,
    site_entries,
)

__all__ = [
    "PublishResult",
    "RECORD",
    "SITE_ROOT_FILES",
    "check_verified",
    "is_verified",
    "portal_digest",
    "publish_to_dir",
    "record_verified",
    "snapshot_site",
]

PUBLISHED_MARKER = ".portico-published"
"""An empty file `publish_to_dir` leaves in its target, so a later publish may replace it.
Empty on purpose: a static host may serve it, and the site root lists no clients."""


@dataclass
class PublishResult:
    """What a publish did: where to, which portals, and whether anything changed."""

    target: str
    portals: list[str]
    files: int
    changed: bool
    commit: str | None = None
    pushed_to: str | None = None
    replaced: str | None = None
    """The branch's previous tip, when this commit replaced it instead of following it."""
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        count = (f"{len(self.portals)} portal{'s' * (len(self.portals) != 1)}, "
                 f"{self.files} file{'s' * (self.files != 1)}")
        if not self.changed:
            return f"no change, nothing committed ({self.target}: {count})"
        if self.commit is None:
            return f"published {count} to {self.target}"
        if self.pushed_to:
            return f"committed {self.commit[:12]} ({count}) and pushed it to {self.target}"
        return f"committed {self.commit[:12]} to {self.target} ({count})"


def _refuse(site: Path, problems: Sequence[str]) -> PorticoError:
    listed = "\n  ".join(problems)
    return PorticoError(f"refusing to publish {site}: it did not pass verify as it is now; "
                        f"nothing was published:\n  {listed}")


def snapshot_site(site: Path, dest: Path) -> tuple[list[str], int]:
    """Copy the publishable part of `site` into the empty folder `dest` and check the copy.

    The copy, not the live site, is what gets published, and it is checked against the
    record after copying: a build running meanwhile cannot slip in an unverified byte.
    Returns (portals, file count); raises PorticoError on any problem.
    """
    site = site.resolve()
    problems = check_verified(site)
    if problems:
        raise _refuse(site, problems)
    record = read_record(site)
    portals, files, problems = site_entries(site)
    for name in files:
        shutil.copyfile(site / name, dest / name)
    for slug in portals:
        shutil.copytree(site / slug, dest / slug, symlinks=True)
    problems = check_verified(dest, record=record)
    if problems:
        raise _refuse(site, problems)
    count = sum(1 for p in dest.rglob("*") if p.is_file())
    return portals, count


# --- Publish to a folder -----------------------------------------------------------------


def _within(a: Path, b: Path) -> bool:
    return a == b or b in a.parents


def publish_to_dir(site: Path, target: Path) -> PublishResult:
    """Replace folder `target` with the verified portals of `site`, atomically.

    A complete copy is made beside `target` and swapped in with one rename: readers see
    the previous site or the new one, never a mix. The site root's dot-entries (the verify
    record, temporary build folders) are left out. `target` must be missing, empty, or a
    previous publish. Raises PorticoError, publishing nothing, on any problem.
    """
    site = site.resolve()
    target = target.resolve()
    if _within(target, site) or _within(site, target):
        raise PorticoError(f"--to {target}: must be outside the site {site}, and not hold it")
    if target.exists() and not target.is_dir():
        raise PorticoError(f"--to {target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / PUBLISHED_MARKER).exists():
        raise PorticoError(f"--to {target}: a folder that is not empty and was not made by "
                           "`portico publish`; refusing to replace it (choose a new or empty "
                           "folder)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _publish_lock(target):
        return _publish_copy(site, target)


@contextlib.contextmanager
def _publish_lock(target: Path) -> Iterator[None]:
    """One publish to `target` at a time; copies a killed publish left beside it are removed."""
    path = target.parent / f".{target.name}.publish.lock"
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PorticoError(f"--to {target}: another portico publish is writing it") from None
        try:
            for stale in target.parent.glob(f".{target.name}.publish-*"):
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale, ignore_errors=True)
            yield
        finally:
            path.unlink(missing_ok=True)  # leave nothing beside the published folder


def _publish_copy(site: Path, target: Path) -> PublishResult:
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.publish-", dir=target.parent))
    try:
        portals, count = snapshot_site(site, work)
        (work / PUBLISHED_MARKER).write_bytes(b"")
        work.chmod(0o755)  # mkdtemp makes it 0700; a web server must be able to read it
        try:
            replace_directory(work, target)
        except OSError as exc:
            raise PorticoError(f"--to {target}: could not swap the new site into place "
                               f"({exc.strerror}); it must be a folder on the same file "
                               "system as its parent, not a mount point") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return PublishResult(target=str(target), portals=portals, files=count, changed=True)
