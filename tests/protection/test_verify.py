"""Verify: the decrypt round trip, a reader's view of the portal, and the leak scan."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner, Result

from portico.cli import main
from portico.content.errors import BuildError
from portico.protection.envelope import WrongPassphraseError
from portico.protection.protect import ProtectionResult, protect_site
from portico.protection.readers import Reader, add_reader, load_readers
from portico.protection.verify import (
    Leak,
    scan_for_leaks,
    verify_roundtrip,
    verify_with_passphrase,
)

# One worker runs this module: the built demo (module fixture) is built once, not once per worker.
pytestmark = pytest.mark.xdist_group("verify")

STATIC_SITE = Path(__file__).resolve().parents[1] / "fixtures" / "sample_portal" / "static_site"
PASSPHRASE = "tidy-otter-lantern-quarry-velvet-ember"
MARKERS = [
    "Northwind Fixture Co",
    "Dana Quillfeather",
    "quokkafjord",
    "Zephyrcloud",
    "Northwind-Board-Pack.pdf",
    "Marguerite O'Brien",
]


@pytest.fixture(scope="module")
def readers(tmp_path_factory: pytest.TempPathFactory) -> list[Reader]:
    path = tmp_path_factory.mktemp("client") / "readers.yml"
    add_reader(path, "dana", "Dana", PASSPHRASE)
    return load_readers(path)


@pytest.fixture
def protected(tmp_path: Path, readers: list[Reader]) -> ProtectionResult:
    return protect_site(
        STATIC_SITE, tmp_path / "site", readers, practice_name="Example CTO Practice"
    )


def _flip_a_byte(result: ProtectionResult, path: str) -> None:
    blob = result.out / next(f.blob for f in result.files if f.path == path)
    data = bytearray(blob.read_bytes())
    data[-3] ^= 0x80
    blob.write_bytes(bytes(data))


def test_the_round_trip_holds_for_every_protected_file(protected: ProtectionResult) -> None:
    assert verify_roundtrip(protected.out, protected) == len(protected.files) == 9


def test_the_round_trip_names_a_tampered_file(protected: ProtectionResult) -> None:
    _flip_a_byte(protected, "search/search_index.json")
    with pytest.raises(BuildError, match="search/search_index.json: .*integrity"):
        verify_roundtrip(protected.out, protected)


def test_the_round_trip_names_a_missing_shell(protected: ProtectionResult) -> None:
    (protected.out / "risks/r-001/index.html").unlink()
    with pytest.raises(BuildError, match="risks/r-001/index.html: login shell missing"):
        verify_roundtrip(protected.out, protected)


def test_the_round_trip_opens_the_manifest_too(protected: ProtectionResult) -> None:
    """Proven sealed, the manifest's bytes need no leak scan (random bytes spell words)."""
    manifest = protected.out / "_portico/manifest.bin"
    data = manifest.read_bytes()
    manifest.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))  # always a different byte
    with pytest.raises(BuildError, match="_portico/manifest.bin: .*integrity"):
        verify_roundtrip(protected.out, protected)


def test_a_reader_opens_every_file_with_the_passphrase(protected: ProtectionResult) -> None:
    assert verify_with_passphrase(protected.out, PASSPHRASE) == 9


def test_a_wrong_passphrase_opens_nothing(protected: ProtectionResult) -> None:
    with pytest.raises(WrongPassphraseError):
        verify_with_passphrase(protected.out, "not the right passphrase")


def test_a_reader_sees_a_tampered_file(protected: ProtectionResult) -> None:
    _flip_a_byte(protected, "files/chart.png")
    with pytest.raises(BuildError, match="files/chart.png"):
        verify_with_passphrase(protected.out, PASSPHRASE)


def test_a_tampered_manifest_fails_as_a_whole(protected: ProtectionResult) -> None:
    manifest = protected.out / "_portico/manifest.bin"
    data = manifest.read_bytes()
    manifest.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))  # always a different byte
    with pytest.raises(BuildError, match="integrity"):
        verify_with_passphrase(protected.out, PASSPHRASE)


def test_a_protected_portal_leaks_no_marker(protected: ProtectionResult) -> None:
    assert scan_for_leaks(protected.out, MARKERS) == []


