"""The protection construction of ARCHITECTURE.md §4: file sealing and the key envelope.

Every name here has a twin of the same name in `assets/crypto.js`; change both together
(the cross-implementation vector in tests/fixtures/sample_portal/crypto_vector.json
checks them against each other).

- A file: `nonce (12 bytes) || AES-256-GCM(content_key, nonce, padded, ad=path)`,
  where `path` is the file's POSIX path relative to the portal root, UTF-8, and
  `padded` is `length (4 bytes, big-endian) || gzip(data) || zero bytes`, so long that
  the whole blob is a size bucket (`padded_size`): sizes tell an outsider the bucket,
  not the page. The length sits inside the authenticated plaintext, so no one can
  change it unnoticed.
- A file over chunked.CHUNKED_THRESHOLD (4 MiB) is sealed in chunks instead, as it is
  read from disk (chunked.py): no gzip, no whole copy in memory.
- The envelope wraps the content key for each reader: a fresh ephemeral P-256 key,
  ECDH with the reader's public key, HKDF-SHA256(salt=HKDF_SALT, info=HKDF_INFO) gives
  an AES-256-GCM key that encrypts the content key with WRAP_AD as associated data.
  An entry carries the reader's salt, iterations and public key (to rebuild the JWK in
  the browser) but never a reader id or label.
"""

from __future__ import annotations

import gzip
import json
import secrets
import zlib
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from portico.content.errors import PorticoError
from portico.protection.reader_keys import P256_ORDER, b64url, b64url_decode, derive_private_key
from portico.protection.readers import (
    MAX_ITERATIONS,
    MIN_ITERATIONS,
    Reader,
    iterations_in_range,
)

__all__ = [
    "ENVELOPE_VERSION",
    "MIN_ITERATIONS",
    "MAX_ITERATIONS",
    "IntegrityError",
    "WrongPassphraseError",
    "compress",
    "seal_compressed",
    "seal_file",
    "open_file",
    "padded_size",
    "make_envelope",
    "open_envelope",
    "open_envelope_with_scalar",
]

ENVELOPE_VERSION = 1
CONTENT_KEY_BYTES = 32
NONCE_BYTES = 12
HKDF_SALT = b"portico/v1 hkdf salt"
HKDF_INFO = b"portico/v1 content key wrap"
WRAP_AD = b"portico/v1 content key"
GZIP_LEVEL = 6
"""zlib's default: a third of level 9's time for about 1 % more bytes, which the size
buckets mostly absorb (a 2,800-page portal's protect spent most of its time at level 9)."""
TAG_BYTES = 16
LENGTH_BYTES = 4
"""The compressed length that precedes it inside the sealed plaintext (big-endian)."""
PAD_LADDER_MIN = 512
"""The smallest blob: below 16 KiB, blobs take the next power of two from here."""
PAD_LADDER_MAX = 16 * 1024
PAD_STEP = 4 * 1024
"""Above PAD_LADDER_MAX, blobs take the next multiple of this."""


class IntegrityError(PorticoError):
    """A protected file failed AES-GCM authentication: altered, truncated or moved."""


class WrongPassphraseError(PorticoError):
    """No envelope entry opens with the passphrase given."""


def new_content_key() -> bytes:
    """A fresh random 256-bit content key; one per client per build."""
    return secrets.token_bytes(CONTENT_KEY_BYTES)


def padded_size(size: int) -> int:
    """The size bucket of a blob that would be `size` bytes unpadded: the next power of
    two from PAD_LADDER_MIN up to PAD_LADDER_MAX, then the next multiple of PAD_STEP."""
    if size > PAD_LADDER_MAX:
        return -(-size // PAD_STEP) * PAD_STEP
    bucket = PAD_LADDER_MIN
    while bucket < size:
        bucket *= 2
    return bucket


def pad(compressed: bytes) -> bytes:
    """`length || compressed || zeros`, long enough that the sealed blob fills its bucket."""
    overhead = NONCE_BYTES + TAG_BYTES + LENGTH_BYTES
    total = padded_size(overhead + len(compressed))
    return (len(compressed).to_bytes(LENGTH_BYTES, "big") + compressed
            + bytes(total - overhead - len(compressed)))


def unpad(padded: bytes) -> bytes:
    """The compressed bytes inside `pad`'s output; ValueError if the length does not fit."""
    length = int.from_bytes(padded[:LENGTH_BYTES], "big")
    if len(padded) < LENGTH_BYTES or LENGTH_BYTES + length > len(padded):
        raise ValueError("padding length out of range")
    return padded[LENGTH_BYTES:LENGTH_BYTES + length]


def seal_file(content_key: bytes, path: str, data: bytes, nonce: bytes | None = None) -> bytes:
    """`nonce || AES-256-GCM(pad(gzip(data)))` with `path` (POSIX, portal-relative) bound
    as AD; the blob is exactly `padded_size` of its unpadded length.

    `nonce` is random unless given (only the test vector gives one).
    """
    return seal_compressed(content_key, path, compress(data), nonce)


def compress(data: bytes) -> bytes:
    """The gzip form `seal_file` seals: deterministic (no timestamp), so equal files give
    equal bytes, and a build may reuse the last build's (protection.gzip_pack)."""
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def seal_compressed(content_key: bytes, path: str, compressed: bytes,
                    nonce: bytes | None = None) -> bytes:
    """`seal_file` of the file whose `compress` form is `compressed`."""
    nonce = nonce if nonce is not None else secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(content_key).encrypt(nonce, pad(compressed), path.encode("utf-8"))


def open_file(content_key: bytes, path: str, blob: bytes) -> bytes:
    """The plaintext of a sealed file; raises IntegrityError if it was altered or moved."""
    nonce, ciphertext = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    try:
        padded = AESGCM(content_key).decrypt(nonce, ciphertext, path.encode("utf-8"))
        return gzip.decompress(unpad(padded))
    except (InvalidTag, ValueError, OSError, EOFError, zlib.error):
        raise IntegrityError(f"{path}: failed its integrity check") from None


def _wrapping_key(private: ec.EllipticCurvePrivateKey, public: ec.EllipticCurvePublicKey) -> bytes:
    shared = private.exchange(ec.ECDH(), public)
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=HKDF_INFO)
    return hkdf.derive(shared)


