"""The same portal built by each site engine: MkDocs (the default), ProperDocs (the MkDocs
1.x fork, as a drop-in) and Zensical (Material's successor). Protection and verify know no
engine; these tests prove each engine's portal unlocks, navigates, searches, asks for
nothing off its origin, runs no script the page's policy refuses, and passes the leak scan
(which also catches client text planted in its output)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import (
    DEMO_ENGINES,
    NO_PDFS,
    REPO,
    THOROUGH,
    Server,
    built_demo,
    built_once,
    serve_at,
    unlock,
)
from playwright.sync_api import Page, expect

ENGINES = ["mkdocs", "properdocs", "zensical"]


def _portico(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A process of its own: ProperDocs replaces the `mkdocs` modules of the process it runs in.
    # No PDFs: no test here reads one, and printing them is most of a build's time.
    return subprocess.run([sys.executable, "-m", "portico", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "GITHUB_ACTIONS": "", **NO_PDFS})


@pytest.fixture(scope="session", params=ENGINES)
def engine_portal(request: pytest.FixtureRequest, server: Server,
                  tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path, Path]:
    """(engine, portal URL, portal folder, practice) of Harborline built by that engine,
    once per test run (`built_once`). MkDocs and Zensical built the whole demo for the
    other browser tests already (`built_demo`): their Harborline is that build's."""
    engine = request.param
    if engine in DEMO_ENGINES:
        out = built_demo(tmp_path_factory, engine)
        practice = out.parent / f"demo-practice-{engine}"
    else:
        practice = tmp_path_factory.mktemp("engines") / "practice"
        for name in ("content", "theme", "mkdocs.yml"):
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copyfile)(source, practice / name)
        shutil.copytree(REPO / "clients" / "harborline", practice / "clients" / "harborline")

        def build(out: Path) -> None:
            done = _portico(practice, "build", "--engine", engine, "--force", "--out", str(out))
            assert done.returncode == 0, done.stdout + done.stderr

        out = built_once(tmp_path_factory, f"engine-{engine}", build)
    serve_at(server, out, f"engine-{engine}")
    return engine, f"{server.origin}/engine-{engine}/harborline/", out / "harborline", practice


def _nav_pages(page: Page, home: str) -> list[str]:
    hrefs: list[str] = page.evaluate("""() => [...document.querySelectorAll(
        ".md-nav--primary a.md-nav__link[href]")].map((a) => a.href.split("#")[0])""")
    return sorted({h for h in hrefs if h.startswith(home)})


def test_every_page_opens_with_no_refused_script_and_nothing_off_origin(
        page: Page, engine_portal: tuple[str, str, Path, Path]) -> None:
    engine, home, _, _ = engine_portal
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text
            or "Refused" in m.text else None)
    unlock(page, home)
    pages = _nav_pages(page, home)
    assert len(pages) >= 20, (engine, pages)
    if not THOROUGH:
        # One page of each kind (the first of each folder: decisions/0001/, board/...):
        # pages of one kind share their template and scripts, and the layout and text walks
        # read every page of the MkDocs build already (PORTICO_THOROUGH=1 opens every one).
        kinds = {url.removeprefix(home).split("/")[0]: url for url in reversed(pages)}
        pages = sorted(kinds.values())
    for url in pages:
        page.goto(url)
        expect(page.locator("article h1")).to_be_visible()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert refused == [], (engine, refused)
    # (the `context` fixture asserts that no request left the portal's origin)


def test_search_finds_the_word_only_one_risk_mentions(
        page: Page, engine_portal: tuple[str, str, Path, Path]) -> None:
    engine, home, _, _ = engine_portal
    unlock(page, home)
    if engine == "zensical":  # its search is a dialog opened from a button
        page.locator(".md-search__button").click()
        page.keyboard.type("demurrage", delay=30)
        hit = page.get_by_text("RISK-002 · Carrier integrations depend on one engineer")
        expect(hit.first).to_be_visible(timeout=10000)
        hit.first.click()
    else:
        search = page.get_by_role("textbox", name="Search")
        search.click()
        search.press_sequentially("demurrage", delay=30)
        results = page.locator(".md-search-result__item")
        expect(results.first).to_be_visible(timeout=10000)
        results.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/harborline/risks/"))


def test_the_leak_scan_passes_and_catches_text_planted_in_the_output(
        engine_portal: tuple[str, str, Path, Path], tmp_path: Path) -> None:
    engine, _, portal, practice = engine_portal
    assert _portico(practice, "verify", str(portal)).returncode == 0
    planted = tmp_path / "harborline"
    shutil.copytree(portal, planted)
    theme_script = next(planted.glob("assets/javascripts/bundle.*.js"))
    theme_script.write_text(theme_script.read_text() + "\n// Calder Home Goods\n")
    done = _portico(practice, "verify", str(planted))
    assert done.returncode == 1, (engine, done.stdout)
    report = done.stdout + done.stderr
    assert theme_script.name in report and "'Calder'" in report, report
