"""`portico build` end to end: protected output, atomic replacement, failures that publish nothing."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main
from portico.protection.readers import add_reader

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, copy_demo: Callable[[Path], Path]) -> Path:
    """A copy of the demo practice, so tests can break it."""
    return copy_demo(tmp_path_factory.mktemp("practice"))


def build(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "build", *args])
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_build_reports_each_client_and_protects_everything(repo: Path) -> None:
    code, out = build(repo)
    assert code == 0, out
    assert re.search(r"harborline +ok +\d+ pages", out) and re.search(r"lumen-health +ok", out)
    site = repo / "site"
    assert not (site / "harborline/sitemap.xml").exists()
    everything = b"".join(snapshot(site).values())
    for plain in (b"Harborline Logistics", b"demurrage", b"Carrier integrations depend",
                  b"Lumen Health", b"Priya Raman"):
        assert plain not in everything
    index = (site / "index.html").read_text()
    assert "harborline" not in index and "lumen" not in index  # the site root lists no clients


def test_failed_build_leaves_previous_portal_untouched(repo: Path) -> None:
    code, out = build(repo, "harborline")
    assert code == 0, out
    before = snapshot(repo / "site/harborline")
    risks = repo / "clients/harborline/risks.yml"
    original = risks.read_text()
    risks.write_text(original.replace("likelihood: 4", "likelihood: 9", 1))
    try:
        code, out = build(repo, "harborline")
    finally:
        risks.write_text(original)
    assert code == 1
    assert "clients/harborline/risks.yml:" in out and "likelihood must be 1..5, got 9" in out
    assert snapshot(repo / "site/harborline") == before
    assert not [p for p in (repo / "site").iterdir() if p.name.startswith(".harborline")]


def test_client_without_readers_is_an_error(repo: Path) -> None:
    readers = repo / "clients/lumen-health/readers.yml"
    saved = readers.read_text()
    readers.unlink()
    try:
        code, out = build(repo, "lumen-health")
    finally:
        readers.write_text(saved)
    assert code == 1
    assert "clients/lumen-health/readers.yml: no readers" in out
    assert "portico reader add lumen-health" in out


def test_one_failing_client_does_not_stop_the_others(repo: Path) -> None:
    client = repo / "clients/lumen-health/client.yml"
    saved = client.read_text()
    client.write_text(saved.replace("name:", "nmae:", 1))
    try:
        code, out = build(repo, "--jobs", "2")
    finally:
        client.write_text(saved)
    assert code == 1
    assert re.search(r"lumen-health +FAIL", out) and "1 failed" in out
    assert "nmae: unknown key, did you mean name?" in out


def test_verify_command_scans_and_decrypts(repo: Path) -> None:
    code, out = build(repo, "harborline")
    assert code == 0, out
    runner = CliRunner()
    result = runner.invoke(main, ["--root", str(repo), "verify", str(repo / "site/harborline")])
    assert result.exit_code == 0 and "ok: no client text" in result.output
    result = runner.invoke(main, ["--root", str(repo), "verify", str(repo / "site/harborline"),
                                  "--passphrase-stdin"],
                           input="anchor-tidal-lantern-velvet-orbit-maple\n")
    assert result.exit_code == 0 and "protected files decrypted" in result.output, result.output
    result = runner.invoke(main, ["--root", str(repo), "verify", str(repo / "site/harborline"),
                                  "--passphrase-stdin"], input="wrong wrong wrong wrong\n")
    assert result.exit_code == 1


def test_incremental_builds_only_what_changed(repo: Path) -> None:
    build(repo, "--force")
    code, out = build(repo)
    # Four portals: Harborline's three views (leadership, board, engineering), Lumen Health.
    assert code == 0 and "0 built, 4 unchanged" in out
    note = next((repo / "clients/harborline/notes").glob("*.md"))
    note.write_text(note.read_text() + "\nOne more line.\n")
    code, out = build(repo)
    assert re.search(r"harborline +ok", out) and re.search(r"lumen-health +unchanged", out)
    # A note is not in the board's view: its portal's pages did not change, so it is kept.
    assert re.search(r"harborline--board +unchanged", out), out
    base = repo / "mkdocs.yml"
    base.write_text(base.read_text() + "\n# touched\n")
    code, out = build(repo)
    assert "4 built, 0 unchanged" in out


def test_corrupt_cache_is_never_trusted(repo: Path) -> None:
    build(repo)
    (repo / ".portico-cache/state.json").write_text("{not json")
    code, out = build(repo)
    assert code == 0 and "cache was unreadable or corrupt" in out and "4 built" in out
    portal = repo / "site/lumen-health/index.html"
    portal.write_text("tampered")  # the portal on disk no longer matches what was built
    code, out = build(repo)
    assert re.search(r"lumen-health +ok", out) and portal.read_text() != "tampered"


def test_deleted_client_portal_is_removed(repo: Path) -> None:
    build(repo)
    shutil.copytree(repo / "clients/lumen-health", repo / "clients/temp-client")
    readers = repo / "clients/temp-client/readers.yml"
    readers.unlink()  # a copied reader would open both portals: check refuses it
    add_reader(readers, "demo", "Temp reader", "quartz-meadow-signal-cedar-ember-drift")
    code, out = build(repo)
    assert (repo / "site/temp-client/_portico/envelope.json").is_file()
    shutil.rmtree(repo / "clients/temp-client")
    code, out = build(repo)
    assert "removed site/temp-client/" in out and not (repo / "site/temp-client").exists()


def test_build_on_a_terminal_shows_live_progress(repo: Path) -> None:
    """A person at a terminal gets a live line per client (rich), and the build still works."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "GITHUB_ACTIONS"}}
    # One client, the smaller one: its lines are what a person watches; the whole demo
    # rebuilt in a subprocess only cost CI time.
    done = subprocess.Popen([sys.executable, "-m", "portico", "--root", str(repo), "build",
                             "lumen-health", "--force"], stdin=follower, stdout=follower,
                            stderr=follower, env=env, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert done.wait(timeout=120) == 0, out
    assert "Traceback" not in out
    assert re.search(r"lumen-health +(rendering|building|protecting|verifying)", out), out
    assert re.search(r"lumen-health +ok +\d+ pages", out) and "1 built" in out


def test_without_chromium_the_portal_builds_and_says_its_pdfs_were_left_out(
    history_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine with no browser still publishes the portal, board packs included, and the
    build says plainly which PDFs it did not make (never silently)."""
    monkeypatch.setenv("PORTICO_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result = CliRunner().invoke(main, ["--root", str(history_repo), "build", "--force",
                                       "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "warning: harborline: 3 PDFs were not made" in result.output
    assert "PORTICO_CHROMIUM" in result.output
    assert (tmp_path / "site" / "harborline" / "board" / "2026-11-30" / "index.html").is_file()


def test_a_shallow_clone_builds_and_says_its_history_is_cut_short(
    history_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", history_repo.as_uri(), str(clone)],
                   check=True, capture_output=True)
    monkeypatch.setenv("PORTICO_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result = CliRunner().invoke(main, ["--root", str(clone), "build", "--out",
                                       str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "shallow clone" in result.output and "fetch-depth: 0" in result.output
