"""The key a passphrase gives: the Python side of what assets/crypto.js repeats.

A reader holds a passphrase. PBKDF2-HMAC-SHA256 over the passphrase and the
reader's random salt gives 32 bytes; `int(bytes) mod (n - 1) + 1` is a P-256
private scalar; its public key is what readers.yml keeps. The browser repeats
`derive_private_scalar` with WebCrypto; a passphrase is NFC-normalised and stripped of
surrounding whitespace on both sides. `readers` re-exports these names.
"""

from __future__ import annotations

import base64
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from portico.protection.passphrase import normalize_passphrase

__all__ = [
    "P256_ORDER",
    "b64url",
    "b64url_decode",
    "derive_private_key",
    "derive_private_scalar",
    "derive_public_key",
    "share_link_fragment",
]

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
"""n, the order of the P-256 group; the scalar is `int(pbkdf2) mod (n - 1) + 1`."""


def b64url(data: bytes) -> str:
    """Base64url without padding, the encoding of every binary value in Portico's files."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Inverse of `b64url`; raises ValueError on anything that is not base64url."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def derive_private_scalar(passphrase: str, salt: bytes, iterations: int) -> int:
    """The P-256 private scalar of a passphrase: `int(PBKDF2(...)) mod (n - 1) + 1`."""
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    raw = kdf.derive(normalize_passphrase(passphrase).encode("utf-8"))
    return int.from_bytes(raw, "big") % (P256_ORDER - 1) + 1


def derive_private_key(passphrase: str, salt: bytes, iterations: int) -> ec.EllipticCurvePrivateKey:
    """The reader's P-256 private key (exists only while a passphrase is in hand)."""
    scalar = derive_private_scalar(passphrase, salt, iterations)
    return ec.derive_private_key(scalar, ec.SECP256R1())


def derive_public_key(passphrase: str, salt: bytes, iterations: int) -> tuple[str, str]:
    """The reader's public key as JWK (x, y), base64url; costs one PBKDF2 run."""
    numbers = derive_private_key(passphrase, salt, iterations).public_key().public_numbers()
    return b64url(numbers.x.to_bytes(32, "big")), b64url(numbers.y.to_bytes(32, "big"))


def share_link_fragment(private: ec.EllipticCurvePrivateKey) -> str:
    """`#k=` and the private scalar, base64url: what the portal's takeShareSecret reads."""
    return "#k=" + b64url(private.private_numbers().private_value.to_bytes(32, "big"))
