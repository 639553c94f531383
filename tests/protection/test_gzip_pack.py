"""A build compresses only the files that changed since the last (protection.gzip_pack): the
rest come from the last build's pack, and every blob still decrypts to its file's bytes
under this build's fresh key, whatever state the pack is in."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import portico.protection.gzip_pack as gzip_pack
from portico.protection.envelope import compress, open_file
from portico.protection.gzip_pack import GzipPack
from portico.protection.protect import protect_site
from portico.protection.readers import Reader, add_reader, load_readers


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    path = tmp_path_factory.mktemp("client") / "readers.yml"
    add_reader(path, "ceo", "Chief executive", "gauge-pack-reuse-test-phrase")
    return load_readers(path)[0]


def _pages(site: Path, count: int, edited: int | None = None) -> None:
    for n in range(count):
        page = site / f"p{n}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        words = " ".join(f"word{n}-{i}" for i in range(300))
        page.write_text(f"<p>{words}{' edited' if n == edited else ''}</p>", "utf-8")


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def counted(data: bytes) -> bytes:
        calls.append(len(data))
        return compress(data)

    monkeypatch.setattr(gzip_pack, "compress", counted)
    return calls


def _protect(site: Path, out: Path, reader: Reader, pack: GzipPack) -> dict[str, bytes]:
    """Every file of the protected site, decrypted with the build's key."""
    with pack:
        result = protect_site(site, out, [reader], practice_name="Practice", gzip_pack=pack)
    return {f.path: open_file(result.content_key, f.path, (out / f.blob).read_bytes())
            for f in result.files}


def test_the_next_build_compresses_only_what_changed(tmp_path: Path, reader: Reader,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site, pack = tmp_path / "site", tmp_path / "gzip.pack"
    _pages(site, 20)
    calls = _counting(monkeypatch)
    _protect(site, tmp_path / "one", reader, GzipPack(None, pack))
    assert len(calls) == 20 and pack.is_file()
    _pages(site, 20, edited=7)
    calls.clear()
    again = GzipPack(pack, tmp_path / "gzip2.pack")
    opened = _protect(site, tmp_path / "two", reader, again)
    assert len(calls) == 1 and again.reused == 19  # the edited page alone
    assert opened["p7/index.html"].endswith(b" edited</p>")
    for path, data in opened.items():
        assert data == (site / path).read_bytes(), path


@pytest.mark.parametrize("damage", ["missing", "cut short", "not a pack", "index lies"])
def test_a_damaged_pack_costs_only_the_compression(tmp_path: Path, reader: Reader,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   damage: str) -> None:
    site, pack = tmp_path / "site", tmp_path / "gzip.pack"
    _pages(site, 5)
    _protect(site, tmp_path / "one", reader, GzipPack(None, pack))
    data = pack.read_bytes()
    if damage == "missing":
        pack.unlink()
    elif damage == "cut short":
        pack.write_bytes(data[: len(data) // 2])
    elif damage == "not a pack":
        pack.write_bytes(b"\x00" * 64)
    else:  # an index whose entries point past the end
        digest = hashlib.sha256((site / "p0/index.html").read_bytes()).hexdigest()
        index = f'{{"{digest}": [999999, 10]}}'.encode()
        pack.write_bytes(index + (0).to_bytes(8, "big"))
    calls = _counting(monkeypatch)
    opened = _protect(site, tmp_path / "two", reader, GzipPack(pack, tmp_path / "next.pack"))
    assert len(calls) == 5
    for path, plain in opened.items():
        assert plain == (site / path).read_bytes(), path


def test_a_failed_build_leaves_the_last_pack_alone(tmp_path: Path, reader: Reader) -> None:
    site, pack = tmp_path / "site", tmp_path / "gzip.pack"
    _pages(site, 3)
    _protect(site, tmp_path / "one", reader, GzipPack(None, pack))
    before = pack.read_bytes()
    with pytest.raises(RuntimeError), GzipPack(pack, pack) as again:
        again.compress("0" * 64, b"half a build")
        raise RuntimeError("killed half-way")
    assert pack.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
