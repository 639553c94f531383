"""Chunked sealing: a large file is sealed, verified and scanned a chunk at a time, and no
chunk opens anywhere but at its own place in its own file."""

from __future__ import annotations

import io
import json
import random
import tracemalloc
from pathlib import Path

import pytest

from portico.content.errors import BuildError
from portico.content.windows import MIN_OVERLAP, WINDOW_BYTES
from portico.protection.chunked import (
    CHUNK_BYTES,
    CHUNKED_THRESHOLD,
    SEALED_CHUNK_BYTES,
    chunk_count,
    open_stream,
    seal_stream,
)
from portico.protection.envelope import IntegrityError, new_content_key, open_file
from portico.protection.protect import ProtectionResult, protect_site
from portico.protection.readers import Reader, add_reader, load_readers
from portico.protection.verify import scan_for_leaks, verify_roundtrip, verify_with_passphrase

PASSPHRASE = "tidy-otter-lantern-quarry-velvet-ember"
PRACTICE = "Example CTO Practice"
PATH = "files/1.bin"


def _random_bytes(size: int, seed: int = 22) -> bytes:
    return random.Random(seed).randbytes(size)


def _seal(key: bytes, path: str, data: bytes) -> bytes:
    sink = io.BytesIO()
    sealed = seal_stream(key, path, io.BytesIO(data), sink)
    assert sealed.size == len(data) and sealed.chunks == chunk_count(len(data))
    return sink.getvalue()


def _open(key: bytes, path: str, blob: bytes, size: int) -> bytes:
    return b"".join(open_stream(key, path, io.BytesIO(blob), size))


def _chunks(blob: bytes) -> list[bytes]:
    return [blob[i:i + SEALED_CHUNK_BYTES] for i in range(0, len(blob), SEALED_CHUNK_BYTES)]


@pytest.fixture(scope="module")
def sealed() -> tuple[bytes, bytes, bytes]:
    """(content key, a 3.5-chunk file, its blob)."""
    key = new_content_key()
    data = _random_bytes(3 * CHUNK_BYTES + CHUNK_BYTES // 2)
    return key, data, _seal(key, PATH, data)


@pytest.mark.parametrize("size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1,
                                  3 * CHUNK_BYTES + 12345])
def test_a_chunked_file_opens_to_its_own_bytes(size: int) -> None:
    key = new_content_key()
    data = _random_bytes(size)
    blob = _seal(key, PATH, data)
    # Every chunk is the same size, the last padded: the blob says the size to the MiB only.
    assert len(blob) == chunk_count(size) * SEALED_CHUNK_BYTES
    assert _open(key, PATH, blob, size) == data


def test_chunks_in_another_order_are_refused(sealed: tuple[bytes, bytes, bytes]) -> None:
    key, data, blob = sealed
    chunks = _chunks(blob)
    swapped = b"".join([chunks[1], chunks[0], *chunks[2:]])
    with pytest.raises(IntegrityError, match="chunk 0"):
        _open(key, PATH, swapped, len(data))


def test_a_dropped_chunk_is_refused(sealed: tuple[bytes, bytes, bytes]) -> None:
    key, data, blob = sealed
    chunks = _chunks(blob)
    with pytest.raises(IntegrityError):
        _open(key, PATH, b"".join([chunks[0], *chunks[2:]]), len(data))
    # Even told the file is a chunk shorter, the chunk that moved up is not at its index.
    with pytest.raises(IntegrityError, match="chunk 1"):
        _open(key, PATH, b"".join([chunks[0], *chunks[2:]]), len(data) - CHUNK_BYTES)


def test_a_stream_cut_before_its_last_chunk_is_refused(
        sealed: tuple[bytes, bytes, bytes]) -> None:
    key, data, blob = sealed
    cut = b"".join(_chunks(blob)[:-1])
    with pytest.raises(IntegrityError, match="cut short"):
        _open(key, PATH, cut, len(data))
    with pytest.raises(IntegrityError, match="cut short"):
        _open(key, PATH, blob[:-1], len(data))
    # A reader that took the end of the stream for the end of the file still refuses it:
    # the chunk now last was sealed as "not the last".
    with pytest.raises(IntegrityError, match="chunk 2"):
        _open(key, PATH, cut, 3 * CHUNK_BYTES)


