"""axe-core on every page of the demo portals and of the dated-history portal.

Pages are read at laptop (1366) and phone (390) width, and in the light and the dark
palette, every kind of page in all four combinations (see GRID): no serious or critical
violation, colour contrast included (WCAG AA, 4.5:1 for body
text). Moderate and minor findings are counted and shown, not failed. Every page of
Harborline's portal is read at laptop width in the light palette; the other configurations
read one page of each kind (`kind`), and every page with PORTICO_THOROUGH=1.

The portal's CSP refuses eval, and axe-core is injected as a string: the context bypasses
CSP (the test's own script only; the page's policy is tested elsewhere). One unlocked context
per configuration walks every page its navigation links, as test_layout.py does.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import (
    DEMO_PASSPHRASES,
    DEMO_VIEW_PASSPHRASES,
    THOROUGH,
    one_per_kind,
    unlock,
    walk_to,
)
from playwright.sync_api import Browser, Page, expect

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme → Material's scheme
PORTALS = [*sorted(DEMO_PASSPHRASES), *sorted(DEMO_VIEW_PASSPHRASES), "history"]
FAILING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
# The demo is checked on one engine: every page twice over is CI time, and the CSS that
# decides contrast is Portico's own on both.
pytestmark = pytest.mark.parametrize("demo", [
    "mkdocs",
    pytest.param("zensical", marks=pytest.mark.skip(
        reason="axe runs on the MkDocs build only (the portal CSS is shared; CI time)")),
], indirect=True)

AXE = Axe()


@dataclass
class Audit:
    """What axe found on one portal in one configuration."""

    pages: int = 0
    seconds: float = 0.0
    impacts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    """One line per serious or critical violation: page, rule, impact, where, why."""

    def summary(self) -> str:
        counts = ", ".join(f"{impact} {self.impacts[impact]}" for impact in IMPACTS)
        return f"{self.pages} pages, {self.seconds:.0f} s; violations (nodes): {counts}"


def _pages(page: Page, home: str) -> list[str]:
    """Every page of the portal at `home`, as its navigation links them (as test_layout)."""
    hrefs: list[str] = page.evaluate("""() => [...document.querySelectorAll(
        ".md-nav--primary a.md-nav__link[href]")].map((a) => a.href.split("#")[0])""")
    return sorted({href for href in hrefs if href.startswith(home)})


def _axe(page: Page) -> dict[str, Any]:
    """axe-core's findings on the page shown. axe is injected once per document: instant
    navigation keeps the document (and axe) from one page of the walk to the next."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.axe_script)
    found: dict[str, Any] = page.evaluate(
        "(options) => axe.run(document, options)", {"resultTypes": ["violations"]})
    return found


def _describe(node: dict[str, Any]) -> str:
    target = " ".join(map(str, node.get("target", [])))[:90]
    why = (node.get("failureSummary") or "").replace("\n", " ")
    data = next((check.get("data") for check in node.get("any", []) if check.get("data")), None)
    if isinstance(data, dict) and "contrastRatio" in data:
        why = (f"{data['contrastRatio']}:1 ({data.get('fgColor')} on {data.get('bgColor')}, "
               f"needs {data.get('expectedContrastRatio')})")
    return f"{target}: {why[:160]}"


def audit(browser: Browser, home: str, passphrase: str, width: str, scheme: str,
          only: frozenset[str] | None = None, every: bool = True) -> Audit:
    """axe on every page of the portal at `home` (or those of `only`, URLs relative to
    `home`; or one page of each kind unless `every`), unlocked once, in one configuration."""
    started = time.monotonic()
    context = browser.new_context(viewport=VIEWPORTS[width],  # type: ignore[arg-type]
                                  color_scheme=scheme, bypass_csp=True)  # type: ignore[arg-type]
    page = context.new_page()
    unlock(page, home, passphrase)
    found = Audit()
    urls = _pages(page, home)
    for url in urls if every else one_per_kind(urls, home):
        if only is not None and url.removeprefix(home) not in only:
            continue
        walk_to(page, url)
        # The palette really is the one asked for: Material follows prefers-color-scheme.
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
        results = _axe(page)
        found.pages += 1
        name = url.removeprefix(home) or "(home)"
        for violation in results["violations"]:
            impact = violation.get("impact") or "minor"
            found.impacts[impact] += len(violation["nodes"])
            if impact in FAILING:
                found.failures += [f"{name} {violation['id']} ({impact}) {_describe(node)}"
                                   for node in violation["nodes"]]
    context.close()
    found.seconds = time.monotonic() - started
    return found


@pytest.fixture(scope="module")
def audited(browser: Browser, demo: str, request: pytest.FixtureRequest
            ) -> Iterator[Callable[[str, str, str], Audit]]:
    """audited(portal, width, scheme): axe's findings, once per configuration per module."""
    cache: dict[tuple[str, str, str], Audit] = {}

    def run(portal: str, width: str, scheme: str) -> Audit:
        if (portal, width, scheme) not in cache:
            only = None
            if portal == "history":
                home = request.getfixturevalue("history_portal")
                only = request.getfixturevalue("history_pages")  # the rest are the demo's
            else:
                home = demo.replace("/harborline/", f"/{portal}/")
            passphrase = {**DEMO_PASSPHRASES, **DEMO_VIEW_PASSPHRASES}.get(
                portal, DEMO_PASSPHRASES["harborline"])
            cache[portal, width, scheme] = audit(browser, home, passphrase, width, scheme,
                                                 only, every=THOROUGH or (portal, width,
                                                                          scheme) in EVERY_PAGE)
        return cache[portal, width, scheme]

    yield run


# Every page of Harborline's leadership portal is read at laptop width in the light palette,
# where what a page's own content brings (its chips, tables, charts, words) shows; at phone
# width in the dark palette one page of each kind is, as the palette and the width are the
# CSS's, the same on every page of a kind. The other portals' pages are Harborline's kinds
# of page (its views are subsets of it; Lumen and the dated repository share every template
# and the CSS): one page of each kind is read in one or two of the other combinations, so
# that every kind of page is checked in all four, at a fraction of reading every portal four
# times in CI minutes. The dated repository's own pages (what only history draws) are read
# every one at laptop width in the light palette, and one of each kind at phone width in the
# dark palette, as Harborline's are. PORTICO_THOROUGH=1 reads every page in every combination.
EVERY_PAGE = {("harborline", "laptop", "light"), ("history", "laptop", "light")}
GRID = [
    ("harborline", "laptop", "light"), ("harborline", "phone", "dark"),
    ("harborline--board", "laptop", "dark"), ("harborline--board", "phone", "light"),
    ("harborline--engineering", "phone", "light"),
    ("lumen-health", "laptop", "dark"),
    ("history", "laptop", "light"), ("history", "phone", "dark"),  # what only history draws
]


@pytest.mark.parametrize(("portal", "width", "scheme"), GRID)
def test_no_serious_or_critical_accessibility_violation(
    audited: Callable[[str, str, str], Audit], portal: str, width: str, scheme: str,
    record_property: Callable[[str, object], None],
) -> None:
    found = audited(portal, width, scheme)
    line = f"axe {portal} {width} {scheme}: {found.summary()}"
    print(line)
    record_property("axe", line)  # shown in the terminal summary (conftest.py)
    assert found.pages >= 3, line  # the walk found the portal's pages, or this proves nothing
    assert found.failures == [], line + "\n" + "\n".join(found.failures)
