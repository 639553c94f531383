"""Passphrases: the words a generated one is made of, and how strong a chosen one must be.

What a reader types is settled here; what readers.yml keeps of it (a public key, derived
in readers.py) is not. `readers` re-exports these names, where callers found them first.
"""

from __future__ import annotations

import functools
import math
import re
import secrets
import unicodedata
from collections.abc import Sequence
from importlib import resources

from portico.content.errors import PorticoError

__all__ = [
    "MIN_CHOSEN_PASSPHRASE_BITS",
    "MIN_PASSPHRASE_BITS",
    "MIN_PASSPHRASE_LENGTH",
    "PASSPHRASE_WORDS",
    "check_chosen_passphrase",
    "check_passphrase",
    "eff_words",
    "generate_passphrase",
    "normalize_passphrase",
    "passphrase_bits",
    "passphrase_words",
]

MIN_PASSPHRASE_LENGTH = 12
# Eight words of EFF's short list: 82.7 bits, more than the six long-list words (77.5) used
# before, in about as many letters, and every word short and common.
PASSPHRASE_WORDS = 8
MIN_PASSPHRASE_BITS = 70
MIN_CHOSEN_PASSPHRASE_BITS = 60
"""A chosen passphrase needs log2(zxcvbn guesses) of at least this; a generated one has ~77."""
ZXCVBN_MAX_LENGTH = 72
"""zxcvbn refuses longer input; the first 72 characters alone give a lower bound."""


@functools.cache
def _eff_words(name: str) -> tuple[str, ...]:  # read once: every readers.yml line asks
    text = (resources.files("xkcdpass") / "static" / name).read_text("utf-8")
    return tuple(sorted({line.strip() for line in text.splitlines() if line.strip()}))


def passphrase_words() -> list[str]:
    """The words generated passphrases are made of: EFF's short word list 1 (1,296 words of
    three to five letters, chosen by the EFF to be common, easy to type and to say aloud,
    and free of words people find upsetting), as xkcdpass ships it."""
    return list(_eff_words("eff-short"))


@functools.lru_cache(maxsize=1)
def eff_words() -> frozenset[str]:
    """Every word of EFF's long and short lists, for spotting a passphrase written down,
    whichever list made it."""
    return frozenset(_eff_words("eff-long")) | frozenset(_eff_words("eff-short"))


def generate_passphrase(words: int = PASSPHRASE_WORDS) -> str:
    """A fresh passphrase of `words` words of `passphrase_words()` joined by '-' (8 words ≈
    82.7 bits), such as `acorn-tidy-flint-olive-penny-dome-royal-cub`.

    Raises PorticoError if the word count would give under 70 bits.
    """
    wordlist = passphrase_words()
    if words * math.log2(len(wordlist)) < MIN_PASSPHRASE_BITS:
        raise PorticoError(f"{words} words give under {MIN_PASSPHRASE_BITS} bits; use more")
    return "-".join(secrets.choice(wordlist) for _ in range(words))


def normalize_passphrase(passphrase: str) -> str:
    """NFC-normalise and strip, exactly as the browser does before deriving."""
    return unicodedata.normalize("NFC", passphrase).strip()


def check_passphrase(passphrase: str) -> str:
    """The normalised passphrase; raises PorticoError if it is under 12 characters."""
    normalized = normalize_passphrase(passphrase)
    if len(normalized) < MIN_PASSPHRASE_LENGTH:
        raise PorticoError(
            f"passphrase too short: {len(normalized)} characters, at least "
            f"{MIN_PASSPHRASE_LENGTH} needed (or omit it and let `portico reader add` make one)"
        )
    return normalized


def check_chosen_passphrase(passphrase: str, user_inputs: Sequence[str] = ()) -> str:
    """The normalised passphrase, if it is long enough and strong enough; else PorticoError.

    Strength is zxcvbn's estimate, log2(guesses), against MIN_CHOSEN_PASSPHRASE_BITS;
    `user_inputs` (everything `guessable.guessable_words` lists: the practice's name, the
    client's slug, name and contacts, the reader's id and label, the year) count as words
    an attacker knows, so a passphrase made of them scores low. Generated passphrases
    need no estimate: eight EFF short-list words are ~82 bits by construction.
    """
    normalized = check_passphrase(passphrase)
    bits = passphrase_bits(normalized, user_inputs)
    if bits < MIN_CHOSEN_PASSPHRASE_BITS:
        raise PorticoError(
            f"passphrase too weak: about {bits:.0f} bits by the zxcvbn estimate, at least "
            f"{MIN_CHOSEN_PASSPHRASE_BITS} needed; omit --passphrase-stdin to get a generated "
            "eight-word passphrase (about 82 bits)"
        )
    return normalized


def passphrase_bits(passphrase: str, user_inputs: Sequence[str] = ()) -> float:
    """zxcvbn's strength estimate of `passphrase` in bits: log2 of the guesses it needs."""
    from zxcvbn import zxcvbn  # loads its word lists; only `reader add` pays for that

    words = {w for text in user_inputs
             for w in (text, re.sub(r"[\W_]+", "", text), *re.split(r"[\W_]+", text)) if w}
    guesses = zxcvbn(passphrase[:ZXCVBN_MAX_LENGTH], user_inputs=sorted(words))["guesses"]
    return math.log2(guesses)
