"""An edit rebuilds only the pages it touches (issue 22, item 2): the engine renders the
changed Markdown against the portal's kept plain build, and the result decrypts to exactly
what a full build of the same sources gives, byte for byte, in every view."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main
from portico.delivery.kept import KEPT_DIR
from portico.delivery.verify_record import check_verified, is_verified
from portico.protection.envelope import open_envelope, open_file
from portico.protection.spare import spare_folder

PASSPHRASES = {"harborline": "anchor-tidal-lantern-velvet-orbit-maple",
               "harborline--board": "send-salad-half-sift-chase-marry-decay-spot",
               "harborline--engineering": "ream-set-ritzy-exit-poem-stoop-curl-bunt"}
SOURCES = ("clients", "content", "theme", "mkdocs.yml")


def _build(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--root", str(root), "build", "harborline", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _content_key(portal: Path, passphrase: str) -> bytes:
    envelope = json.loads((portal / "_portico" / "envelope.json").read_text("utf-8"))
    return open_envelope(envelope, passphrase)


def _decrypted(portal: Path, passphrase: str) -> dict[str, bytes]:
    """Every sealed file of a portal, decrypted as a reader's browser would."""
    envelope = json.loads((portal / "_portico" / "envelope.json").read_text("utf-8"))
    key = open_envelope(envelope, passphrase)
    manifest = json.loads(open_file(key, envelope["manifest"],
                                    (portal / envelope["manifest"]).read_bytes()))
    files = {}
    for path, entry in manifest["files"].items():
        assert "chunked" not in entry, path  # the demo's attachments are one blob each
        files[path] = open_file(key, path, (portal / entry["blob"]).read_bytes())
    files["(manifest)"] = json.dumps({path: {k: v for k, v in entry.items() if k != "blob"}
                                      for path, entry in manifest["files"].items()},
                                     sort_keys=True).encode()
    return files


@pytest.fixture
def edited(copy_demo: Callable[[Path], Path], tmp_path: Path) -> Path:
    """The demo built once, then one note edited and built again (partly)."""
    root = copy_demo(tmp_path / "partial")
    _build(root)
    note = root / "clients/harborline/notes/2026-11-20-weekly-status.md"
    note.write_text(note.read_text("utf-8") + "\nOne more sentence, added after the build.\n",
                    "utf-8")
    return root


def test_a_partial_rebuild_decrypts_to_what_a_full_rebuild_gives(edited: Path,
                                                                 tmp_path: Path) -> None:
    kept = edited / KEPT_DIR / "harborline" / "site"
    untouched = kept / "decisions" / "0001" / "index.html"
    before = untouched.stat().st_mtime_ns
    portal = edited / "site" / "harborline"
    blobs = {p.name for p in (portal / "_portico" / "b").iterdir()}
    old_key = _content_key(portal, PASSPHRASES["harborline"])
    shell = (portal / "decisions" / "0001" / "index.html").stat()
    output = _build(edited)
    assert untouched.stat().st_mtime_ns == before  # kept as it was: the engine left it
    # The same pages: the login shells stay as they are, only _portico/ is swapped in.
    assert (portal / "decisions" / "0001" / "index.html").stat().st_ino == shell.st_ino
    assert is_verified(edited / "site", "harborline")
    # A view the edit does not reach is skipped (the board view has no notes); its kept
    # build must still vouch for its portal, or its next edit would render every page.
    assert "unchanged" in output
    for name in PASSPHRASES:
        assert (edited / KEPT_DIR / name / "state.json").is_file(), name
    # Partial or not, a build seals every file afresh: a new key, no blob as it was.
    assert _content_key(portal, PASSPHRASES["harborline"]) != old_key
    assert not blobs & {p.name for p in (portal / "_portico" / "b").iterdir()}
    assert check_verified(edited / "site") == []  # the record is the bytes on disk
    assert b"One more sentence" in (kept / "notes" / "2026-11-20" / "index.html").read_bytes()
    full = tmp_path / "full"
    full.mkdir()
    for name in SOURCES:
        source = edited / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, full / name)
    _build(full, "--force")
    for portal, passphrase in PASSPHRASES.items():
        partly = _decrypted(edited / "site" / portal, passphrase)
        whole = _decrypted(full / "site" / portal, passphrase)
        assert sorted(partly) == sorted(whole), portal
        differing = [path for path in whole if partly[path] != whole[path]]
        assert not differing, (portal, differing[:5])
    assert b"One more sentence" in _decrypted(edited / "site" / "harborline",
                                              PASSPHRASES["harborline"])["search/search_index.json"]


def test_a_new_page_writes_the_whole_portal_afresh(edited: Path) -> None:
    """Another set of pages means other login shells: the portal is swapped whole."""
    portal = edited / "site" / "harborline"
    _build(edited)
    shell = (portal / "decisions" / "0001" / "index.html").stat()
    notes = edited / "clients" / "harborline" / "notes"
    (notes / "2026-11-27-follow-up.md").write_text(
        "# Follow-up\n\nA page that did not exist.\n", "utf-8")
    _build(edited)
    assert (portal / "decisions" / "0001" / "index.html").stat().st_ino != shell.st_ino
    assert (portal / "notes" / "2026-11-27" / "index.html").is_file()
    assert is_verified(edited / "site", "harborline")
    decrypted = _decrypted(portal, PASSPHRASES["harborline"])
    assert b"A page that did not exist." in decrypted["notes/2026-11-27/index.html"]