def test_a_chunk_from_another_file_is_refused(sealed: tuple[bytes, bytes, bytes]) -> None:
    key, data, blob = sealed
    other = _chunks(_seal(key, "files/2.bin", _random_bytes(len(data), seed=7)))
    chunks = _chunks(blob)
    mixed = b"".join([chunks[0], other[1], *chunks[2:]])  # same index, same key
    with pytest.raises(IntegrityError, match="chunk 1"):
        _open(key, PATH, mixed, len(data))
    with pytest.raises(IntegrityError):  # the whole blob served at another path
        _open(key, "files/2.bin", blob, len(data))


def test_an_extra_chunk_is_refused(sealed: tuple[bytes, bytes, bytes]) -> None:
    key, data, blob = sealed
    with pytest.raises(IntegrityError, match="more than"):
        _open(key, PATH, blob + _chunks(blob)[1], len(data))


def test_any_flipped_bit_of_a_chunk_is_refused(sealed: tuple[bytes, bytes, bytes]) -> None:
    key, data, blob = sealed
    start = 2 * SEALED_CHUNK_BYTES
    # the nonce, the ciphertext's first and last bytes, and the tag
    for position in (start, start + 11, start + 12, start + SEALED_CHUNK_BYTES - 17,
                     start + SEALED_CHUNK_BYTES - 1):
        damaged = bytearray(blob)
        damaged[position] ^= 0x04
        opened = open_stream(key, PATH, io.BytesIO(bytes(damaged)), len(data))
        assert next(opened) == data[:CHUNK_BYTES] and next(opened)  # the chunks before it
        with pytest.raises(IntegrityError, match="chunk 2"):
            next(opened)  # no byte of the damaged chunk comes out


def test_a_chunk_and_a_whole_blob_never_pass_for_each_other() -> None:
    key = new_content_key()
    blob = _seal(key, PATH, b"small")
    with pytest.raises(IntegrityError):
        open_file(key, PATH, blob)


# --- protect and verify ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def readers(tmp_path_factory: pytest.TempPathFactory) -> list[Reader]:
    path = tmp_path_factory.mktemp("client") / "readers.yml"
    add_reader(path, "dana", "Dana", PASSPHRASE)
    return load_readers(path)


def _site(folder: Path, files: dict[str, bytes]) -> Path:
    for rel, data in {"index.html": b"<p>home</p>", **files}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def _protect(tmp_path: Path, readers: list[Reader], files: dict[str, bytes]) -> ProtectionResult:
    plain = _site(tmp_path / "plain", files)
    return protect_site(plain, tmp_path / "out", readers, practice_name=PRACTICE)


def test_protect_chunks_only_files_over_the_threshold(tmp_path: Path,
                                                      readers: list[Reader]) -> None:
    big = _random_bytes(CHUNKED_THRESHOLD + 1)
    result = _protect(tmp_path, readers, {PATH: big, "files/edge.bin": big[:-1]})
    files = {f.path: f for f in result.files}
    assert files[PATH].chunks == 5 and files[PATH].size == len(big)
    assert files["files/edge.bin"].chunks == 0  # at the threshold: sealed whole, gzipped
    assert (result.out / files[PATH].blob).stat().st_size == 5 * SEALED_CHUNK_BYTES
    assert verify_roundtrip(result.out, result) == 3
    assert verify_with_passphrase(result.out, PASSPHRASE) == 3
    manifest = json.loads(open_file(result.content_key, "_portico/manifest.bin",
                                    (result.out / "_portico/manifest.bin").read_bytes()))
    assert manifest["files"][PATH]["chunked"] == {"chunk_bytes": CHUNK_BYTES, "chunks": 5,
                                                  "size": len(big)}
    assert "chunked" not in manifest["files"]["files/edge.bin"]


def test_verify_names_a_chunked_file_with_a_damaged_chunk(tmp_path: Path,
                                                          readers: list[Reader]) -> None:
    result = _protect(tmp_path, readers, {PATH: _random_bytes(6 * CHUNK_BYTES)})
    blob = result.out / next(f.blob for f in result.files if f.path == PATH)
    with blob.open("r+b") as handle:  # the last chunk's last byte: the whole file is read
        handle.seek(-1, 2)
        last = handle.read(1)
        handle.seek(-1, 2)
        handle.write(bytes([last[0] ^ 1]))
    with pytest.raises(BuildError, match=f"{PATH}: .*chunk 5 failed its integrity check"):
        verify_roundtrip(result.out, result)
    with pytest.raises(BuildError, match=f"{PATH}: .*chunk 5"):
        verify_with_passphrase(result.out, PASSPHRASE)


