"""Overlapping windows: whatever is no longer than the overlap lies whole in some window, and
no window starts or ends inside a UTF-8 character."""

from __future__ import annotations

import random
import re

import pytest

from portico.content.windows import inner_matches, uncut_words, windows


def _pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("piece", [1, 7, 64, 1000])
def test_every_stretch_up_to_the_overlap_lies_whole_in_a_window(piece: int) -> None:
    data = random.Random(piece).randbytes(300)
    found = list(windows(_pieces(data, piece), overlap=8, size=32))
    assert found[0].first and found[-1].last and not any(w.last for w in found[:-1])
    assert b"".join(w.data[:w.advance] for w in found) == data  # the windows tile the file
    for w in found:
        assert data[w.start:w.start + len(w.data)] == w.data
    for length in range(1, 9):
        for start in range(len(data) - length + 1):
            assert any(w.start <= start and start + length <= w.start + len(w.data)
                       for w in found), (start, length)


def test_a_small_file_is_one_window() -> None:
    [only] = windows([b"abc", b"def"], overlap=8, size=32)
    assert (only.data, only.first, only.last) == (b"abcdef", True, True)
    assert list(windows([], overlap=8, size=32))[0].data == b""


def test_no_window_cuts_a_character() -> None:
    text = "zoë😀é" * 40
    for w in windows(_pieces(text.encode(), 5), overlap=8, size=32):
        w.data.decode("utf-8")  # raises if a window starts or ends inside a character


@pytest.mark.parametrize("size", [3, 5, 8, 13])
def test_a_word_at_a_cut_edge_is_left_to_the_window_beside_it(size: int) -> None:
    """Every window sees only whole words, and together they see every word: never `quokka`
    of `zzquokka`, nor `quok` of `quokka`."""
    text = "aaaa zzquokka bb quokka, quokkaquokka. é-zoë"
    word = re.compile(r"[^\W_]+")
    expected = set(word.findall(text))
    found = list(windows(_pieces(text.encode(), 4), overlap=13, size=size))
    assert len(found) > 2
    assert {m.group() for w in found
            for m in inner_matches(word, w.data.decode(), w)} == expected
    assert {match for w in found
            for match in word.findall(uncut_words(w.data.decode(), w))} == expected