def test_the_plain_site_leaks_every_marker() -> None:
    found = {leak.marker for leak in scan_for_leaks(STATIC_SITE, MARKERS)}
    assert found == set(MARKERS)


MARKER = "Zoë & O'Brien/Ops"


@pytest.mark.parametrize(
    ("written", "form"),
    [
        (MARKER, "plain"),
        (MARKER.upper(), "plain"),
        ("Zoë &amp; O&#x27;Brien/Ops", "html"),
        ("Zoë &amp; O&#39;Brien/Ops", "html"),
        ("Zo&#235; &amp; O&#39;Brien/Ops", "html"),
        (json.dumps(MARKER)[1:-1], "json"),  # Zo\u00eb & O'Brien/Ops
        (json.dumps(MARKER)[1:-1].upper(), "json"),  # \u00EB
        ("Zo\\u00eb & O'Brien\\/Ops", "json"),
        (quote(MARKER, safe=""), "url"),
        (quote(MARKER, safe="").lower(), "url"),
        ("Zo%C3%AB+%26+O%27Brien%2FOps", "url"),
    ],
)
def test_the_scan_finds_a_marker_in_each_encoding(tmp_path: Path, written: str, form: str) -> None:
    (tmp_path / "page.html").write_text(f"<p>before {written} after</p>", "utf-8")
    assert Leak("page.html", MARKER, form) in scan_for_leaks(tmp_path, [MARKER])


def test_the_scan_finds_a_marker_in_a_path(tmp_path: Path) -> None:
    folder = tmp_path / "files" / quote("Quokkafjord plan")
    folder.mkdir(parents=True)
    (folder / "a.bin").write_bytes(b"\x00")
    (tmp_path / "quokkafjord-notes.txt").write_bytes(b"nothing here")
    leaks = scan_for_leaks(tmp_path, ["quokkafjord plan", "quokkafjord-notes"])
    assert Leak("files/Quokkafjord%20plan/a.bin", "quokkafjord plan", "url", in_path=True) in leaks
    assert Leak("quokkafjord-notes.txt", "quokkafjord-notes", "plain", in_path=True) in leaks


def test_blank_markers_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("anything")
    assert scan_for_leaks(tmp_path, ["", "  "]) == []


def test_trusted_files_skip_contents_only(tmp_path: Path) -> None:
    """A byte-identical packaged asset is not read; anything else, and every path, still is."""
    import hashlib

    from portico.protection.verify import scan_for_leaks

    (tmp_path / "assets").mkdir()
    packaged = b"lunr.js: Acme Rocket Sleds appears in this library by coincidence"
    (tmp_path / "assets/lib.js").write_bytes(packaged)
    (tmp_path / "assets/lib-edited.js").write_bytes(packaged + b" ")
    (tmp_path / "Acme Rocket Sleds.txt").write_bytes(b"")
    trusted = {hashlib.sha256(packaged).hexdigest()}
    leaks = scan_for_leaks(tmp_path, ["Acme Rocket Sleds"], trusted=trusted)
    where = sorted({(leak.path, leak.in_path) for leak in leaks})
    assert where == [("Acme Rocket Sleds.txt", True), ("assets/lib-edited.js", False)]


# --- Single words, matched whole -------------------------------------------------------


def test_a_word_is_found_whole_and_only_whole(tmp_path: Path) -> None:
    (tmp_path / "whole.html").write_text("<p>runs on Navision.</p><p>(navision_db-2)</p>")
    (tmp_path / "inside.html").write_text("<p>Navisions and PreNavision and navision2</p>")
    leaks = scan_for_leaks(tmp_path, [], words=["Navision"])
    assert leaks == [Leak("whole.html", "Navision", "plain", word=True)]
    assert str(leaks[0]) == "whole.html: plain form of the word 'Navision' in the content"


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("Zoëtrope", "plain"),
        ("ZOËTROPE", "plain"),
        ("Zo&euml;trope", "html"),
        ("Zo&#xEB;trope", "html"),
        ("Zo\\u00ebtrope", "json"),
        ("line\\nZo\\u00ebtrope\\tnext", "json"),  # JSON escapes glued to the word
        ("Zo%C3%ABtrope", "url"),
        ("name=x%20Zo%c3%abtrope%2Fy", "url"),
    ],
)
def test_the_scan_finds_a_word_in_each_encoding(tmp_path: Path, written: str, form: str) -> None:
    (tmp_path / "page.json").write_text(f'{{"text": "{written}"}}', "utf-8")
    assert scan_for_leaks(tmp_path, [], words=["Zoëtrope"]) == [
        Leak("page.json", "Zoëtrope", form, word=True)]