def _text_with(phrases: dict[int, str], size: int) -> bytes:
    """`size` bytes of filler text with each phrase placed so that it starts at its offset,
    a space either side."""
    text = bytearray((b"lorem ipsum dolor sit amet " * (size // 27 + 1))[:size])
    for offset, phrase in phrases.items():
        text[offset - 1:offset + len(phrase) + 1] = f" {phrase} ".encode()
    return bytes(text)


# Straddling every edge there is: chunk and window starts (multiples of a MiB), and a
# window's end (a MiB plus the overlap).
SPLIT = {CHUNK_BYTES - 4: "Quillfeather Holdings", 2 * CHUNK_BYTES - 11: "Zephyrcloud Tender",
         WINDOW_BYTES + MIN_OVERLAP - 6: "Marguerite Obrien", 4 * CHUNK_BYTES - 1: "Kestrel Ridge"}


def test_a_forgotten_phrase_split_across_chunks_is_found(tmp_path: Path,
                                                         readers: list[Reader]) -> None:
    data = _text_with(SPLIT, 5 * CHUNK_BYTES)
    result = _protect(tmp_path, readers, {"search/big.json": data})
    assert result.files[-1].chunks == 5
    with pytest.raises(BuildError) as failed:
        verify_roundtrip(result.out, result, forgotten=list(SPLIT.values()))
    for phrase in SPLIT.values():
        assert f"holds {phrase!r}" in str(failed.value)


def test_a_marker_split_across_windows_is_found_by_the_leak_scan(tmp_path: Path) -> None:
    site = _site(tmp_path, {"files/big.txt": _text_with(SPLIT, 5 * CHUNK_BYTES)})
    found = {leak.marker for leak in scan_for_leaks(site, SPLIT.values())}
    assert found == set(SPLIT.values())
    words = {leak.marker for leak in scan_for_leaks(site, [], words=["Kestrel", "Obrien"])}
    assert words == {"Kestrel", "Obrien"}


def test_a_word_cut_by_a_window_edge_is_no_leak(tmp_path: Path) -> None:
    # "quokka" starts the second window exactly, but in the file it ends "zzzquokka".
    start = WINDOW_BYTES
    site = _site(tmp_path, {"files/big.txt": _text_with({start - 3: "zzzquokka"},
                                                        3 * CHUNK_BYTES)})
    assert scan_for_leaks(site, [], words=["quokka"]) == []
    assert [leak.marker for leak in scan_for_leaks(site, [], words=["zzzquokka"])] == ["zzzquokka"]


def test_sealing_and_verifying_64_mb_holds_a_few_chunks_at_most(
        tmp_path: Path, readers: list[Reader]) -> None:
    plain = _site(tmp_path / "plain", {})
    with (plain / "big.bin").open("wb") as handle:  # written in pieces, never held whole
        rng = random.Random(22)
        for _ in range(64):
            handle.write(rng.randbytes(CHUNK_BYTES))
    tracemalloc.start()
    try:
        result = protect_site(plain, tmp_path / "out", readers, practice_name=PRACTICE)
        verify_roundtrip(result.out, result, forgotten=["Quillfeather Holdings"])
        verify_with_passphrase(result.out, PASSPHRASE, forgotten=["Quillfeather Holdings"])
        scan_for_leaks(result.out, ["Quillfeather Holdings"], words=["quokkafjord"],
                       sealed={f.blob for f in result.files})  # as `build` calls it
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert next(f for f in result.files if f.path == "big.bin").chunks == 64
    assert peak < 10 * CHUNK_BYTES, f"peak {peak / CHUNK_BYTES:.1f} MiB traced"


def test_the_leak_scan_of_a_large_file_holds_one_window_at_a_time(tmp_path: Path) -> None:
    """`portico verify` without a passphrase reads every blob: a window of binary bytes
    costs about 30 times its size in text views, whatever the size of the file."""
    site = _site(tmp_path, {})
    with (site / "big.bin").open("wb") as handle:
        rng = random.Random(22)
        for _ in range(16):
            handle.write(rng.randbytes(CHUNK_BYTES))
    tracemalloc.start()
    try:
        scan_for_leaks(site, ["Quillfeather Holdings"], words=["quokkafjord"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * CHUNK_BYTES, f"peak {peak / CHUNK_BYTES:.1f} MiB traced"
