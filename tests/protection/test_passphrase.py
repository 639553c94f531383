"""Passphrases: what a generated one is made of, and what a chosen one must reach."""

from __future__ import annotations

import math

import pytest

from portico.content.errors import PorticoError
from portico.protection.passphrase import generate_passphrase, passphrase_words


def test_a_generated_passphrase_is_eight_short_common_words_of_over_80_bits() -> None:
    """Words a CEO can be handed: the EFF's short list (three to five letters, chosen to be
    common), eight of them, so stronger than the six long-list words used before."""
    words = passphrase_words()
    assert len(words) == 1296 and all(3 <= len(word) <= 5 for word in words)
    assert not {"strangle", "radiantly"} & set(words)
    passphrase = generate_passphrase()
    parts = passphrase.split("-")
    assert len(parts) == 8 and all(part in words for part in parts)
    assert len(parts) * math.log2(len(words)) > 82
    assert generate_passphrase() != passphrase


def test_too_few_words_are_refused() -> None:
    with pytest.raises(PorticoError, match="70 bits"):
        generate_passphrase(words=4)
