"""A portal's files sealed into their blobs, half of them in a forked child when there are
many: protect's share of a rebuild is mostly this loop (read, compress or take from the
pack, encrypt, write), and a portal is protected in one process while the machine has
another core.

Both processes encrypt under the same content key with nonces from the operating system's
random source (`secrets`), which a fork does not copy; each writes its own files and writes
over its own half of the spare files. The child sends back what it sealed and the compressed
forms it used, which this process adds to the next build's pack: the pack file is written
by one process only, and read by both at fixed offsets (GzipPack.compressed).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from portico.protection.chunked import CHUNKED_THRESHOLD, seal_stream
from portico.protection.envelope import compress, seal_compressed
from portico.protection.gzip_pack import GzipPack
from portico.protection.spare import SpareFiles

__all__ = ["SealJob", "Sealed", "seal_files"]

# Below this many files a second process costs more than it saves (a fork, and the
# compressed files sent back through a pipe): a 20-page portal seals in 20 ms.
SHARE_FROM = 256


@dataclass(frozen=True)
class Sealed:
    """One file as sealed: its plaintext's size and SHA-256, its chunk count (0: one
    sealed whole), and the size of its blob."""

    size: int
    chunks: int
    sha256: str
    blob_bytes: int


@dataclass(frozen=True)
class SealJob:
    """Seal `source` (at `path` in the portal, the associated data) into `target`."""

    path: str
    source: Path
    target: Path


def seal_files(content_key: bytes, jobs: Sequence[SealJob], *, pack: GzipPack | None = None,
               spare: SpareFiles | None = None) -> dict[str, Sealed]:
    """Seal every job's file (the targets' folders exist), by path. `pack`: where a small
    file's compressed form may come from, and where it goes for the next build; `spare`:
    files to write the blobs over (spare.py)."""
    if len(jobs) < SHARE_FROM or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return _seal_each(content_key, jobs, pack, spare)
    from portico.delivery.forked import forked

    theirs, ours = jobs[::2], jobs[1::2]
    their_spare = spare.share() if spare is not None else None

    def child() -> tuple[dict[str, Sealed], list[tuple[str, bytes]], int]:
        taken = _Taken(pack)
        return _seal_each(content_key, theirs, taken, their_spare), taken.entries, taken.reused

    with forked(child) as other:
        sealed = _seal_each(content_key, ours, pack, spare)
        their_files, entries, reused = other.result()
    if pack is not None:
        for digest, compressed in entries:
            pack.add(digest, compressed)
        pack.reused += reused
    return sealed | their_files


class _Taken:
    """The pack as a child uses it: compressed forms taken or made, noted for the parent
    to add, none written."""

    def __init__(self, pack: GzipPack | None) -> None:
        self._pack = pack
        self.entries: list[tuple[str, bytes]] = []
        self.reused = 0

    def compress(self, digest: str, data: bytes) -> bytes:
        if self._pack is None:
            found = compress(data)
        else:
            before = self._pack.reused
            found = self._pack.taken_or_made(digest, data)
            self.reused += self._pack.reused - before
        self.entries.append((digest, found))
        return found


def _seal_each(content_key: bytes, jobs: Sequence[SealJob], pack: GzipPack | _Taken | None,
               spare: SpareFiles | None) -> dict[str, Sealed]:
    return {job.path: _seal_one(content_key, job.path, job.source, job.target, pack, spare)
            for job in jobs}


def _seal_one(content_key: bytes, rel: str, source: Path, target: Path,
             pack: GzipPack | _Taken | None = None, spare: SpareFiles | None = None) -> Sealed:
    """Seal the file `source` (logical path `rel`) into `target`, whose folder exists: whole
    if it is small, else streamed from disk in chunks."""
    if source.stat().st_size <= CHUNKED_THRESHOLD:
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        compressed = pack.compress(digest, data) if pack is not None else compress(data)
        blob = seal_compressed(content_key, rel, compressed)
        if spare is not None:
            spare.write(target, blob)
        else:
            target.write_bytes(blob)
        return Sealed(len(data), 0, digest, len(blob))
    with source.open("rb") as plain, target.open("wb") as sealed:
        stream = seal_stream(content_key, rel, plain, sealed)
    return Sealed(stream.size, stream.chunks, stream.sha256, target.stat().st_size)
