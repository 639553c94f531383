"""The verify record: which portals passed `verify`, exactly as they are on disk.

`portico build` calls `record_verified` once a portal has passed verify and been swapped
into place; `site/.portico/verified.json` then maps the portal's slug to the SHA-256 of
its file list and contents. `portico publish` calls `check_verified` and refuses a site
with any portal missing from the record or changed since. The record sits in a dot-folder
of the site root, so it is never published.

An incremental build asks `verified_portals` which portals it may keep: a portal changed,
or left half-written, behind the build's back must be rebuilt, not kept as verified. Hashing
every portal's bytes on every build would cost most of a no-op, so the record also keeps a
stat stamp of each portal (stamps.portal_stamp: every entry's name, type, size, times and
inode), taken once the file system's clock has moved past the portal's last write (so any
later write shows in it). A portal whose stamp is unchanged is trusted without being read;
any difference (a file written, touched, added, removed, replaced, copied in with its old
times) falls back to reading and hashing every byte, as before. Publishing does not rely
on stamps: `check_verified` always hashes the bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from portico.content.errors import PorticoError
from portico.content.walk import walk
from portico.delivery.stamps import portal_stamp, settled_clock

__all__ = [
    "RECORD",
    "SITE_ROOT_FILES",
    "check_verified",
    "is_verified",
    "portal_digest",
    "read_record",
    "record_verified",
    "recorded_readers",
    "site_entries",
    "verified_portals",
]

RECORD = Path(".portico") / "verified.json"
"""The verify record, relative to the site root; a dot-folder, so never published."""
RECORD_FORMAT = 1
SITE_ROOT_FILES = frozenset({"index.html", "robots.txt", "CNAME"})
"""Plain files allowed beside the portals in the site root (`prepare_site_root`, a custom
domain). Any other file there is refused: nothing vouches for it."""
_SHA256 = re.compile(r"^sha256:[0-9a-f]{64}$")


def _portal_files(portal: Path, seen: Mapping[str, os.stat_result] | None = None
                  ) -> list[tuple[str, str, int]]:
    """Every file of a portal as (POSIX path in it, path on disk, change time), sorted by
    the first, from `seen` (every entry and its lstat) when given, else a walk; raises
    PorticoError on a link or special file."""
    entries = seen if seen is not None else {
        rel: entry.stat(follow_symlinks=False) for rel, entry in walk(portal)}
    files: list[tuple[str, str, int]] = []
    for rel, st in entries.items():
        path = os.path.join(portal, rel)
        if stat.S_ISLNK(st.st_mode):
            raise PorticoError(f"{path}: a symbolic link, which `portico build` never makes")
        if stat.S_ISDIR(st.st_mode):
            continue
        if not stat.S_ISREG(st.st_mode):
            raise PorticoError(f"{path}: not a regular file")
        files.append((rel, path, st.st_ctime_ns))
    return sorted(files)


def portal_digest(portal: Path, read: Mapping[str, str] | None = None, since: int = 0,
                  seen: Mapping[str, os.stat_result] | None = None) -> str:
    """`sha256:<hex>` over a portal's sorted file list and each file's contents.

    Any added, removed, renamed or changed file changes the digest. `read`: the SHA-256
    (hex) of files as the build's verify read them (path in the portal → digest), all read
    after `since`, a reading of the file system's clock (stamps.settled_clock). A file whose
    change time is older than `since` holds the bytes it held then, so its digest is taken
    from `read`; every other file, and every file `read` does not name, is read here.
    `seen`: every entry of the portal and its `lstat`, from a walk just made
    (stamps.portal_stamp), instead of walking it again.
    """
    outer = hashlib.sha256()
    for rel, path, change in _portal_files(portal, seen):
        known = read.get(rel) if read and since else None
        if known is None or change >= since:
            with open(path, "rb") as handle:
                known = hashlib.file_digest(handle, "sha256").hexdigest()
        name = rel.encode("utf-8")
        outer.update(b"%d:%s %s\n" % (len(name), name, known.encode("ascii")))
    return "sha256:" + outer.hexdigest()


def read_record(site_root: Path) -> dict[str, str]:
    """slug → digest from the record; {} if there is none. Raises PorticoError if unreadable."""
    path = site_root / RECORD
    if not path.exists():
        return {}
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PorticoError(f"{path}: unreadable verify record ({exc}); rebuild with "
                           "`portico build --force`") from None
    portals = data.get("portals") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("format") != RECORD_FORMAT
            or not isinstance(portals, dict)):
        raise PorticoError(f"{path}: not a Portico verify record (format {RECORD_FORMAT}); "
                           "rebuild with `portico build --force`")
    record: dict[str, str] = {}
    for slug, entry in portals.items():
        digest = entry.get("digest") if isinstance(entry, dict) else None
        if isinstance(digest, str) and _SHA256.match(digest):
            record[str(slug)] = digest
    return record


@contextmanager
def _record_lock(site_root: Path) -> Iterator[None]:
    """Serialise record updates across the build's worker processes (POSIX file lock)."""
    folder = site_root / RECORD.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # no fcntl (Windows): builds there run one record update at a time
        yield
        return
    with (folder / "verified.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def record_verified(site_root: Path, slug: str, *, readers: Sequence[str] = (),
                    read: Mapping[str, str] | None = None, since: int = 0) -> str:
    """Record that `site_root/slug` passed verify, as it is on disk now, and the ids of
    the readers it was encrypted for (`readers`; not secret, they are in readers.yml).
    `read` and `since`: the digests of the files verify read, and a clock reading taken
    before it read them (`portal_digest`); the files unchanged since are not read again.

    Call it right after the verified portal was swapped into place. Updates
    `site_root/.portico/verified.json` atomically (safe from parallel workers) and drops
    entries of portals that no longer exist. Raises PorticoError if there is no portal.
    Returns the portal's stat stamp (stamps.portal_stamp), for the build cache.
    """
    portal = site_root / slug
    if not portal.is_dir():
        raise PorticoError(f"{portal}: no portal to record as verified")
    # The stamp first, the bytes after: a write after the stamp is taken shows in the stamp
    # (its change time is past `clock`), so a stamp that matches vouches for these bytes.
    clock = settled_clock(site_root / RECORD.parent)
    seen: dict[str, os.stat_result] = {}
    stamp, newest = portal_stamp(portal, seen)
    digest = portal_digest(portal, read, since, seen if stamp else None)
    path = site_root / RECORD
    with _record_lock(site_root):
        portals = {name: entry for name, entry in _read_entries(path).items()
                   if name != slug and (site_root / name).is_dir()}
        portals[slug] = {"digest": digest,
                         "verified_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        if stamp and newest < clock:  # else written during the stamp: read next time
            portals[slug]["stamp"] = stamp
        if readers:
            portals[slug]["readers"] = list(readers)
        text = json.dumps({"format": RECORD_FORMAT, "portals": dict(sorted(portals.items()))},
                          indent=2) + "\n"
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".verified-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    return stamp


def _read_entries(path: Path) -> dict[str, dict[str, Any]]:
    """The record's well-formed entries, to keep; {} when there is no readable record.

    A broken record vouches for nothing, so its entries are dropped and those portals
    must be rebuilt before they can be published.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    portals = data.get("portals") if isinstance(data, dict) else None
    if not isinstance(portals, dict) or data.get("format") != RECORD_FORMAT:
        return {}
    return {str(name): {k: _kept(k, v) for k, v in entry.items()
                        if k in ("digest", "verified_at", "readers", "stamp")}
            for name, entry in portals.items()
            if isinstance(entry, dict) and _SHA256.match(str(entry.get("digest", "")))}


def _kept(key: str, value: object) -> object:
    if key == "readers":
        return [str(v) for v in value] if isinstance(value, list) else []
    return str(value)


def recorded_readers(site_root: Path) -> dict[str, tuple[str, ...]]:
    """slug → the ids of the readers its verified portal was encrypted for, for the portals
    whose record names them (a record written before Portico recorded readers does not)."""
    found: dict[str, tuple[str, ...]] = {}
    for slug, entry in _read_entries(site_root / RECORD).items():
        if entry.get("readers"):
            found[slug] = tuple(entry["readers"])
    return found


def is_verified(site_root: Path, slug: str) -> bool:
    """True when `site_root/slug` is on disk exactly as it was when it passed verify.

    For an incremental build: a portal that is up to date but unrecorded (built before
    the record existed) should be rebuilt rather than skipped, or publish will refuse it.
    """
    return slug in verified_portals(site_root, {slug: portal_stamp(site_root / slug)[0]})


def verified_portals(site_root: Path, stamps: Mapping[str, str]) -> set[str]:
    """Those of the portals `stamps` names (slug → its `portal_stamp` now) that are on disk
    exactly as they were when they passed verify; the record is read once.

    A portal whose stamp is the one recorded at verify is not read (see the module's
    docstring for why that is safe); any other is read and hashed against the recorded
    digest. A portal missing from the record, or not on disk, is not verified."""
    entries = _read_entries(site_root / RECORD)
    found: set[str] = set()
    for slug, stamp in stamps.items():
        entry = entries.get(slug)
        if entry is None or not stamp:
            continue
        if entry.get("stamp") == stamp:
            found.add(slug)
            continue
        try:
            if portal_digest(site_root / slug) == entry["digest"]:
                found.add(slug)
        except (PorticoError, OSError):
            continue
    return found


def site_entries(site_root: Path) -> tuple[list[str], list[str], list[str]]:
    """(portal folders, plain root files, problems) of a site root, dot-entries left out."""
    portals: list[str] = []
    files: list[str] = []
    problems: list[str] = []
    for entry in sorted(site_root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(f"{entry.name}: a symbolic link, which `portico build` never makes")
        elif entry.is_dir():
            portals.append(entry.name)
        elif entry.name in SITE_ROOT_FILES and entry.is_file():
            files.append(entry.name)
        else:
            problems.append(f"{entry.name}: not made by `portico build` (the site root holds "
                            f"only portals and {', '.join(sorted(SITE_ROOT_FILES))})")
    return portals, files, problems


def check_verified(site_root: Path, *, record: Mapping[str, str] | None = None,
                   only: Collection[str] | None = None) -> list[str]:
    """Problems that stop `site_root` from being published; [] when every portal is verified.

    A problem is a portal missing from the record, a portal whose files no longer match
    the digest recorded when it passed verify, or a root entry the build does not make.
    `record` (slug → digest) defaults to the site's own record. `only` checks just those
    portals (each must exist) besides the root entries: the others are not published.
    """
    if not site_root.is_dir():
        return [f"{site_root}: no such folder (run `portico build` first)"]
    try:
        recorded = dict(record) if record is not None else read_record(site_root)
    except PorticoError as exc:
        return [str(exc)]
    portals, _files, problems = site_entries(site_root)
    if only is not None:
        problems.extend(f"{slug}: no such portal in {site_root} (build it: "
                        f"`portico build {slug}`)" for slug in only if slug not in portals)
        portals = [slug for slug in portals if slug in only]
    elif not portals:
        problems.append(f"{site_root}: no portals to publish (run `portico build` first)")
    for slug in portals:
        expected = recorded.get(slug)
        if expected is None:
            problems.append(f"{slug}: not in the verify record, so it did not pass verify "
                            f"in `portico build` (rebuild it: `portico build --force {slug}`)")
            continue
        try:
            actual = portal_digest(site_root / slug)
        except PorticoError as exc:
            problems.append(str(exc))
            continue
        if actual != expected:
            problems.append(f"{slug}: changed since it passed verify (rebuild it: "
                            f"`portico build --force {slug}`)")
    return problems
