"""A portal of many files is sealed in two processes (protection.sealing): every blob opens
to its own file's bytes, each spare file is written over by one process only, and the next
build's pack holds the compressed form of every file, whichever process sealed it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portico.delivery import forked
from portico.protection import sealing
from portico.protection.envelope import open_file
from portico.protection.gzip_pack import GzipPack
from portico.protection.protect import protect_site
from portico.protection.readers import Reader, add_reader, load_readers
from portico.protection.spare import SpareFiles

FILES = 300


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    path = tmp_path_factory.mktemp("client") / "readers.yml"
    add_reader(path, "ceo", "Chief executive", "gauge-sealing-test-phrase")
    return load_readers(path)[0]


def _site(site: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for n in range(FILES):
        rel = f"p{n}/index.html" if n % 3 else f"files/f{n}.txt"
        data = f"<p>{' '.join(f'word{n}-{i}' for i in range(200))}</p>".encode()
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
        files[rel] = data
    return files


def _protect(site: Path, out: Path, reader: Reader, pack: GzipPack,
             spare: SpareFiles | None = None) -> tuple[dict[str, bytes], set[int]]:
    """(every protected file, decrypted; the inodes of its blobs)."""
    with pack:
        result = protect_site(site, out, [reader], practice_name="Practice", gzip_pack=pack,
                              spare=spare)
    opened = {f.path: open_file(result.content_key, f.path, (out / f.blob).read_bytes())
              for f in result.files}
    return opened, {(out / f.blob).stat().st_ino for f in result.files}


def test_two_processes_seal_every_file_and_fill_the_pack(
        tmp_path: Path, reader: Reader, monkeypatch: pytest.MonkeyPatch) -> None:
    assert FILES >= sealing.SHARE_FROM and (os.cpu_count() or 1) >= 2
    children: list[int] = []
    start = forked.Forked._start

    def counted(self: forked.Forked[object]) -> None:
        start(self)
        children.append(self._pid)

    monkeypatch.setattr(forked.Forked, "_start", counted)
    site = tmp_path / "site"
    files = _site(site)
    spare = tmp_path / "spare"
    spare.mkdir()
    for n in range(FILES + 40):
        (spare / f"old-{n}").write_bytes(b"LEFTOVER " * 2_000)  # longer than any blob
    old = {path.stat().st_ino for path in spare.iterdir()}

    opened, inodes = _protect(site, tmp_path / "one", reader,
                              GzipPack(None, tmp_path / "one.pack"), SpareFiles(spare))
    assert len(children) == 1  # half the files were sealed in a forked child
    assert opened == files
    assert len(inodes) == FILES and inodes <= old  # every blob written over a spare file
    assert len(list(spare.iterdir())) == 40  # and each spare file taken once

    again = GzipPack(tmp_path / "one.pack", tmp_path / "two.pack")
    opened, _ = _protect(site, tmp_path / "two", reader, again)
    assert opened == files
    assert again.reused == FILES  # the child's compressed files went into the pack too
