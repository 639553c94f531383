"""Shared pieces of the browser tests: the sample portal's build, passphrases, the server."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

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
