"""The leak scan's public words (words of the engine's and Portico's own assets, which no
client wrote) are kept in the practice's cache between builds, and read again as soon as a
file they come from changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from portico.protection import leakscan


def test_the_kept_words_are_the_words_of_every_public_file(tmp_path: Path) -> None:
    fresh = leakscan._public_words(leakscan._public_files())
    assert {"lunr", "portico", "sw"} <= fresh  # Material's search script, our own names
    assert leakscan._kept_public_words(tmp_path) == fresh  # read, then kept
    assert leakscan._kept_public_words(tmp_path) == fresh  # taken from the cache


def test_the_words_are_read_again_when_a_file_they_come_from_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asset = tmp_path / "assets" / "search.js"
    asset.parent.mkdir()
    asset.write_text("lunr tokenizer", "utf-8")
    monkeypatch.setattr(leakscan, "_public_files", lambda: [(asset, "assets/search.js")])
    cache = tmp_path / "cache"

    def words() -> frozenset[str]:
        monkeypatch.setattr(leakscan, "_public", None)  # a new build's process
        return leakscan.public_words(keep_in=cache)

    assert {"lunr", "tokenizer", "search", "js"} <= words()
    assert "tokenizer" in json.loads((cache / "public-words.json").read_text("utf-8"))["words"]

    read = leakscan._public_words
    monkeypatch.setattr(leakscan, "_public_words", lambda files: pytest.fail("read again"))
    assert "tokenizer" in words()  # unchanged: from the cache, no file read

    monkeypatch.setattr(leakscan, "_public_words", read)
    asset.write_text("lunr stemmers!", "utf-8")  # the same size: its time tells
    os.utime(asset, ns=(asset.stat().st_atime_ns, asset.stat().st_mtime_ns + 1_000_000))
    assert "stemmers" in words()
    assert "tokenizer" not in words()


def test_an_unreadable_cache_costs_only_the_reading(tmp_path: Path) -> None:
    (tmp_path / "public-words.json").write_text('{"sources": 7', "utf-8")
    assert leakscan._kept_public_words(tmp_path) == \
        leakscan._public_words(leakscan._public_files())
