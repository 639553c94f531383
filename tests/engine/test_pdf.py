"""Board packs printed to PDF: running headers and footers on every page, or one warning.

Prints a tiny hand-written site with the machine's Chromium (skipped when there is none);
the failure paths use a stand-in script for Chromium, so they run everywhere.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from portico.content.errors import BuildError
from portico.engine.pdf import PrintJob, _head_end, find_chromium, print_pages

PRINT_CSS = """\
@media print {
  @page {
    @top-left { content: "Harborline Logistics · Practice"; }
    @bottom-right { content: "Page " counter(page) " of " counter(pages); }
  }
}
"""

CONFIDENTIAL = '@media print { @page { @top-right { content: "Confidential 2026-09-15"; } } }'

BOARD_PAGE = "board/2026-09-15/index.html"
BOARD_PACK = "board/2026-09-15/board-pack.pdf"


def _page(stylesheet: str) -> str:
    paragraphs = "\n".join(
        f"<p>Item {n}: the carrier contract renewal, the warehouse scanner rollout and the "
        f"on-call rota were discussed again, with owners and dates for each action. " * 4
        + "</p>" for n in range(80))
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<title>Board meeting</title>\n<link rel="stylesheet" href="{stylesheet}">\n'
            f"</head>\n<body>\n<h1>Board meeting 15 September 2026</h1>\n{paragraphs}\n"
            f"</body>\n</html>\n")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site: a home page and a board page, sharing one print stylesheet."""
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "print.css").write_text(PRINT_CSS, encoding="utf-8")
    (root / "index.html").write_text(_page("assets/print.css"), encoding="utf-8")
    board = root / BOARD_PAGE
    board.parent.mkdir(parents=True)
    board.write_text(_page("../../assets/print.css"), encoding="utf-8")
    return root


@pytest.fixture
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip("no Chromium on this machine")
    return found


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _page_texts(pdf: Path) -> list[str]:
    """Each page's text, ligatures undone (Chromium sets "fi" in "Confidential" as one glyph)."""
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in PdfReader(pdf).pages]


def _fake_chromium(tmp_path: Path, script: str) -> str:
    path = tmp_path / "fake-chromium"
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)


def test_every_page_of_the_pdf_carries_the_running_header_and_page_numbers(
        site: Path, chromium: str) -> None:
    warnings = print_pages(site, [PrintJob("index.html", "home.pdf")], chromium=chromium)

    assert warnings == []
    texts = _page_texts(site / "home.pdf")
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert "Harborline Logistics" in text
        assert f"Page {number} of {len(texts)}" in text


def test_a_jobs_css_reaches_the_print_and_its_temporary_copy_is_gone(
        site: Path, chromium: str) -> None:
    before = _files(site)

    print_pages(site, [PrintJob(BOARD_PAGE, BOARD_PACK, css=CONFIDENTIAL)], chromium=chromium)

    assert _files(site) == before | {BOARD_PACK}
    texts = _page_texts(site / BOARD_PACK)
    assert len(texts) >= 3
    for text in texts:
        assert "Confidential 2026-09-15" in text
        assert "Harborline Logistics" in text  # the page's own stylesheet still resolves


