"""Shared pieces of the browser tests: the sample portal's build, passphrases, the server."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Locator, Page, expect

from portico.cli import main
from portico.engine.build import describe_site
from portico.protection.protect import ProtectionResult, protect_site
from portico.protection.readers import Reader

REPO = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parents[1] / "fixtures" / "sample_portal"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSPHRASES = {
    "dana": "tidy-otter-lantern-quarry-velvet-ember",
    "sam": "Sam's own chosen passphrase 42",
}
PRACTICE = "Example CTO Practice"
SLUG = "acme"
# The demo readers' passphrases (clients/*/readers.yml), as the README gives them.
DEMO_PASSPHRASES = {
    "harborline": "anchor-tidal-lantern-velvet-orbit-maple",
    "lumen-health": "quartz-meadow-signal-cedar-ember-drift",
}
# The readers of Harborline's other views (client.yml `views:`), each holding one view, as
# the README gives them; the demo reader above holds the default view, leadership.
DEMO_VIEW_PASSPHRASES = {
    "harborline--board": "send-salad-half-sift-chase-marry-decay-spot",
    "harborline--engineering": "ream-set-ritzy-exit-poem-stoop-curl-bunt",
}


@dataclass
class Portal:
    """A protected portal served at `url` (ends with '/'), with what made it."""

    url: str
    plain: Path
    site: Path
    result: ProtectionResult
    readers: list[Reader]

    def blob_of(self, path: str) -> Path:
        """The sealed file that holds the logical `path` (e.g. 'risks/r-002/index.html')."""
        entry = next(f for f in self.result.files if f.path == path)
        return self.site / entry.blob


@dataclass
class Server:
    """A threaded static HTTP server over `root`, recording every path it was asked for."""

    root: Path
    origin: str = ""
    paths: list[str] = field(default_factory=list)

    def publish(self, slug: str, plain: Path, readers: list[Reader],
                docs: Path = SAMPLE / "docs") -> Portal:
        """Protect the plain site MkDocs built from `docs` and serve it at /slug/."""
        site = self.root / slug
        if site.exists():
            shutil.rmtree(site)
        pages, scripts = describe_site(docs, plain)
        result = protect_site(plain, site, readers, practice_name=PRACTICE, page_paths=pages,
                              engine_scripts=scripts)
        return Portal(f"{self.origin}/{slug}/", plain, site, result, readers)


def built_once(factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """The folder `build(folder)` filled, run once per test run, not once per xdist worker.

    The first worker to ask builds under a file lock in the folder the workers share; the
    others wait for it and take its output. Builds are the costly part of a browser
    session (each demo build prints its PDFs in Chromium), and every worker asked for each
    one. A build that failed left no mark: the next worker tries again, and fails the same.
    Served files are shared too, so no test may change them (copy first)."""
    base = factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / f"built-{name}"
    with open(shared / f"built-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / f"built-{name}.done").exists():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            build(folder)
            (shared / f"built-{name}.done").touch()
    return folder


def built_demo(factory: pytest.TempPathFactory, engine: str) -> Path:
    """The demo practice (both clients, Harborline's views, the practice portal) built by
    `engine` with `portico build`, once per test run; the output folder."""
    def build(out: Path) -> None:
        practice = out.parent / f"demo-practice-{engine}"
        shutil.rmtree(practice, ignore_errors=True)  # left by a build that failed
        for name in ("clients", "content", "theme", "practice"):
            shutil.copytree(REPO / name, practice / name)
        shutil.copyfile(REPO / "mkdocs.yml", practice / "mkdocs.yml")
        result = CliRunner().invoke(main, ["--root", str(practice), "build", "--force",
                                           "--out", str(out), "--engine", engine])
        assert result.exit_code == 0, result.output

    return built_once(factory, f"demo-{engine}", build)


def serve_at(server: Server, folder: Path, at: str = "") -> None:
    """Serve the entries of `folder` (built by `built_once`) at /`at`/ on `server`, by
    symbolic links into the shared folder."""
    where = server.root / at
    where.mkdir(parents=True, exist_ok=True)
    for entry in folder.iterdir():
        link = where / entry.name
        if not link.exists():
            link.symlink_to(entry, target_is_directory=entry.is_dir())


def sign_in(page: Page, passphrase: str, *, remember: bool = False) -> None:
    """Type `passphrase` into the sign-in page and press Enter, once its script handles the
    form (the Open button is enabled). Not before: on a loaded machine the box can be
    found visible before the style sheet that hides it has loaded, and Enter on a form
    whose button is still disabled does nothing, as it must."""
    expect(page.locator("#portico-open")).to_be_enabled()
    field = page.get_by_label("Passphrase")
    field.fill(passphrase)
    if remember:
        page.get_by_label("Remember me on this device for 30 days").check()
    field.press("Enter")


def unlock(page: Page, url: str, passphrase: str = DEMO_PASSPHRASES["harborline"]) -> None:
    """Open `url` and sign in as a reader would; returns once the portal shows "Log out"."""
    page.goto(url)
    sign_in(page, passphrase)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


# Mark the page being left, then follow a link to `url` as a reader's click does.
_FOLLOW = """(url) => {
  document.querySelector("article")?.setAttribute("data-portico-left", "");
  const link = document.createElement("a");
  link.href = url;
  document.body.append(link);
  link.click();
  link.remove();
}"""


THOROUGH = os.environ.get("PORTICO_THOROUGH", "") not in {"", "0"}
"""PORTICO_THOROUGH=1: the demo's browser tests run on Zensical too, the walks read every
page of every portal in every configuration they check, and every attack runs on every
portal. Without it (CI), each test file's docstring says what it leaves out, for CI
minutes (README)."""

NO_PDFS = {"PORTICO_CHROMIUM": "/nonexistent/no-chromium"}
"""The environment of a test's own build whose PDFs no test reads: printing a board pack
starts Chromium for each, the costliest part of building a portal."""


def kind(url: str) -> tuple[str, int]:
    """What decides a page's template: its section (first folder) and depth. Every decision,
    note or board pack of a portal is one kind, and the section's index another."""
    parts = [part for part in url.split("/") if part]
    return (parts[0] if parts else "", len(parts))


def one_per_kind(urls: list[str], home: str) -> list[str]:
    """The first page of each kind among `urls` (sorted), relative to `home`."""
    first: dict[tuple[str, int], str] = {}
    for url in urls:
        first.setdefault(kind(url.removeprefix(home)), url)
    return sorted(first.values())


DEMO_ENGINES = ["mkdocs", "zensical"] if THOROUGH else ["mkdocs"]
"""The engines the demo is built with for the browser tests (conftest.py `demo`): MkDocs,
the default; with PORTICO_THOROUGH=1 Zensical too, and a test of the demo then runs on both
unless marked `mkdocs_only`. In CI, every engine's Harborline portal (Zensical's and
ProperDocs' built by test_engines.py alone) opens every kind of page with no refused script
and nothing off its origin, finds a word by search and passes the leak scan."""

mkdocs_only = pytest.mark.parametrize("demo", ["mkdocs"], indirect=True)
"""For a test of the demo that checks what Portico itself draws (its charts, its CSS on the
engine's pages, the content of the render stage), the same on every engine: it runs on the
MkDocs build alone, also with PORTICO_THOROUGH=1. What an engine brings (its templates,
scripts, search, print chrome, not-found page, header) is tested on both then, and every
engine's pages open with no refused script and nothing off origin in test_engines.py."""


def walk_to(page: Page, url: str) -> None:
    """Open `url`, a page of the portal `page` shows, as a click on a link there does: the
    theme's instant navigation swaps the new page in (Material), or the browser loads it
    (an engine without it). Returns once its article is shown and its images are loaded.

    A walk over every page measures the same layout and text as one that loads each page
    afresh (compared page by page on the demo at 1366 and 390 px), and the same axe
    findings (compared at 390 px, dark), in a quarter of the time: the theme's scripts and
    the search index are not set up again."""
    if page.url.split("#")[0] == url:
        page.wait_for_load_state("load")
    else:
        page.evaluate(_FOLLOW, url)
        page.locator("article:not([data-portico-left]) h1").first.wait_for(state="visible")
        page.wait_for_load_state("load")
    deadline = time.monotonic() + 30
    while not page.evaluate("() => [...document.images].every((image) => image.complete)"):
        assert time.monotonic() < deadline, f"{url}: its images never finished loading"
        time.sleep(0.02)
    assert page.url.split("#")[0] == url, f"asked for {url}, shown {page.url}"


def search(page: Page, term: str) -> Locator:
    """Type `term` into the theme's search, as a reader would: Material's search box, or
    Zensical's search dialog (opened from its button). Returns the result links."""
    box = page.get_by_role("textbox", name="Search")
    if box.count():
        box.click()
        box.press_sequentially(term, delay=30)
    else:
        page.locator(".md-search__button").click()
        page.keyboard.type(term, delay=30)
    return page.locator(f"a[href*='?h={term}']")


def search_index(page: Page) -> tuple[str, list[dict[str, str]]]:
    """The unlocked portal's search index, decrypted by its service worker: ("material",
    its docs) from search/search_index.json, or ("zensical", its items) from search.json."""
    found: list[Any] = page.evaluate("""async () => {
        for (const [kind, url, key] of [["material", "search/search_index.json", "docs"],
                                        ["zensical", "search.json", "items"]]) {
            const r = await fetch(url);
            if (r.ok) return [kind, (await r.json())[key]];
        }
        return [null, []]; }""")
    return found[0], found[1]
