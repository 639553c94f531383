"""Protected site → a folder or a git branch, and only a site that passed `verify`.

Publishing first copies the site into a snapshot and checks every portal of the snapshot
against the verify record the build left (`verify_record.py`, re-exported here): a portal
built by hand, edited after its build, or left half-written is never published. The
record, like every other dot-entry of the site root (temporary build folders), is never
published itself. A publish may take a subset of the portals (`only`), so that a client
who must be isolated gets a target, and an origin, of its own; the git branch target
lives in `publish_git.py`.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
import shutil
import tempfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from portico.content.errors import PorticoError, os_problem
from portico.delivery.headers import HEADERS_FILE, headers_file
from portico.delivery.swap import replace_directory
from portico.delivery.verify_record import (
    RECORD,
    SITE_ROOT_FILES,
    check_verified,
    is_verified,
    portal_digest,
    read_record,
    record_verified,
    recorded_readers,
    site_entries,
)
from portico.protection.readers import EXAMPLE_READER

__all__ = [
    "PublishResult",
    "RECORD",
    "SITE_ROOT_FILES",
    "check_cname",
    "check_verified",
    "example_only",
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


_HOST_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_HOST_LABEL}(?:\.{_HOST_LABEL})+$")


def check_cname(domain: str) -> str:
    """The custom domain for a CNAME file, normalised; raises PorticoError if it is not one.

    A github.io name is refused: every repository of that account shares its origin.
    """
    name = domain.strip().lower().removesuffix(".")
    if "/" in name or ":" in name:
        raise PorticoError(f"--cname {domain}: give the host name alone, e.g. "
                           "portals.example.com (no https://, no path)")
    if not _HOST_NAME.match(name):
        raise PorticoError(f"--cname {domain}: not a domain name such as portals.example.com")
    if name == "github.io" or name.endswith(".github.io"):
        raise PorticoError(f"--cname {domain}: a github.io address is shared by every "
                           "repository of its account; use a domain of your own")
    return name


def _check_only(site: Path, only: Collection[str]) -> None:
    if not only:
        raise PorticoError("--only needs at least one portal")
    portals = site_entries(site)[0] if site.is_dir() else []
    unknown = [slug for slug in only if slug not in portals]
    if unknown:
        raise PorticoError(f"--only {', '.join(unknown)}: no such portal in {site} (portals: "
                           f"{', '.join(portals) or 'none, run `portico build` first'})")


def example_only(site: Path, portals: Collection[str]) -> list[str]:
    """The `portals` of `site` built for the example reader of `portico init` alone."""
    readers = recorded_readers(site)
    return [slug for slug in portals if readers.get(slug) == (EXAMPLE_READER,)]


def _refuse_example(slugs: Sequence[str]) -> PorticoError:
    named = ", ".join(slugs)
    slug = slugs[0] if len(slugs) == 1 else "SLUG"
    return PorticoError(
        f"refusing to publish {named}: the only reader is the example reader that `portico "
        f"init` made; add a reader of your own (`portico reader add {slug} READER_ID`, then "
        f"`portico build`), or delete clients/{slug}/ and rebuild; nothing was published "
        "(--allow-example-reader publishes it anyway)")


def snapshot_site(site: Path, dest: Path, *, only: Collection[str] | None = None,
                  cname: str | None = None,
                  allow_example_reader: bool = False) -> tuple[list[str], int]:
    """Copy the publishable part of `site` into the empty folder `dest` and check the copy.

    The copy, not the live site, is what gets published, and it is checked against the
    record after copying: a build running meanwhile cannot slip in an unverified byte.
    `only` takes just those portals (and then never the site root's CNAME, which names
    the domain of the whole site); `cname` writes a CNAME file naming that domain. A
    `_headers` file (delivery/headers.py) is added for hosts that read one. A portal
    built for the example reader of `portico init` alone is refused unless
    `allow_example_reader`: its passphrase was printed in a terminal, and it is a sign
    that the practice has not gone live yet.
    Returns (portals, file count); raises PorticoError on any problem.
    """
    site = site.resolve()
    if only is not None:
        _check_only(site, only)
    problems = check_verified(site, only=only)
    if problems:
        raise _refuse(site, problems)
    record = read_record(site)
    portals, files, _problems = site_entries(site)
    if only is not None:
        portals = [slug for slug in portals if slug in only]
    examples = example_only(site, portals)
    if examples and not allow_example_reader:
        raise _refuse_example(examples)
    if only is not None or cname is not None:
        files = [name for name in files if name != "CNAME"]
    with _writing(dest):
        for name in files:
            _copy(site / name, dest / name)
        for slug in portals:
            shutil.copytree(site / slug, dest / slug, symlinks=True, copy_function=_copy)
    problems = check_verified(dest, record=record)
    if problems:
        raise _refuse(site, problems)
    with _writing(dest):
        if cname is not None:
            (dest / "CNAME").write_text(check_cname(cname) + "\n", encoding="ascii")
        (dest / HEADERS_FILE).write_text(headers_file(), encoding="utf-8")
    count = sum(1 for p in dest.rglob("*") if p.is_file())
    return portals, count


# --- Publish to a folder -----------------------------------------------------------------


class _CopyFailed(Exception):
    """A file of the snapshot could not be written; carries the OSError. Not an OSError
    itself, so that copytree stops at the first failure instead of gathering them all."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


