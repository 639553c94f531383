"""A PDF whose page and files are as they were is taken from the last build, not printed
again (engine/reprint.py); any change to what it is printed from prints it afresh.

A stand-in for Chromium logs each page it is asked to print and writes a PDF naming it."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main
from portico.delivery.kept import KEPT_DIR
from portico.engine.pdf import PrintJob, print_pages
from portico.engine.reprint import Reprints

PAGE = "board/2026-09-15/index.html"
PACK = "board/2026-09-15/board-pack.pdf"


@pytest.fixture
def browser(tmp_path: Path) -> tuple[str, Path]:
    """(the stand-in Chromium, the log of what it printed)."""
    log = tmp_path / "printed.log"
    path = tmp_path / "fake-chromium"
    path.write_text(f"""#!/bin/sh
for arg in "$@"; do
  case "$arg" in --print-to-pdf=*) out="${{arg#--print-to-pdf=}}";; file://*) page="$arg";; esac
done
echo "$page" >> {log}
printf '%%PDF-1.4 printed from %s' "$page" > "$out"
""", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path), log


def _printed(log: Path) -> int:
    return len(log.read_text("utf-8").splitlines()) if log.exists() else 0


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "assets" / "fonts").mkdir(parents=True)
    (root / "assets" / "fonts" / "body.woff2").write_bytes(b"font 1")
    (root / "assets" / "print.css").write_text(
        '@import "extra.css"; @font-face { src: url("fonts/body.woff2"); }', "utf-8")
    (root / "assets" / "extra.css").write_text("h1 { color: navy; }", "utf-8")
    (root / "files").mkdir()
    (root / "files" / "1.png").write_bytes(b"image 1")
    (root / "index.html").write_text("<p>home</p>", "utf-8")
    page = root / PAGE
    page.parent.mkdir(parents=True)
    page.write_text('<html><head><link rel="stylesheet" href="../../assets/print.css">'
                    '</head><body><h1>Board meeting</h1><img src="../../files/1.png?v=1">'
                    '<a href="https://example.com/">elsewhere</a><a href="board-pack.pdf">PDF</a>'
                    '</body></html>', "utf-8")
    return root


def _build(site: Path, browser: str, last: Path | None, keep: Path,
           css: str = "@page { margin: 2cm; }") -> bytes:
    print_pages(site, [PrintJob(PAGE, PACK, css=css)], chromium=browser,
                reprints=Reprints(last, keep))
    return (site / PACK).read_bytes()


def test_an_unchanged_page_is_taken_and_any_change_to_what_it_draws_on_prints_it_again(
        site: Path, browser: tuple[str, Path], tmp_path: Path) -> None:
    chromium, log = browser
    first = _build(site, chromium, None, tmp_path / "1")
    assert _printed(log) == 1 and first.startswith(b"%PDF")
    assert [p.suffix for p in (tmp_path / "1").iterdir()] == [".pdf"]  # kept for the next

    # The last PDF is still in the site, as in a kept one: the page links it, and a link
    # is not something the page draws on.
    (site / "index.html").write_text("<p>another page, edited</p>", "utf-8")
    assert _build(site, chromium, tmp_path / "1", tmp_path / "2") == first
    assert _printed(log) == 1  # taken, not printed: nothing it draws on changed

    last = tmp_path / "2"
    for n, change in enumerate([
        lambda: (site / "assets" / "extra.css").write_text("h1 { color: red; }", "utf-8"),
        lambda: (site / "assets" / "fonts" / "body.woff2").write_bytes(b"font 2"),
        lambda: (site / "files" / "1.png").write_bytes(b"image 2"),
        lambda: (site / PAGE).write_text((site / PAGE).read_text("utf-8") + "<p>more</p>",
                                         "utf-8"),
    ], start=2):
        change()
        keep = tmp_path / f"changed-{n}"
        _build(site, chromium, last, keep)
        assert _printed(log) == n
        last = keep
    _build(site, chromium, last, tmp_path / "css", css="@page { margin: 1cm; }")
    assert _printed(log) == 6  # the job's own print CSS is part of it too


def test_without_a_last_build_or_with_a_damaged_copy_every_page_is_printed(
        site: Path, browser: tuple[str, Path], tmp_path: Path) -> None:
    chromium, log = browser
    _build(site, chromium, None, tmp_path / "1")
    for kept in (tmp_path / "1").iterdir():
        kept.write_bytes(b"not a PDF")
    assert _build(site, chromium, tmp_path / "1", tmp_path / "2").startswith(b"%PDF")
    assert _printed(log) == 2


def test_a_rebuild_after_a_note_edit_prints_no_board_pack_and_force_prints_them_all(
        copy_demo: Callable[[Path], Path], browser: tuple[str, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    chromium, log = browser
    monkeypatch.setenv("PORTICO_CHROMIUM", chromium)
    root = copy_demo(tmp_path / "practice")

    def build(*args: str) -> None:
        result = CliRunner().invoke(main, ["--root", str(root), "build", "harborline", *args])
        assert result.exit_code == 0, result.output
        assert "not made" not in result.output

    build()
    packs = _printed(log)
    assert packs >= 2  # the leadership portal's board packs, and the board view's
    assert (root / KEPT_DIR / "harborline" / "pdf").is_dir()
    note = root / "clients/harborline/notes/2026-11-20-weekly-status.md"
    note.write_text(note.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    build()
    assert _printed(log) == packs  # every pack taken from the last build
    assert len(list((root / KEPT_DIR / "harborline" / "pdf").iterdir())) == 2
    build("--force")
    assert _printed(log) == 2 * packs
