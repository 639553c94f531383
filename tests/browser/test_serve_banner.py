"""`portico serve` shows the files' errors in the page, not only in the terminal: a banner
on every page lists them as `portico check` prints them, and goes when they are fixed."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import REPO
from playwright.sync_api import Browser, Page

SLUG = "lumen-health"
BANNER = "article .admonition.failure"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the demo practice, previewed by `portico serve`; yields (root, url)."""
    for name in ("clients", "content", "theme", "mkdocs.yml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, tmp_path / name)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "portico", "--root", str(tmp_path), "serve", SLUG,
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield tmp_path, f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Traceback" not in output, output


def _open_until(page: Page, url: str, wanted: str, *, present: bool = True,
                timeout: float = 60) -> str:
    """Reload `url` until the banner's text holds `wanted` (or, with present=False, until
    there is no banner); returns the banner's text."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        try:
            page.goto(url, wait_until="domcontentloaded")
            banners = page.locator(BANNER)
            text = banners.first.inner_text() if banners.count() else ""
            if (wanted in text) if present else (banners.count() == 0
                                                 and page.locator("article h1").count()):
                return text
        except Exception:  # noqa: BLE001 - the server restarting between reloads
            pass
        time.sleep(0.5)
    raise AssertionError(f"waited for {wanted!r} (present={present}) at {url}; banner: {text!r}")


def test_a_broken_file_shows_in_a_banner_on_every_page_until_it_is_fixed(
        browser: Browser, preview: tuple[Path, str]) -> None:
    root, url = preview
    page = browser.new_page()
    try:
        _open_until(page, url, "", present=False)
        risks = root / "clients" / SLUG / "risks.yml"
        good = risks.read_text()
        lines = good.splitlines()
        line = next(n for n, text in enumerate(lines, 1) if text.strip() == "likelihood: 4")
        risks.write_text(good.replace("likelihood: 4", "likelihood: 7", 1))

        where = f"clients/{SLUG}/risks.yml:{line}:"
        text = _open_until(page, url, where)
        assert "last version that rendered" in text and "likelihood" in text
        assert page.locator("article h1").first.inner_text().startswith("Lumen Health")  # still shown
        assert where in _open_until(page, url + "risks/", where)  # on every page

        risks.write_text(good)
        _open_until(page, url + "risks/", "", present=False)
    finally:
        page.close()


def test_a_dead_link_shows_with_the_new_text_it_is_in(browser: Browser,
                                                       preview: tuple[Path, str]) -> None:
    """A page that renders but is still wrong (a link to nothing) shows the edit itself,
    under the banner."""
    root, url = preview
    page = browser.new_page()
    try:
        _open_until(page, url, "", present=False)
        note = sorted((root / "clients" / SLUG / "notes").glob("*.md"))[-1]
        note.write_text(note.read_text() + "\nA new line, see [the plan](missing-plan.md).\n")
        text = _open_until(page, url, "missing-plan.md")
        assert note.name in text and "fix them before you publish" in text
    finally:
        page.close()
