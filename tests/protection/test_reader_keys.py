"""Reader keys: a passphrase gives the same key however its characters were composed."""

from __future__ import annotations

import unicodedata

from portico.protection.reader_keys import derive_public_key


def test_the_passphrase_is_normalised_before_derivation() -> None:
    salt = bytes(16)
    composed = "Zürich déjà vu, twelve+"
    decomposed = unicodedata.normalize("NFD", composed)
    assert derive_public_key(composed, salt, 600_000) == derive_public_key(
        f"  {decomposed}\n", salt, 600_000
    )
