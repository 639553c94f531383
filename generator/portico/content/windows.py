"""Large files read as overlapping windows, so a search never holds the whole file.

A search for needles of at most `overlap` bytes finds every occurrence in some window:
window k starts `overlap` bytes before window k-1 ends, so whatever starts in window k-1's
own part and is no longer than that ends inside it. A match that touches a window's cut
edge (`first` / `last` say which edges are real) may be a piece of something longer, so
whole-word searches drop those (`inner_matches`); the next or previous window holds them
whole. Windows are cut between UTF-8 characters, never inside one, so each decodes as the
file does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MIN_OVERLAP", "WINDOW_BYTES", "Window", "file_pieces", "inner_matches", "overlap_for",
           "uncut_words", "windows"]

WINDOW_BYTES = 1024 * 1024
"""The new bytes each window brings (it also repeats `overlap` bytes of the one before)."""
MIN_OVERLAP = 64 * 1024
"""The least overlap between windows, whatever is searched: more than any tag or escape a
match may sit behind in a decoded view (the longest marker's forms need far less)."""
_ENCODED_CHAR_BYTES = 16
"""More than the longest form one character takes in a file: `&#x10ffff;`, `%F0%9F%98%80`
(4 bytes URL-encoded), `\\ud83d\\ude00` (a JSON surrogate pair)."""
_MAX_CHAR_BYTES = 4
_WORD_RUN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Window:
    """A stretch of a file: `data` starts at byte `start` of it."""

    data: bytes
    start: int
    first: bool
    last: bool
    advance: int
    """Bytes from this window's start to the next one's (all of `data` for the last)."""


def file_pieces(path: Path, size: int = WINDOW_BYTES) -> Iterator[bytes]:
    """The bytes of the file at `path`, `size` at a time."""
    with path.open("rb") as handle:
        while piece := handle.read(size):
            yield piece


def windows(pieces: Iterable[bytes], overlap: int,
            size: int = WINDOW_BYTES) -> Iterator[Window]:
    """Overlapping windows over the bytes `pieces` yield in turn (one window if they are
    no more than `size + overlap` bytes). Holds about one window and one piece at a time."""
    buffer = bytearray()
    start = 0
    first = True
    stream = iter(pieces)
    ended = False
    while True:
        while not ended and len(buffer) <= size + overlap:
            piece = next(stream, None)
            if piece is None:
                ended = True
            else:
                buffer += piece
        if ended and len(buffer) <= size + overlap:
            yield Window(bytes(buffer), start, first, True, len(buffer))
            return
        end = _char_start(buffer, size + overlap)
        following = _char_start(buffer, end - overlap)
        if following <= 0:  # a pathological run of continuation bytes: cut anywhere
            end, following = size + overlap, size
        yield Window(bytes(memoryview(buffer)[:end]), start, first, False, following)
        del buffer[:following]
        start += following
        first = False


def overlap_for(texts: Iterable[str]) -> int:
    """The overlap windows need for a search of `texts` in any encoded form: longer than the
    longest of them with every character in its longest form, and never below MIN_OVERLAP."""
    return max([MIN_OVERLAP, *(_ENCODED_CHAR_BYTES * len(text) + 1 for text in texts)])


def inner_matches(pattern: re.Pattern[str], text: str,
                  window: Window) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in `text` (a view of `window`'s bytes), but for any that
    touches an edge where the window cut the file: the windows beside it hold those whole."""
    return (match for match in pattern.finditer(text) if not _at_cut(match, text, window))


def uncut_words(text: str, window: Window) -> str:
    """`text` (a view of `window`'s bytes) without the run of letters and digits at an edge
    where the window cut the file: it may be the end of a longer word. The windows beside
    it hold that word whole."""
    start, end = 0, len(text)
    if not window.first and (leading := _WORD_RUN.match(text)):
        start = leading.end()
    if not window.last and (trailing := _WORD_RUN.match(text[::-1])):
        end -= trailing.end()
    return text[start:max(start, end)]


def _at_cut(match: re.Match[str], text: str, window: Window) -> bool:
    return (match.start() == 0 and not window.first) or \
        (match.end() == len(text) and not window.last)


def _char_start(buffer: bytearray, position: int) -> int:
    """`position`, or the nearest start of a UTF-8 character before it (at most 3 back)."""
    position = min(position, len(buffer))
    for _ in range(_MAX_CHAR_BYTES - 1):
        if position < len(buffer) and 0x80 <= buffer[position] < 0xC0:
            position -= 1
    return position
