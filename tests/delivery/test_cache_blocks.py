"""The build cache's inputs key: read a block at a time, the same as if read whole."""

from __future__ import annotations

import hashlib
import random
import tracemalloc
from pathlib import Path

import pytest

from portico.delivery.cache import _hash_tree, _replaced


@pytest.mark.parametrize("block", [1, 2, 3, 5, 17, 4096])
def test_a_replacement_straddling_blocks_is_made_as_on_the_whole(block: int) -> None:
    rng = random.Random(block)
    old = b"/work/.a1b2"
    data = b"".join(rng.choice([old, old[:5], b"x", b"/work/", b"\n" * 3]) for _ in range(400))
    pieces = [data[i:i + block] for i in range(0, len(data), block)]
    assert b"".join(_replaced(pieces, old, b"<here>")) == data.replace(old, b"<here>")
    assert b"".join(_replaced(pieces, b"", b"<here>")) == data


def test_the_key_ignores_the_build_folder_s_own_name(tmp_path: Path) -> None:
    def key(folder: Path) -> str:
        (folder / "files").mkdir(parents=True)
        (folder / "mkdocs.yml").write_text(f"docs_dir: {folder}/docs\n")
        (folder / "files/1.bin").write_bytes(b"\0" * 5000)
        digest = hashlib.sha256()
        _hash_tree(digest, folder, "docs", at=str(folder).encode())
        return digest.hexdigest()

    assert key(tmp_path / ".build.x7f3") == key(tmp_path / ".build.q9k2")


def test_hashing_a_large_attachment_holds_a_few_blocks_at_a_time(tmp_path: Path) -> None:
    with (tmp_path / "big.bin").open("wb") as handle:
        for _ in range(32):
            handle.write(random.Random(1).randbytes(1 << 20))
    tracemalloc.start()
    try:
        _hash_tree(hashlib.sha256(), tmp_path, "client", at=b"/no/such/folder")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, f"peak {peak / 2**20:.1f} MiB traced"