def test_a_kept_build_that_does_not_fit_force_and_a_changed_frame_build_the_whole_site(
        edited: Path) -> None:
    """Each of the three renders every page again (one demo build for all three: CI time)."""
    kept = edited / KEPT_DIR / "harborline" / "site"
    untouched = kept / "decisions" / "0001" / "index.html"
    before = untouched.stat().st_mtime_ns
    (kept / "search" / "search_index.json").unlink()  # no index to merge into
    _build(edited)
    assert untouched.stat().st_mtime_ns != before  # every page made again, none missing
    assert (kept / "search" / "search_index.json").is_file()
    again = untouched.stat().st_mtime_ns
    _build(edited, "--force")
    assert untouched.stat().st_mtime_ns != again
    again = untouched.stat().st_mtime_ns
    mkdocs = edited / "mkdocs.yml"  # the practice's config frames every page
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("site_name:", "site_name: New"), "utf-8")
    _build(edited)
    assert untouched.stat().st_mtime_ns != again


def test_the_kept_plain_build_is_private_and_goes_with_its_portal(edited: Path) -> None:
    folder = edited / KEPT_DIR
    assert folder.stat().st_mode & 0o077 == 0
    assert (folder / "harborline" / "docs").is_dir()
    shutil.rmtree(edited / "clients" / "harborline")
    result = CliRunner().invoke(main, ["--root", str(edited), "build"])
    assert result.exit_code == 0, result.output
    assert not (edited / "site" / "harborline").exists()
    assert not (folder / "harborline").exists()  # no plain text of a pruned portal stays


def test_ci_does_not_cache_the_kept_plain_builds() -> None:
    repo = Path(__file__).resolve().parents[2]
    workflow = (repo / ".github/workflows/portico.yml").read_text("utf-8")
    assert "            .portico-cache\n            !.portico-cache/kept\n" in workflow


def test_a_partial_build_that_fails_leaves_no_kept_build_to_trust(
        edited: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept site is moved, not copied, into a partial build, which the engine then writes
    into: once that build fails, the next one must not take what is left for the last build."""
    import portico.engine.build as engine

    def broken(config: object, *, dirty: bool) -> None:
        raise RuntimeError("the engine died half-way")

    monkeypatch.setattr(engine, "_run", broken)  # the workers are forks: they inherit it
    result = CliRunner().invoke(main, ["--root", str(edited), "build", "harborline"])
    assert result.exit_code == 1 and "harborline" in result.output
    assert not (edited / KEPT_DIR / "harborline" / "state.json").exists()
    monkeypatch.undo()
    _build(edited)
    kept = edited / KEPT_DIR / "harborline"
    assert (kept / "state.json").is_file() and (kept / "gzip.pack").is_file()
    assert b"One more sentence" in _decrypted(edited / "site" / "harborline",
                                              PASSPHRASES["harborline"])["search/search_index.json"]


def test_client_text_in_a_public_file_fails_the_build_whole_or_partial(edited: Path) -> None:
    """The leak scan runs beside the round trip (delivery.forked), on the files a partial
    build writes and on those it keeps: client text in a public file stops either."""
    portal = edited / "site" / "harborline"
    script = edited / "theme" / "assets" / "javascripts" / "extra.js"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text("// Manifest runs on end-of-life software\n", "utf-8")
    before = sorted(p.name for p in (portal / "_portico" / "b").iterdir())
    result = CliRunner().invoke(main, ["--root", str(edited), "build", "harborline"])
    assert result.exit_code == 1
    assert "client text found in the protected portal, nothing published" in result.output
    assert "assets/javascripts/extra.js" in result.output
    assert sorted(p.name for p in (portal / "_portico" / "b").iterdir()) == before


def _inodes(folder: Path) -> set[int]:
    return {path.stat().st_ino for path in folder.iterdir()}


def test_a_rebuild_writes_its_blobs_over_the_files_of_the_portal_it_replaced(
        edited: Path) -> None:
    """Making thousands of files right after deleting thousands is slow on some file systems
    (protect took 3-5 s instead of 1 s on the benchmark machine): the blobs a build replaces
    wait in the site root's dot-folder, which is never published, for the next build to
    write over. A spare file longer than the blob written over it is cut to the blob's
    length: no old byte survives (the round trip would refuse the blob), none is published."""
    portal = edited / "site" / "harborline"
    first = _inodes(portal / "_portico" / "b")
    spare = spare_folder(edited / "site", "harborline")
    spare.mkdir(parents=True)
    for n in range(len(first) + 10):
        (spare / f"old-{n}").write_bytes(b"LEFTOVER " * 100_000)
    _build(edited)
    blobs = list((portal / "_portico" / "b").iterdir())
    assert not [blob for blob in blobs if b"LEFTOVER" in blob.read_bytes()]
    assert _inodes(spare) == first  # the build it replaced; what was left of the old, gone
    second = _inodes(portal / "_portico" / "b")
    note = edited / "clients/harborline/notes/2026-11-20-weekly-status.md"
    note.write_text(note.read_text("utf-8") + "\nAnd another.\n", "utf-8")
    _build(edited)
    assert _inodes(portal / "_portico" / "b") == first  # the same pages: every file reused
    assert _inodes(spare) == second
    decrypted = _decrypted(portal, PASSPHRASES["harborline"])
    assert b"And another." in decrypted["notes/2026-11-20/index.html"]
    out = edited / "published"
    result = CliRunner().invoke(main, ["--root", str(edited), "publish", "--to", str(out)])
    assert result.exit_code == 0, result.output
    spared = {path.read_bytes() for path in spare.iterdir()}
    assert not [path for path in out.rglob("*") if path.is_file() and path.read_bytes() in spared]