def test_without_chromium_no_pdf_is_written_and_one_warning_says_how_many(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("PORTICO_CHROMIUM", raising=False)
    before = _files(site)

    warnings = print_pages(site, [PrintJob("index.html", "home.pdf"),
                                  PrintJob(BOARD_PAGE, BOARD_PACK)])

    assert find_chromium() is None
    assert len(warnings) == 1
    assert "2 PDFs" in warnings[0]
    assert "chromium" in warnings[0] and "PORTICO_CHROMIUM" in warnings[0]
    assert _files(site) == before


def test_a_portico_chromium_that_names_nothing_executable_skips_the_pdfs_and_says_so(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "no-such-chromium"
    monkeypatch.setenv("PORTICO_CHROMIUM", str(missing))

    warnings = print_pages(site, [PrintJob("index.html", "home.pdf")])

    assert find_chromium() is None
    assert len(warnings) == 1
    assert "1 PDF was" in warnings[0] and str(missing) in warnings[0]
    assert not (site / "home.pdf").exists()


def test_a_chromium_that_fails_stops_the_build_naming_the_page(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = _fake_chromium(tmp_path, "echo 'Trace/breakpoint trap: renderer crashed' >&2\n"
                                       "exit 1")
    monkeypatch.setenv("PORTICO_CHROMIUM", failing)
    before = _files(site)

    with pytest.raises(BuildError) as raised:
        print_pages(site, [PrintJob(BOARD_PAGE, BOARD_PACK, css=CONFIDENTIAL)])

    message = str(raised.value)
    assert BOARD_PAGE in message
    assert "exit status 1" in message and "renderer crashed" in message
    assert "\n" not in message
    assert _files(site) == before  # the styled copy is removed on failure too


def test_a_chromium_that_writes_no_pdf_stops_the_build(site: Path, tmp_path: Path) -> None:
    silent = _fake_chromium(tmp_path, "echo 'nothing to see' >&2\nexit 0")

    with pytest.raises(BuildError, match="wrote no PDF for index.html: nothing to see"):
        print_pages(site, [PrintJob("index.html", "home.pdf")], chromium=silent)


def test_a_chromium_that_hangs_is_stopped_at_the_timeout(site: Path, tmp_path: Path) -> None:
    hanging = _fake_chromium(tmp_path, "sleep 30")

    with pytest.raises(BuildError, match="did not finish printing index.html .* within 0.5 s"):
        print_pages(site, [PrintJob("index.html", "home.pdf")], chromium=hanging, timeout=0.5)


def test_a_missing_page_stops_the_build(site: Path, tmp_path: Path) -> None:
    never = _fake_chromium(tmp_path, "exit 0")

    with pytest.raises(BuildError, match="board/2026-10-01/index.html"):
        print_pages(site, [PrintJob("board/2026-10-01/index.html", "x.pdf")], chromium=never)


@pytest.mark.parametrize("job", [
    PrintJob("index.html", "home.pdf", css="p { color: red }</STYLE><script>"),
    PrintJob("../index.html", "home.pdf"),
    PrintJob("index.html", "/tmp/home.pdf"),
])
def test_a_job_that_would_break_out_of_its_style_or_the_site_is_refused(
        site: Path, job: PrintJob) -> None:
    with pytest.raises(ValueError):
        print_pages(site, [job], chromium=os.devnull)


def test_print_css_goes_at_the_real_end_of_the_head() -> None:
    html = ('<html><head><script>let s = "</head>";</script><!-- </head> -->\n'
            "<title>t</title>\r\n</HEAD><body></body></html>")
    assert html[_head_end(html):].startswith("</HEAD><body>")
    no_head = "<p>no head</p><body>x"
    assert no_head[_head_end(no_head):] == "<body>x"
    assert _head_end("<p>fragment</p>") == len("<p>fragment</p>")


def test_no_script_of_the_page_runs_while_printing_and_no_profile_is_left(
        site: Path, chromium: str, tmp_path: Path) -> None:
    """A script or an event handler in a client's Markdown reaches the printed page: neither
    runs (one could otherwise reach the network through WebRTC), and Chromium's profile,
    which records the pages it opened, lives beside the site and is gone afterwards."""
    page = site / "hostile.html"
    page.write_text("<!doctype html><html><head><script>document.addEventListener("
                    "'DOMContentLoaded', () => { document.body.textContent = 'SCRIPT RAN'; })"
                    "</script></head><body><h1>Board pack</h1><img src=missing.png "
                    "onerror=\"document.body.textContent='HANDLER RAN'\"></body></html>",
                    encoding="utf-8")
    assert print_pages(site, [PrintJob("hostile.html", "hostile.pdf")], chromium=chromium) == []
    text = " ".join(_page_texts(site / "hostile.pdf"))
    assert "Board pack" in text and "RAN" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no profile beside it