def _jwk_xy(public: ec.EllipticCurvePublicKey) -> dict[str, str]:
    numbers = public.public_numbers()
    return {"x": b64url(numbers.x.to_bytes(32, "big")), "y": b64url(numbers.y.to_bytes(32, "big"))}


def _public_from_xy(xy: dict[str, str]) -> ec.EllipticCurvePublicKey:
    x = int.from_bytes(b64url_decode(xy["x"]), "big")
    y = int.from_bytes(b64url_decode(xy["y"]), "big")
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()


def wrap_for_reader(
    content_key: bytes,
    reader: Reader,
    ephemeral: ec.EllipticCurvePrivateKey | None = None,
    nonce: bytes | None = None,
) -> dict[str, Any]:
    """One envelope entry: the content key wrapped for `reader`'s public key.

    A fresh ephemeral key and nonce are made unless given (only the test vector gives them).
    """
    ephemeral = ephemeral or ec.generate_private_key(ec.SECP256R1())
    nonce = nonce if nonce is not None else secrets.token_bytes(NONCE_BYTES)
    wrapping_key = _wrapping_key(ephemeral, reader.public_key())
    wrapped = AESGCM(wrapping_key).encrypt(nonce, content_key, WRAP_AD)
    return {
        "salt": reader.salt,
        "iterations": reader.iterations,
        "x": reader.x,
        "y": reader.y,
        "ephemeral": _jwk_xy(ephemeral.public_key()),
        "nonce": b64url(nonce),
        "wrapped": b64url(wrapped),
    }


def make_envelope(content_key: bytes, readers: Sequence[Reader], manifest: str) -> dict[str, Any]:
    """The public envelope: version, the manifest's path and one entry per reader, shuffled.

    Raises PorticoError if there is no reader (nobody could open the portal).
    """
    if not readers:
        raise PorticoError("no readers: add one with `portico reader add CLIENT READER_ID`")
    entries = [wrap_for_reader(content_key, reader) for reader in readers]
    secrets.SystemRandom().shuffle(entries)
    return {"version": ENVELOPE_VERSION, "manifest": manifest, "entries": entries}


def open_envelope(envelope: dict[str, Any], passphrase: str) -> bytes:
    """The content key, unwrapped with `passphrase`; raises WrongPassphraseError if none opens.

    Costs one PBKDF2 run per entry; an entry whose iteration count is outside
    MIN_ITERATIONS..MAX_ITERATIONS is skipped without deriving (too weak, or a planted
    count that would never finish).
    """
    for entry in _entries(envelope):
        private = derive_private_key(passphrase, b64url_decode(entry["salt"]), entry["iterations"])
        content_key = _unwrap_entry(private, entry)
        if content_key is not None:
            return content_key
    raise WrongPassphraseError("wrong passphrase: no reader entry of this portal opens with it")


def open_envelope_with_scalar(envelope: dict[str, Any], scalar: bytes) -> bytes:
    """The content key, unwrapped with a share link's 32-byte scalar (`#k=...`), no PBKDF2.

    The twin of `unwrapWithScalar` in assets/crypto.js, and like `open_envelope` it skips
    entries whose iteration count is out of range. Raises WrongPassphraseError if none opens.
    """
    value = int.from_bytes(scalar, "big")
    if len(scalar) != 32 or not 0 < value < P256_ORDER:
        raise WrongPassphraseError("this link does not open this portal")
    private = ec.derive_private_key(value, ec.SECP256R1())
    for entry in _entries(envelope):
        content_key = _unwrap_entry(private, entry)
        if content_key is not None:
            return content_key
    raise WrongPassphraseError("this link does not open this portal")


def _entries(envelope: dict[str, Any]) -> list[dict[str, Any]]:
    """The envelope's entries Portico may derive for; PorticoError for another version."""
    if envelope.get("version") != ENVELOPE_VERSION:
        raise PorticoError(f"unsupported envelope version {envelope.get('version')!r}")
    return [e for e in envelope.get("entries", []) if iterations_in_range(e.get("iterations"))]


def _unwrap_entry(private: ec.EllipticCurvePrivateKey, entry: dict[str, Any]) -> bytes | None:
    """The content key from one entry, or None if this private key is not the entry's."""
    if _jwk_xy(private.public_key()) != {"x": entry["x"], "y": entry["y"]}:
        return None
    wrapping_key = _wrapping_key(private, _public_from_xy(entry["ephemeral"]))
    try:
        nonce, wrapped = b64url_decode(entry["nonce"]), b64url_decode(entry["wrapped"])
        return AESGCM(wrapping_key).decrypt(nonce, wrapped, WRAP_AD)
    except InvalidTag:
        return None


def dumps(document: dict[str, Any]) -> bytes:
    """Compact, key-sorted JSON as Portico writes it (envelope and manifest)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")
