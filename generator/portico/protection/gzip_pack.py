"""The gzip form of every small file of a portal's last build, so the next build compresses
only the files that changed.

Compressing is most of what sealing a page costs; the encryption itself is cheap. A build
seals every file under a fresh content key (ARCHITECTURE.md §4), but a page whose bytes did
not change compresses to the same bytes (`envelope.compress` is deterministic), so those
are taken from here. Keyed by the SHA-256 of the plaintext, not by path or time: a page
that moved or came back is found too, and a stale entry can never be served for changed
bytes.

One file, in the portal's kept folder (delivery.kept, mode 0700, never in
CI's cache): the compressed bytes one after another, then a JSON index (digest → [offset,
length]), then the index's offset (8 bytes, big-endian). It holds plaintext, compressed,
like the kept site beside it, and is written whole and renamed into place. A pack that is
missing or cut short only costs the compression it would have saved (an entry that does
not fit is compressed again); one whose bytes were changed on disk fails verify, which
decrypts and checks every blob, and the build with it: never the published portal.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from portico.protection.envelope import compress

__all__ = ["GzipPack"]

_TRAILER = 8


class GzipPack:
    """Compresses through the pack `previous` (the last build's; it may not exist) and
    writes this build's pack to `out`, for the next build. A context manager: `out` is
    written only when the block ends without an error."""

    def __init__(self, previous: Path | None, out: Path) -> None:
        self._out = out
        self._part = out.with_name(f".{out.name}.part")
        self._index: dict[str, list[int]] = {}
        self._old: BinaryIO | None = None
        self._old_index: dict[str, Any] = {}
        self._new: BinaryIO | None = None
        self.reused = 0
        if previous is not None:
            self._open_previous(previous)

    def _open_previous(self, previous: Path) -> None:
        try:
            old = previous.open("rb")
        except OSError:
            return
        try:
            size = old.seek(0, os.SEEK_END)
            old.seek(max(size - _TRAILER, 0))
            start = int.from_bytes(old.read(_TRAILER), "big")
            old.seek(min(start, size))
            index = json.loads(old.read(max(size - _TRAILER - start, 0)))
        except (OSError, ValueError):
            old.close()
            return
        if isinstance(index, dict):
            self._old, self._old_index = old, index
        else:
            old.close()

    def __enter__(self) -> GzipPack:
        self._new = self._part.open("wb")
        return self

    def compress(self, digest: str, data: bytes) -> bytes:
        """`envelope.compress(data)`, from the last build's pack when it holds `digest`, and
        put in this build's pack."""
        compressed = self.taken_or_made(digest, data)
        self.add(digest, compressed)
        return compressed

    def taken_or_made(self, digest: str, data: bytes) -> bytes:
        """`envelope.compress(data)`, from the last build's pack when it holds `digest`;
        this build's pack is left as it is."""
        compressed = self.compressed(digest)
        if compressed is None:
            return compress(data)
        self.reused += 1
        return compressed

    def compressed(self, digest: str) -> bytes | None:
        """The last build's compressed form of the file whose SHA-256 is `digest`, if the
        pack holds it. Read at its offset (`os.pread`), so that a forked child may look up
        while this process does."""
        where = self._old_index.get(digest)
        if self._old is None or not (isinstance(where, list) and len(where) == 2
                                     and all(isinstance(n, int) and n >= 0 for n in where)):
            return None
        found = os.pread(self._old.fileno(), where[1], where[0])
        return found if len(found) == where[1] else None

    def add(self, digest: str, compressed: bytes) -> None:
        """Put the compressed form of the file whose SHA-256 is `digest` in this build's pack."""
        if self._new is not None and digest not in self._index:
            self._index[digest] = [self._new.tell(), len(compressed)]
            self._new.write(compressed)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._old is not None:
            self._old.close()
        if self._new is None:
            return
        try:
            if kind is None:
                start = self._new.tell()
                self._new.write(json.dumps(self._index).encode("utf-8"))
                self._new.write(start.to_bytes(_TRAILER, "big"))
        finally:
            self._new.close()
        if kind is None:
            os.replace(self._part, self._out)
        else:
            self._part.unlink(missing_ok=True)