@contextlib.contextmanager
def _writing(dest: Path) -> Iterator[None]:
    """A full disk, a quota or a read-only folder while writing the snapshot: one line."""
    try:
        yield
    except (_CopyFailed, OSError) as exc:
        error = exc.error if isinstance(exc, _CopyFailed) else exc
        raise PorticoError(f"cannot copy the site for publishing: {os_problem(error, dest)}; "
                           "nothing was published") from None


def _copy(source: str | Path, target: str | Path) -> object:
    try:
        return shutil.copy2(source, target)
    except OSError as exc:
        raise _CopyFailed(exc) from None


def _within(a: Path, b: Path) -> bool:
    return a == b or b in a.parents


def publish_to_dir(site: Path, target: Path, *, only: Collection[str] | None = None,
                   cname: str | None = None,
                   allow_example_reader: bool = False) -> PublishResult:
    """Replace folder `target` with the verified portals of `site`, atomically.

    A complete copy is made beside `target` and swapped in with one rename: readers see
    the previous site or the new one, never a mix. The site root's dot-entries (the verify
    record, temporary build folders) are left out. `target` must be missing, empty, or a
    previous publish. `only`, `cname` and `allow_example_reader` as in `snapshot_site`.
    Raises PorticoError,
    publishing nothing, on any problem.
    """
    site = site.resolve()
    if cname is not None:
        cname = check_cname(cname)
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
        return _publish_copy(site, target, only=only, cname=cname,
                             allow_example_reader=allow_example_reader)


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


def _publish_copy(site: Path, target: Path, *, only: Collection[str] | None,
                  cname: str | None, allow_example_reader: bool) -> PublishResult:
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.publish-", dir=target.parent))
    except OSError as exc:
        raise PorticoError(f"--to {target}: {os_problem(exc, target.parent)}; nothing was "
                           "published") from None
    try:
        portals, count = snapshot_site(site, work, only=only, cname=cname,
                                       allow_example_reader=allow_example_reader)
        try:
            (work / PUBLISHED_MARKER).write_bytes(b"")
            work.chmod(0o755)  # mkdtemp makes it 0700; a web server must be able to read it
        except OSError as exc:
            raise PorticoError(f"--to {target}: {os_problem(exc, work)}; nothing was "
                               "published") from None
        try:
            replace_directory(work, target)
        except OSError as exc:
            raise PorticoError(f"--to {target}: could not swap the new site into place "
                               f"({exc.strerror}); it must be a folder on the same file "
                               "system as its parent, not a mount point") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return PublishResult(target=str(target), portals=portals, files=count, changed=True)
