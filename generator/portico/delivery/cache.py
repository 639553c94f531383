"""Incremental builds: what a client's portal was built from, so an unchanged client is skipped.

A client's key hashes everything its portal depends on: its folder, the shared inputs
(content/, mkdocs.yml, theme/), the generator's own files, the engine's versions and the
build date (the portal shows "today"). The cache (`.portico-cache/state.json`, git-ignored)
maps each client to its key and to a digest of the portal it produced; a skip needs both to
match what is on disk, so a corrupt, foreign or stale cache only ever costs a rebuild.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from portico.content.windows import file_pieces

CACHE_DIR = ".portico-cache"
FORMAT = 2
SHARED_INPUTS = ("content", "mkdocs.yml", "theme")
ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2",
                   "pydantic", "cryptography", "pyyaml", "properdocs", "zensical")


def _hash_tree(digest: Any, path: Path, label: str, *, at: bytes = b"") -> None:
    """Feed every file under `path` (names and bytes, in a stable order) into `digest`;
    `at`, if given, is replaced by a fixed word in every file (a folder's own random name)."""
    if path.is_file():
        files = [path]
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    else:
        files = []
    digest.update(f"\0tree {label} {len(files)}\0".encode())
    for file in files:
        name = file.relative_to(path).as_posix() if path.is_dir() else file.name
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


def shared_key(root: Path, today: dt.date, engine: str = "mkdocs") -> str:
    """The part of every client's key that all clients share (the engine too)."""
    digest = hashlib.sha256(f"portico-cache {FORMAT} {today.isoformat()} {engine}".encode())
    for name in SHARED_INPUTS:
        _hash_tree(digest, root / name, name)
    _hash_tree(digest, Path(__file__).parents[1], "generator")  # the whole package
    for package in ENGINE_PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"\0{package}={version}".encode())
    return digest.hexdigest()


def client_key(root: Path, slug: str, shared: str) -> str:
    """The inputs key of one client: its folder plus the shared key.

    Also any reader of this client copied into another client's readers.yml: the copy
    makes this client's build fail, so it must not be skipped as unchanged.
    """
    from portico.content.history import last_commit
    from portico.protection.reader_hygiene import check_reader_copies

    digest = hashlib.sha256(shared.encode())
    _hash_tree(digest, root / "clients" / slug, slug)
    # Its history too: committing an edit already built changes What's new and the packs.
    digest.update(f"\0head {last_commit(root, slug)}".encode())
    for problem in check_reader_copies(root, slug):
        digest.update(f"\0reader copy {problem}".encode())
    return digest.hexdigest()


def docs_key(docs: Path, readers: Sequence[Any], view: str | None, client: Any,
             shared: str = "") -> str:
    """What one view's portal is built from once rendered: its docs tree (every page and
    file, the config), its readers and its view's settings. A view whose docs key is
    unchanged needs no engine build, even when its client's folder changed (an edit to an
    item outside the view re-renders every view but rebuilds only the views holding it).
    `shared`: the shared inputs' key (engine, theme, generator, date): they shape the built
    site without showing in the docs tree."""
    digest = hashlib.sha256(f"portico-docs {FORMAT} {view} {shared}".encode())
    # The config names the build's own private folder, a new random name each build.
    _hash_tree(digest, docs, "docs", at=str(docs).encode())
    for reader in readers:
        digest.update(f"\0reader {reader.model_dump_json()}".encode())
    digest.update(f"\0views {client.model_dump_json(include={'views', 'portal'})}".encode())
    return digest.hexdigest()


def portal_stamp(portal: Path) -> str:
    """Names, sizes and modification times of a portal's files: notices a portal changed or
    removed behind our back without reading it (its bytes are checked against the verify
    record, see verify_record.is_verified, before a skip)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in portal.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(portal).as_posix()}\0{stat.st_size}\0"
                      f"{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


@dataclass
class BuildCache:
    """The state file: client → (inputs key, portal digest). Load it with `BuildCache.open`."""

    path: Path
    root: str
    clients: dict[str, dict[str, str]]
    discarded: str = ""  # why an existing cache was not trusted, for the build report

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
                             for v in data["clients"].values()))
        except (OSError, ValueError):
            valid, data = False, None
        if not valid:
            empty.discarded = "the build cache was unreadable or corrupt; rebuilding everything"
            return empty
        if data["root"] != empty.root:
            empty.discarded = "the build cache belongs to another checkout; rebuilding everything"
            return empty
        return cls(path, empty.root, data["clients"])

    def fresh(self, slug: str, key: str, portal: Path) -> bool:
        """True when `portal` is exactly what a build of these inputs produced."""
        entry = self.clients.get(slug)
        if entry is None or entry["key"] != key or not portal.is_dir():
            return False
        return entry["portal"] == portal_stamp(portal)

    def docs(self, slug: str, portal: Path) -> str:
        """The docs key the portal `slug` was built from, if it is on disk as built; else ""."""
        entry = self.clients.get(slug)
        if entry is None or not portal.is_dir() or entry["portal"] != portal_stamp(portal):
            return ""
        return entry.get("docs", "")

    def record(self, slug: str, key: str, portal: Path, docs: str = "") -> None:
        """Remember a successful build (or a skip after render: `docs`, its docs key)."""
        self.clients[slug] = {"key": key, "portal": portal_stamp(portal)} | (
            {"docs": docs} if docs else {})

    def forget(self, slug: str) -> None:
        """Drop a client (failed, or removed from the repository)."""
        self.clients.pop(slug, None)

    def save(self) -> None:
        """Write the state file atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        (self.path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        data = {"format": FORMAT, "root": self.root, "clients": self.clients}
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".state.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.replace(temp, self.path)
