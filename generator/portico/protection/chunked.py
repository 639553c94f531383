"""Chunked sealing: a large file as a stream of AES-256-GCM chunks (ARCHITECTURE.md §4).

Every name here has a twin of the same name in `assets/crypto.js`; change both together
(tests/protection/test_chunked.py and tests/browser/test_attachments.py check them against
each other).

A file larger than CHUNKED_THRESHOLD is not one blob sealed in memory (envelope.seal_file)
but a stream of chunks, so `protect`, `verify` and the browser's service worker each hold
one chunk at a time, whatever the size of the file:

- The file's bytes are cut into CHUNK_BYTES pieces, `plain_0 … plain_{n-1}`, with
  `n = ceil(size / CHUNK_BYTES)`; the last one is padded with zero bytes to CHUNK_BYTES.
  Nothing is compressed: a file this large is almost always media or an archive, already
  compressed, and gzip costs about 30 MB/s on such bytes against AES-GCM's gigabytes.
- Chunk `i` is sealed as `nonce_i || AES-256-GCM(content_key, nonce_i, plain_i, ad_i)`, a
  fresh random 96-bit nonce each (as every whole-file blob has), so every sealed chunk is
  SEALED_CHUNK_BYTES long and the blob is their concatenation, `n × SEALED_CHUNK_BYTES`.
- `ad_i = CHUNK_AD || 0x00 || i (4 bytes, big-endian) || final (1 byte) || path (UTF-8)`,
  `final` being 1 for chunk `n-1` and 0 for every other. So a chunk opens only at its own
  index, in its own file, and only the last as the last: chunks reordered, dropped, swapped
  with another file's, or a stream cut short (its last chunk sealed "not final") all fail.
  The NUL byte keeps every chunk's AD apart from every whole-file blob's (a path, which
  holds no NUL), so a chunk can never pass for a small file, nor a small file for a chunk.
- The sealed manifest (protect.py) records, for such a file, `chunked: {chunk_bytes,
  chunks, size}`: a reader expects exactly `chunks` chunks, takes `size` bytes of their
  plaintext and drops the padding. The manifest is itself sealed, so neither can change.

Sizes: the blob is the file's size rounded up to a whole MiB (plus 28 bytes a chunk), the
size bucket of a chunked file (envelope.padded_size is for the small ones).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from portico.protection.envelope import NONCE_BYTES, TAG_BYTES, IntegrityError

__all__ = ["CHUNK_AD", "CHUNK_BYTES", "CHUNKED_THRESHOLD", "INDEX_BYTES", "SEALED_CHUNK_BYTES",
           "SealedStream", "chunk_ad", "chunk_count", "open_stream", "seal_stream"]

CHUNK_BYTES = 1024 * 1024
"""Plaintext bytes per chunk: one WebCrypto call per MiB in the browser, and the most any
stage holds of a file at once (twice that while sealing: the chunk and the next)."""
CHUNKED_THRESHOLD = 4 * CHUNK_BYTES
"""Files larger than this are sealed in chunks. Below it a file is sealed whole and
gzipped, which pays for pages, the search index and other text (five to ten times smaller)
at a cost of a few times the file in memory; above it the file is streamed, uncompressed,
and its blob padded to whole chunks (at most 25% more at the threshold, 0.1% at 1 GB)."""
CHUNK_AD = b"portico/v1 chunk"
INDEX_BYTES = 4
SEALED_CHUNK_BYTES = NONCE_BYTES + CHUNK_BYTES + TAG_BYTES


@dataclass(frozen=True)
class SealedStream:
    """What `seal_stream` wrote: the plaintext's size and digest, and the number of chunks."""

    size: int
    chunks: int
    sha256: str


def chunk_count(size: int) -> int:
    """How many chunks a file of `size` bytes is sealed in (an empty file still has one)."""
    return max(1, -(-size // CHUNK_BYTES))


def chunk_ad(path: str, index: int, final: bool) -> bytes:
    """The associated data of chunk `index` of the file at `path` (its logical path)."""
    return (CHUNK_AD + b"\0" + index.to_bytes(INDEX_BYTES, "big") + (b"\1" if final else b"\0")
            + path.encode("utf-8"))


def seal_stream(content_key: bytes, path: str, source: BinaryIO, sink: BinaryIO) -> SealedStream:
    """Read `source` to its end a chunk at a time and write its sealed chunks to `sink`.

    Holds two chunks at most (one is sealed only once the next shows whether it is the
    last). Returns the size, SHA-256 and chunk count of what it read.
    """
    aead = AESGCM(content_key)
    digest = hashlib.sha256()
    size = index = 0
    chunk = source.read(CHUNK_BYTES)
    while True:
        digest.update(chunk)
        size += len(chunk)
        following = source.read(CHUNK_BYTES) if len(chunk) == CHUNK_BYTES else b""
        final = not following
        if final:
            chunk += bytes(CHUNK_BYTES - len(chunk))
        nonce = secrets.token_bytes(NONCE_BYTES)
        sink.write(nonce)
        sink.write(aead.encrypt(nonce, chunk, chunk_ad(path, index, final)))
        index += 1
        if final:
            return SealedStream(size=size, chunks=index, sha256=digest.hexdigest())
        chunk = following


def open_stream(content_key: bytes, path: str, blob: BinaryIO, size: int) -> Iterator[bytes]:
    """The plaintext of a chunked file, a chunk at a time, read from `blob` as it goes.

    `size` is the file's size from the sealed manifest: the stream must hold exactly
    `chunk_count(size)` chunks, the last sealed as the last. Raises IntegrityError, after
    the chunks before it, at the first chunk that is altered, moved, missing or extra;
    the caller must treat what came before as unproven until the iterator ends.
    """
    aead = AESGCM(content_key)
    count = chunk_count(size)
    left = size
    for index in range(count):
        sealed = blob.read(SEALED_CHUNK_BYTES)
        if len(sealed) != SEALED_CHUNK_BYTES:
            raise IntegrityError(f"{path}: cut short at chunk {index} of {count}")
        final = index == count - 1
        try:
            plain = aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
                                 chunk_ad(path, index, final))
        except InvalidTag:
            raise IntegrityError(f"{path}: chunk {index} failed its integrity check") from None
        yield plain if left >= CHUNK_BYTES else plain[:left]
        left -= CHUNK_BYTES
    if blob.read(1):
        raise IntegrityError(f"{path}: holds more than its {count} chunks")
