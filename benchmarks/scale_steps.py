"""The steps of bench_scale.py that are not a call into another benchmark: the large
portal in headless Chromium (the register's open time, the search's first hit), the
decrypted weight of its pages and search index, and StatiCrypt over plain sites.

Chromium is the one on PATH (never `playwright install`). The portal's CSP refuses eval,
so nothing here uses `wait_for_function`: every wait is a Playwright locator's.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench_build import run

from portico.protection.envelope import open_envelope, open_file

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
REGISTER_LINK = "nav.md-nav--primary a.md-nav__link[href$='risks/']"
REGISTER_URL = re.compile(r"/risks/$")
REGISTER_ROW = "article table a.pt-id"  # the summary table's risk ids
SEARCH_INDEX = "search/search_index.json"
TYPING_PAUSE = 1.0  # seconds a page is open before the reader types into search
TIMEOUT_MS = 180_000  # a 2,000-risk portal on a busy shared core


# --- decrypted weight -----------------------------------------------------------------------


def decrypted_weights(portal: Path, passphrase: str) -> dict[str, object]:
    """Decrypted sizes, in bytes, of a built portal's HTML pages and search index.

    Opens the portal as a reader does (envelope.json → content key → sealed manifest →
    each blob), with portico's own envelope functions. A chunked file's size is the
    manifest's (it is never one blob). Register pages are risks/ and risks/page-N/.
    """
    envelope = json.loads((portal / "_portico" / "envelope.json").read_text("utf-8"))
    key = open_envelope(envelope, passphrase)
    manifest = json.loads(open_file(key, envelope["manifest"],
                                    (portal / envelope["manifest"]).read_bytes()))
    sizes: dict[str, int] = {}
    for path, entry in manifest["files"].items():
        if not (path.endswith(".html") or path == SEARCH_INDEX):
            continue
        if "chunked" in entry:
            sizes[path] = int(entry["chunked"]["size"])
        else:
            sizes[path] = len(open_file(key, path, (portal / entry["blob"]).read_bytes()))
    pages = {path: size for path, size in sizes.items() if path.endswith(".html")}
    register = {path: size for path, size in pages.items()
                if re.fullmatch(r"risks/(page-\d+/)?index\.html", path)}
    largest = max(pages, key=pages.__getitem__)
    return {"pages": len(pages), "largest_page": largest, "largest_page_bytes": pages[largest],
            "register_bytes": pages.get("risks/index.html", 0),
            "register_pages": len(register), "register_pages_max_bytes": max(register.values(),
                                                                             default=0),
            "pages_over_500kB": sum(size > 500_000 for size in pages.values()),
            "search_index_bytes": sizes.get(SEARCH_INDEX, 0)}


# --- the portal in Chromium -------------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 from a thread; yields the origin, http://127.0.0.1:PORT."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class BrowserTimes:
    """Seconds per fresh browser context (one list entry each)."""

    unlock: list[float] = field(default_factory=list)  # Enter → "Log out" shown
    register: list[float] = field(default_factory=list)  # nav click → register rows shown
    search_after_load: list[float] = field(default_factory=list)  # load event → first hit
    search_at_once: list[float] = field(default_factory=list)  # typing at load → first hit
    search_typed: list[float] = field(default_factory=list)  # typing, page open 1 s → hit
    error: str = ""

    def medians(self) -> dict[str, float]:
        return {name: statistics.median(values) for name, values in vars(self).items()
                if isinstance(values, list) and values}


def time_portal(site_root: Path, slug: str, passphrase: str, needle: str, needle_risk: str,
                rounds: int = 3) -> BrowserTimes:
    """Open the portal `site_root/slug/` in `rounds` fresh Chromium contexts and time, in each:
    unlocking; the risk register, from clicking its nav link to its table's rows shown; and a
    search for `needle` (a word only `needle_risk`'s title has) until its hit shows, typed
    as soon as the page has loaded and again on a page open for TYPING_PAUSE seconds."""
    from playwright.sync_api import Page, sync_playwright

    times = BrowserTimes()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        times.error = "no chromium on PATH"
        return times
    hit = f".md-search-result__item a[href*='{needle_risk.lower()}']"

    def search(page: Page, url: str, pause: float) -> tuple[float, float]:
        page.goto(url)  # returns at the load event
        loaded = time.perf_counter()
        page.wait_for_timeout(pause * 1000)
        box = page.get_by_role("textbox", name="Search")
        typing = time.perf_counter()
        box.click()
        box.press_sequentially(needle)
        page.locator(hit).first.wait_for(state="visible")
        shown = time.perf_counter()
        return shown - loaded, shown - typing

    with serve(site_root) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        url = f"{origin}/{slug}/"
        for _ in range(rounds):
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url)
            page.locator("#portico-open:enabled").wait_for()  # its script took the form
            field_ = page.get_by_label("Passphrase")
            field_.fill(passphrase)
            started = time.perf_counter()
            field_.press("Enter")
            page.get_by_role("button", name="Log out").wait_for(state="visible")
            times.unlock.append(time.perf_counter() - started)
            link = page.locator(REGISTER_LINK).first
            started = time.perf_counter()
            link.click()
            page.wait_for_url(REGISTER_URL)
            page.locator(REGISTER_ROW).first.wait_for(state="visible")
            times.register.append(time.perf_counter() - started)
            after_load, at_once = search(page, url, 0.0)
            times.search_after_load.append(after_load)
            times.search_at_once.append(at_once)
            times.search_typed.append(search(page, url, TYPING_PAUSE)[1])
            context.close()
        browser.close()
    return times


# --- StatiCrypt ---------------------------------------------------------------------------------


def install_staticrypt(prefix: Path) -> Path | str:
    """`npm install staticrypt@3` into `prefix`; its executable, or why there is none."""
    npm = shutil.which("npm")
    if not npm:
        return "npm not on PATH"
    done = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                           "staticrypt@3"], capture_output=True, text=True, timeout=600)
    binary = prefix / "node_modules" / ".bin" / "staticrypt"
    if done.returncode or not binary.exists():
        return f"npm install staticrypt@3 failed: {done.stderr.strip()[-300:]}"
    return binary


def staticrypt_sites(binary: Path, sites: dict[str, Path], out: Path,
                     password: str) -> dict[str, object]:
    """Encrypt every HTML file of each plain site with StatiCrypt, one process per site, one
    after the other (as `mkdocs build` ran): wall and CPU seconds (children included).
    StatiCrypt encrypts HTML only; the search index and assets stay as they were."""
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    started = time.perf_counter()
    runs = [run([str(binary), str(site), "-r", "-d", str(out / slug), "-p", password,
                 "--short", "-c", "false"]) for slug, site in sites.items()]
    wall = time.perf_counter() - started
    failures = [f"{r.command[1]}: exit {r.returncode}: {r.stderr.strip()[-300:]}"
                for r in runs if r.returncode]
    return {"version": version.stdout.strip(), "wall": wall,
            "cpu": sum(r.cpu_seconds for r in runs), "per_process": [r.seconds for r in runs],
            "files": sum(1 for _ in out.rglob("*.html")), "failures": failures}
