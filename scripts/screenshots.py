"""Screenshots of built portals, desktop and phone, after unlocking as a reader would.

    python scripts/screenshots.py [--all] SITE_DIR SLUG PASSPHRASE [OUT_DIR] [PAGE ...]

Serves SITE_DIR on 127.0.0.1, unlocks SLUG's portal with PASSPHRASE in headless Chromium
(Debian's package) and writes OUT_DIR/<slug>-<page>-<desktop|phone>.png (default out:
screenshots/, which git ignores). Also saves the login screen. With --all, every page the
portal's navigation links, as tests/browser/test_layout.py checks them.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = ["", "roadmap/", "decisions/", "risks/", "assessment/", "notes/", "decisions/0005/"]
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _nav_pages(page: Page, home: str) -> list[str]:
    """Every page the portal's navigation links, relative to its home ("" for the home)."""
    hrefs: list[str] = page.evaluate("""() => [...document.querySelectorAll(
        ".md-nav--primary a.md-nav__link[href]")].map((a) => a.href.split("#")[0])""")
    return sorted({href.removeprefix(home) for href in hrefs if href.startswith(home)})


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every page in the navigation")
    parser.add_argument("site", type=Path)
    parser.add_argument("slug")
    parser.add_argument("passphrase")
    parser.add_argument("out", type=Path, nargs="?", default=Path("screenshots"))
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args(argv)
    site, slug, passphrase, out = args.site, args.slug, args.passphrase, args.out
    out.mkdir(parents=True, exist_ok=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}/{slug}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for name, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            page.goto(origin)
            page.screenshot(path=str(out / f"{slug}-login-{name}.png"))
            page.fill("#portico-passphrase", passphrase)
            page.press("#portico-passphrase", "Enter")
            page.wait_for_selector(".md-content", timeout=15000)
            pages = _nav_pages(page, origin) if args.all else args.pages or PAGES
            for path in pages:
                page.goto(origin + path)
                page.wait_for_selector(".md-content", timeout=15000)
                page.wait_for_timeout(300)
                label = path.strip("/").replace("/", "-") or "home"
                page.screenshot(path=str(out / f"{slug}-{label}-{name}.png"), full_page=True)
                print(out / f"{slug}-{label}-{name}.png")
            context.close()
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
