"""The file sealing of ARCHITECTURE.md §4, for any bytes and any path: what is sealed opens
unchanged under its own path and key, and nothing else opens at all."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portico.protection.envelope import NONCE_BYTES, IntegrityError, open_file, seal_file

keys = st.binary(min_size=32, max_size=32)
paths = st.text(max_size=120)  # any Unicode scalar values; a portal path is one of them
# Large files from a seed: hypothesis draws every byte of st.binary one by one, slowly.
large = st.builds(lambda seed, size: random.Random(seed).randbytes(size),
                  st.integers(0, 2**32), st.integers(60_000, 300_000))
contents = st.one_of(st.binary(max_size=2048), large)


@settings(max_examples=100, deadline=None)
@given(key=keys, path=paths, data=contents)
def test_what_is_sealed_opens_unchanged(key: bytes, path: str, data: bytes) -> None:
    blob = seal_file(key, path, data)
    assert open_file(key, path, blob) == data
    if len(data) >= 16:  # compressed, then encrypted: not even a piece shows
        assert data[:16] not in blob[NONCE_BYTES:]


@settings(max_examples=150, deadline=None)
@given(key=keys, path=paths, data=st.binary(max_size=2048), choice=st.data())
def test_any_flipped_bit_is_rejected(key: bytes, path: str, data: bytes,
                                     choice: st.DataObject) -> None:
    blob = bytearray(seal_file(key, path, data))
    bit = choice.draw(st.integers(0, len(blob) * 8 - 1), label="bit")
    blob[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(IntegrityError):
        open_file(key, path, bytes(blob))


@settings(max_examples=100, deadline=None)
@given(key=keys, path=paths, other=paths, data=st.binary(max_size=512))
def test_a_blob_opens_under_no_other_path(key: bytes, path: str, other: str, data: bytes) -> None:
    blob = seal_file(key, path, data)
    if other != path:
        with pytest.raises(IntegrityError):
            open_file(key, other, blob)


@settings(max_examples=100, deadline=None)
@given(key=keys, other=keys, path=paths, data=st.binary(max_size=512), choice=st.data())
def test_another_key_or_a_cut_blob_is_rejected(key: bytes, other: bytes, path: str, data: bytes,
                                               choice: st.DataObject) -> None:
    blob = seal_file(key, path, data)
    if other != key:
        with pytest.raises(IntegrityError):
            open_file(other, path, blob)
    cut = choice.draw(st.integers(0, len(blob) - 1), label="length")
    with pytest.raises(IntegrityError):
        open_file(key, path, blob[:cut])
