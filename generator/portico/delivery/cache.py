"""Incremental builds: what a client's portal was built from, so an unchanged client is skipped.

A client's key hashes everything its portal depends on: its folder, the shared inputs
(content/, mkdocs.yml, theme/), the generator's own files, the engine's versions, the build
date (the portal shows "today"), the newest commit that changed its folder (What's new and
the board packs come from its history) and any copy of its readers in another client's
readers.yml. The cache (`.portico-cache/state.json`, git-ignored, read once per build) maps
each portal to its key and to a stamp of the portal it produced; a skip needs both to match
what is on disk (and the verify record, verify_record.verified_portals), so a corrupt,
foreign or stale cache only ever costs a rebuild.

Reading every input byte and asking git about every client on every build would cost more
than the rest of a no-op, so `input_keys` decides from one stat pass, the cache and one git
call:

- Each input folder (a client's, content/, theme/, mkdocs.yml, the generator package) gets
  a stat stamp (stamps.py: names, sizes, modification and change times, inode numbers). A
  stamp equal to the one recorded with the folder's content digest at the last build reuses
  that digest without reading a byte; any difference reads and hashes the bytes, so a
  `touch` costs a hash, never a wrong skip. Stat is trustworthy here for the reason git
  trusts it for its index (`git status` reads no file whose stat matches): every write
  moves a file's change time, which no user call can set back, so even an edit that keeps
  the size and restores the modification time shows; and a stamp is only recorded once
  settled (no file changed within the file system clock's current tick, git's "racy" case).
  What it does not catch: a write to the raw block device, a clock set backwards, a network
  file system whose server clock disagrees with the one the cache folder is on.
  `portico build --force` rebuilds whatever the stamps say.
- History: HEAD is recorded with every client's last commit; HEAD unchanged, no client's
  history moved; HEAD moved ahead, one `git log` of the range says which clients it touched
  (content.history.last_commits). Only a HEAD the cache does not know on the current
  first-parent chain (a first build, a rewritten history) asks git client by client.
- Reader copies are looked for again only when some readers.yml's stamp changed.
- A client's portals (its views, read from client.yml) are reused with its folder's stamp.

Everything derived this way is recorded with the generator's digest, and trusted only by the
same generator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from portico.content.windows import file_pieces
from portico.delivery.stamps import fs_clock, portal_stamp, stamp_files, tree_files

CACHE_DIR = ".portico-cache"
FORMAT = 3
SHARED_INPUTS = ("content", "mkdocs.yml", "theme")
ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2",
                   "pydantic", "cryptography", "pyyaml", "properdocs", "zensical")
GENERATOR = Path(__file__).parents[1]  # the whole package


def _hash_tree(digest: Any, path: Path, label: str, *, at: bytes = b"",
               files: Sequence[tuple[str, Path]] | None = None) -> None:
    """Feed every file under `path` (names and bytes, in a stable order) into `digest`;
    `at`, if given, is replaced by a fixed word in every file (a folder's own random name).
    `files`: `tree_files(path)`, when the caller has it already."""
    files = tree_files(path) if files is None else files
    digest.update(f"\0tree {label} {len(files)}\0".encode())
    for name, file in files:
        # Read a block at a time (an attachment may be gigabytes), its length after it.
        digest.update(f"\0{name}\0".encode())
        length = 0
        for block in _replaced(file_pieces(file), at, b"<here>"):
            digest.update(block)
            length += len(block)
        digest.update(f"\0{length}\0".encode())


def _replaced(blocks: Iterable[bytes], old: bytes, new: bytes) -> Iterator[bytes]:
    """`blocks` as one stream with every `old` replaced by `new`, as bytes.replace would do
    it on the whole, though `old` may straddle two blocks."""
    if not old:
        yield from blocks
        return
    pending = b""
    for block in blocks:
        buffer = pending + block
        done = 0
        while (found := buffer.find(old, done)) != -1:
            yield buffer[done:found] + new
            done = found + len(old)
        keep = max(done, len(buffer) - len(old) + 1)  # may begin an `old` the next completes
        yield buffer[done:keep]
        pending = buffer[keep:]
    yield pending


def _tree_digest(path: Path, label: str, files: Sequence[tuple[str, Path]] | None = None) -> str:
    digest = hashlib.sha256()
    _hash_tree(digest, path, label, files=files)
    return digest.hexdigest()


def _shared(today: dt.date, engine: str, digests: Iterable[str], versions: Iterable[str]
            ) -> str:
    digest = hashlib.sha256(f"portico-cache {FORMAT} {today.isoformat()} {engine}".encode())
    for tree in digests:
        digest.update(f"\0{tree}".encode())
    for version in versions:
        digest.update(f"\0{version}".encode())
    return digest.hexdigest()


def _engine_versions() -> list[str]:
    """`package=version` of each of ENGINE_PACKAGES, from its installed metadata."""
    from importlib import metadata  # here: only a build whose packages changed needs it

    versions = []
    for package in ENGINE_PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "absent"
        versions.append(f"{package}={version}")
    return versions


def _client(shared: str, folder: str, commit: str, copies: Iterable[str]) -> str:
    digest = hashlib.sha256(f"portico-client {shared}\0{folder}".encode())
    # Its history too: committing an edit already built changes What's new and the packs.
    digest.update(f"\0head {commit}".encode())
    # A reader copied into another client's readers.yml makes this client's build fail.
    for problem in copies:
        digest.update(f"\0reader copy {problem}".encode())
    return digest.hexdigest()


def shared_key(root: Path, today: dt.date, engine: str = "mkdocs") -> str:
    """The part of every client's key that all clients share (the engine too), from the
    bytes (`input_keys` gives the same, from the stat pass and the cache)."""
    digests = [_tree_digest(root / name, name) for name in SHARED_INPUTS]
    return _shared(today, engine, [*digests, _tree_digest(GENERATOR, "generator")],
                   _engine_versions())


def client_key(root: Path, slug: str, shared: str) -> str:
    """The inputs key of one client, from its bytes and git (`input_keys` gives the same,
    from the stat pass, the cache and one git call for every client)."""
    from portico.content.history import last_commit
    from portico.protection.reader_hygiene import check_reader_copies

    return _client(shared, _tree_digest(root / "clients" / slug, slug),
                   last_commit(root, slug), map(str, check_reader_copies(root, slug)))


class InputKeys(NamedTuple):
    """What `input_keys` finds: the shared key, each client's key and the engine."""

    shared: str
    clients: dict[str, str]
    engine: str


def input_keys(root: Path, slugs: Sequence[str], today: dt.date, engine: str | None,
               cache: BuildCache) -> InputKeys:
    """(`shared_key`, slug → `client_key`, engine) of a build, from one stat pass over the
    inputs, what `cache` recorded at the last build and one git call (see the module's
    docstring). `engine`: None for mkdocs.yml's (content.practice.practice_engine), which
    is read again only when mkdocs.yml changed since the build that recorded it.

    Records what it finds in `cache` (saved with it). Reads bytes only of inputs whose
    stamp changed, asks git client by client only when HEAD's history is not the one
    recorded, looks for reader copies only when some readers.yml changed."""
    from portico.content.history import last_commits
    from portico.protection.reader_hygiene import reader_copies, reader_files

    clock = fs_clock(root / CACHE_DIR)  # before any stat: what changes after it shows
    generator = cache.tree_digest("generator", GENERATOR, clock)
    cache.trust_inputs_of(generator)
    before = cache.inputs
    trees = [cache.tree_digest(name, root / name, clock) for name in SHARED_INPUTS]
    engine = engine or cache.engine(root)
    shared = _shared(today, engine, [*trees, generator], cache.engine_versions(clock))
    folders = {slug: cache.tree_digest(f"client {slug}", root / "clients" / slug, clock)
               for slug in slugs}

    head, commits = last_commits(root, slugs, since=_text(before.get("head")),
                                 known=_texts(before.get("commits")))
    cache.recorded["head"], cache.recorded["commits"] = head, commits

    files = reader_files(root)
    readers_stamp = stamp_files([(path.parent.name, path) for path in files], clock)
    last = before.get("readers")
    if readers_stamp and isinstance(last, dict) and last.get("stamp") == readers_stamp:
        copies = {slug: [str(p) for p in problems]
                  for slug, problems in _lists(last.get("copies")).items()}
    else:
        copies = {slug: [str(p) for p in problems]
                  for slug, problems in reader_copies(root).items()}
    if readers_stamp:
        cache.recorded["readers"] = {"stamp": readers_stamp, "copies": copies}
    return InputKeys(shared, {slug: _client(shared, folders[slug], commits.get(slug, ""),
                                            copies.get(slug, [])) for slug in slugs}, engine)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def docs_key(render: Path, readers: Sequence[Any], view: str | None, client: Any,
             shared: str = "") -> str:
    """What one view's portal is built from once rendered (`render`: the folder holding its
    `docs/` tree and its `mkdocs.yml`, render.render_portal): every page and file, the
    config, its readers and its view's settings. A view whose docs key is unchanged needs
    no engine build, even when its client's folder changed (an edit to an item outside the
    view re-renders every view but rebuilds only the views holding it). `shared`: the
    shared inputs' key (engine, theme, generator, date): they shape the built site without
    showing in the docs tree. Nothing else in `render` is read: the engine may be writing
    the site there meanwhile."""
    digest = hashlib.sha256(f"portico-docs {FORMAT} {view} {shared}".encode())
    files = sorted([("mkdocs.yml", render / "mkdocs.yml"),
                    *((f"docs/{name}", path) for name, path in tree_files(render / "docs"))])
    # The config names the build's own private folder, a new random name each build.
    _hash_tree(digest, render, "docs", at=str(render).encode(), files=files)
    for reader in readers:
        digest.update(f"\0reader {reader.model_dump_json()}".encode())
    digest.update(f"\0views {client.model_dump_json(include={'views', 'portal'})}".encode())
    return digest.hexdigest()


@dataclass
class BuildCache:
    """The state file: portal → (inputs key, portal stamp, docs key), and what the inputs
    were found to be (`input_keys`). Load it with `BuildCache.open`, once per build."""

    path: Path
    root: str
    clients: dict[str, dict[str, str]]
    discarded: str = ""  # why an existing cache was not trusted, for the build report
    inputs: dict[str, Any] = field(default_factory=dict)  # as the last build recorded them
    recorded: dict[str, Any] = field(default_factory=dict)  # as this build found them
    _unchanged: set[str] = field(default_factory=set)  # inputs whose stamp matched
    _seen: set[str] = field(default_factory=set)  # inputs stamped this build

    @classmethod
    def open(cls, root: Path) -> BuildCache:
        """The repository's cache; an unreadable, corrupt or foreign one starts empty."""
        path = root / CACHE_DIR / "state.json"
        empty = cls(path, str(root.resolve()), {})
        if not path.exists():
            return empty
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            valid = (isinstance(data, dict) and data.get("format") == FORMAT
                     and isinstance(data.get("clients"), dict)
                     and all(isinstance(v, dict) and isinstance(v.get("key"), str)
                             and isinstance(v.get("portal"), str)
                             and isinstance(v.get("docs", ""), str)
                             for v in data["clients"].values())
                     and isinstance(data.get("inputs", {}), dict))
        except (OSError, ValueError):
            valid, data = False, None
        if not valid:
            empty.discarded = ("the build cache was unreadable or corrupt (or from another "
                               "version of Portico); rebuilding everything")
            return empty
        if data["root"] != empty.root:
            empty.discarded = "the build cache belongs to another checkout; rebuilding everything"
            return empty
        return cls(path, empty.root, data["clients"], inputs=data.get("inputs", {}))

    # --- inputs (input_keys) --------------------------------------------------------------

    def trust_inputs_of(self, generator: str) -> None:
        """Keep what the last build recorded about the inputs only if this same generator
        (its content digest) recorded it: what it derived may differ in another version."""
        if self.inputs.get("generator") != generator:
            self.inputs = {}
            self._unchanged.clear()
        self.recorded["generator"] = generator

    def tree_digest(self, label: str, path: Path, clock: int) -> str:
        """The content digest of the input `path`: the recorded one when its stat stamp is
        the one recorded with it, else hashed from its bytes (and recorded, when settled)."""
        files = tree_files(path)
        stamp = stamp_files(files, clock)
        self._seen.add(label)
        entry = _dicts(self.inputs.get("trees")).get(label)
        if stamp and entry is not None and entry.get("stamp") == stamp \
                and isinstance(entry.get("digest"), str):
            digest: str = entry["digest"]
            self._unchanged.add(label)
        else:
            digest = _tree_digest(path, label.removeprefix("client "), files)
        if stamp:
            self.recorded.setdefault("trees", {})[label] = {"stamp": stamp, "digest": digest}
        return digest

    def engine(self, root: Path) -> str:
        """The practice's engine (content.practice.practice_engine): the recorded one while
        mkdocs.yml is unchanged (`tree_digest` saw it first), so that a build with nothing
        to do parses no YAML; else read from mkdocs.yml, and recorded."""
        from portico.content.practice import practice_engine

        recorded = self.inputs.get("engine")
        engine = recorded if "mkdocs.yml" in self._unchanged and isinstance(recorded, str) \
            else practice_engine(root)
        self.recorded["engine"] = engine
        return engine

    def engine_versions(self, clock: int) -> list[str]:
        """`package=version` of each of ENGINE_PACKAGES: the recorded ones while no folder
        on Python's import path changed since they were recorded (installing, upgrading or
        removing a package adds or removes its metadata folder there, which moves that
        folder's times), else read from the packages' metadata, and recorded."""
        folders = [(entry, Path(entry)) for entry in sys.path if entry and os.path.isdir(entry)]
        stamp = stamp_files(folders, clock)
        entry = self.inputs.get("engine versions")
        if stamp and isinstance(entry, dict) and entry.get("stamp") == stamp \
                and isinstance(entry.get("versions"), list) \
                and all(isinstance(v, str) for v in entry["versions"]):
            versions: list[str] = entry["versions"]
        else:
            versions = _engine_versions()
        if stamp:
            self.recorded["engine versions"] = {"stamp": stamp, "versions": versions}
        return versions

    def units(self, slug: str) -> list[tuple[str | None, str]] | None:
        """The (view, portal folder) pairs recorded for a client whose folder is unchanged
        this build (run.portal_units), or None: read its client.yml."""
        if f"client {slug}" not in self._unchanged:
            return None
        found = _lists(self.inputs.get("units")).get(slug)
        if found is None or not all(
                isinstance(u, list) and len(u) == 2 and isinstance(u[1], str)
                and (u[0] is None or isinstance(u[0], str)) for u in found):
            return None
        self.keep_units(slug, found)
        return [(view, portal) for view, portal in found]

    def keep_units(self, slug: str, units: Sequence[Sequence[str | None]]) -> None:
        """Record a client's (view, portal folder) pairs, read from its client.yml."""
        self.recorded.setdefault("units", {})[slug] = [list(unit) for unit in units]

    def _inputs_to_save(self) -> dict[str, Any]:
        """This build's record of the inputs, with the last build's about clients this one
        did not look at (a build of some clients), while their folders exist."""
        if not self.recorded:
            return self.inputs
        folders = _client_folders(Path(self.root))
        saved = dict(self.recorded)
        saved["trees"] = {label: entry for label, entry in _dicts(self.inputs.get("trees")).items()
                          if label.startswith("client ") and label[7:] in folders
                          and label not in self._seen} | self.recorded.get("trees", {})
        saved["units"] = {slug: units for slug, units in _lists(self.inputs.get("units")).items()
                          if slug in folders and f"client {slug}" not in self._seen
                          } | self.recorded.get("units", {})
        saved["commits"] = {slug: commit for slug, commit
                            in self.recorded.get("commits", {}).items() if slug in folders}
        return saved

    # --- portals ----------------------------------------------------------------------------

    def fresh(self, slug: str, key: str, portal: Path, stamp: str | None = None) -> bool:
        """True when `portal` is exactly what a build of these inputs produced. `stamp`:
        its `portal_stamp`, if the caller has it."""
        entry = self.clients.get(slug)
        if entry is None or entry["key"] != key:
            return False
        stamp = portal_stamp(portal)[0] if stamp is None else stamp
        return bool(stamp) and entry["portal"] == stamp

    def docs(self, slug: str, portal: Path, stamp: str | None = None) -> str:
        """The docs key the portal `slug` was built from, if it is on disk as built; else ""."""
        entry = self.clients.get(slug)
        stamp = portal_stamp(portal)[0] if stamp is None else stamp
        if entry is None or not stamp or entry["portal"] != stamp:
            return ""
        return entry.get("docs", "")

    def record(self, slug: str, key: str, portal: Path, docs: str = "", stamp: str = "") -> None:
        """Remember a successful build (or a skip after render: `docs`, its docs key).
        `stamp`: the portal's `portal_stamp` as its build left it, if the build took it."""
        self.clients[slug] = {"key": key, "portal": stamp or portal_stamp(portal)[0]} | (
            {"docs": docs} if docs else {})

    def forget(self, slug: str) -> None:
        """Drop a client (failed, or removed from the repository)."""
        self.clients.pop(slug, None)

    def save(self) -> None:
        """Write the state file atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        (self.path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        data = {"format": FORMAT, "root": self.root, "clients": self.clients,
                "inputs": self._inputs_to_save()}
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".state.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.replace(temp, self.path)


def _dicts(value: object) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, dict)}


def _lists(value: object) -> dict[str, list[Any]]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, list)}


def _client_folders(root: Path) -> set[str]:
    try:
        return {entry.name for entry in os.scandir(root / "clients") if entry.is_dir()}
    except OSError:
        return set()
