"""`portico build` end to end: protected output, atomic replacement, failures that publish nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo practice, so tests can break it."""
    root = tmp_path_factory.mktemp("practice")
    for name in ("clients", "content", "theme", "mkdocs.yml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copyfile(source, root / name)
    return root


def build(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "build", *args])
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_build_reports_each_client_and_protects_everything(repo: Path) -> None:
    code, out = build(repo)
    assert code == 0, out
    assert "ok   harborline" in out and "ok   lumen-health" in out and "2 built, 0 failed" in out
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
    assert "ok   harborline" in out and "FAIL lumen-health" in out
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