def test_a_word_is_found_in_a_path(tmp_path: Path) -> None:
    (tmp_path / "pages" / "navision-cutover").mkdir(parents=True)
    (tmp_path / "pages" / "navision-cutover" / "index.html").write_text("shell")
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "Navision%20plan.pdf").write_bytes(b"%PDF")
    leaks = scan_for_leaks(tmp_path, [], words=["Navision"])
    assert leaks == [Leak("files/Navision%20plan.pdf", "Navision", "plain", True, True),
                     Leak("pages/navision-cutover/index.html", "Navision", "plain", True, True)]


def test_words_are_not_looked_for_in_binary_files(tmp_path: Path) -> None:
    """Random bytes spell a short word now and then; phrases still cover binary files."""
    (tmp_path / "blob").write_bytes(b"\xff\xfe raman \x80\x81 Dana Quillfeather \xc3")
    leaks = scan_for_leaks(tmp_path, ["Dana Quillfeather"], words=["Raman"])
    assert leaks == [Leak("blob", "Dana Quillfeather", "plain")]


# --- The leak scan of a built portal, as build runs it and `portico verify` repeats it -----


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory,
               copy_demo: Callable[[Path], Path]) -> Path:
    """A copy of the demo practice with harborline's portal built into site/harborline."""
    root = copy_demo(tmp_path_factory.mktemp("demo"))
    result = CliRunner().invoke(main, ["--root", str(root), "build", "--only", "harborline"])
    assert result.exit_code == 0, result.output  # the unchanged demo builds clean
    return root


def _verify_planted(built_demo: Path, tmp_path: Path, rel: str, text: str) -> Result:
    """`portico verify` on a copy of the built portal with `text` added to its file `rel`."""
    portal = tmp_path / "harborline"
    shutil.copytree(built_demo / "site/harborline", portal)
    [target] = portal.glob(rel)
    target.write_bytes(target.read_bytes() + text.encode())
    return CliRunner().invoke(main, ["--root", str(built_demo), "verify", str(portal)])


def test_the_built_demo_verifies_clean(built_demo: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(built_demo), "verify",
                                       str(built_demo / "site/harborline")])
    assert result.exit_code == 0 and "ok: no client text" in result.output, result.output


@pytest.mark.parametrize(
    ("rel", "word", "what"),
    [
        ("assets/stylesheets/main.*.min.css", "Harborline", "a word of the client's name"),
        ("risks/index.html", "Okafor", "a contact's surname"),
        ("404.html", "Priya", "a contact's given name no dictionary lists"),
        ("_portico/unlock.js", "Django", "a system named in a roadmap item's title"),
        ("_portico/envelope.json", "Calder", "a name from a risk's title"),
    ],
)
def test_a_client_word_alone_in_a_public_file_fails_verify(built_demo: Path, tmp_path: Path,
                                                           rel: str, word: str, what: str) -> None:
    result = _verify_planted(built_demo, tmp_path, rel, f"\n/* {word} */\n")
    [path] = [p.relative_to(tmp_path / "harborline").as_posix()
              for p in (tmp_path / "harborline").glob(rel)]
    assert result.exit_code == 1, what
    assert f"{path}: plain form of the word {word!r} in the content" in result.output, what
    assert "1 leak of client text" in result.output


@pytest.mark.parametrize("word", ["database", "Logistics", "Margaret", "Manifest", "June"])
def test_a_common_word_of_the_client_in_a_public_file_passes(built_demo: Path, tmp_path: Path,
                                                             word: str) -> None:
    """"Database restore" is a page title, "Manifest" a system but an English word, Margaret a
    contact's given name the dictionary lists: none is distinctive alone."""
    result = _verify_planted(built_demo, tmp_path, "risks/index.html", f"<!-- {word} -->")
    assert result.exit_code == 0, result.output
