"""Harborline's three views in Chromium: each audience's passphrase opens its own portal
only, and the engineering portal shows, indexes and holds nothing meant for leadership."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from browser_support import DEMO_VIEW_PASSPHRASES, Server, search_index, sign_in, unlock
from playwright.sync_api import Browser, Page, expect

from portico.protection.envelope import open_envelope, open_file

ENGINEER = DEMO_VIEW_PASSPHRASES["harborline--engineering"]
BOARD = DEMO_VIEW_PASSPHRASES["harborline--board"]
# Titles and phrases of leadership-only items (clients/harborline: decision 0004 and the
# CEO's one-to-one are `audience: [leadership]`; the vendor demos note is tagged
# `commercial`, which engineering excludes; vendors are not among its sections).
LEADERSHIP_ONLY = [
    "Move first-line IT support to a managed service provider",
    "CEO one-to-one, IT support after 2026",
    "TMS vendor demos: scoring and shortlist",
    "retention payment",
    "Gary Henson told Margaret",
]


@pytest.fixture
def served(demo: str, server: Server) -> Path:
    """The folder the demo's portals were built into, for this engine."""
    return server.root / "zensical" if "/zensical/" in demo else server.root


def _view(demo: str, view: str) -> str:
    return demo.replace("/harborline/", f"/harborline--{view}/")


def test_the_engineering_passphrase_opens_engineering_and_leadership_refuses_it(
        browser: Browser, demo: str) -> None:
    page = browser.new_page()
    unlock(page, _view(demo, "engineering"), ENGINEER)
    expect(page.locator("article h1")).to_be_visible()
    page.close()
    refused = browser.new_page()
    refused.goto(demo)
    sign_in(refused, ENGINEER)
    expect(refused.get_by_role("alert").filter(has_text="Wrong passphrase")).to_be_visible()
    expect(refused.get_by_role("button", name="Log out")).to_have_count(0)
    refused.close()


def test_the_engineering_navigation_and_search_hold_no_leadership_only_title(
        page: Page, demo: str) -> None:
    unlock(page, _view(demo, "engineering"), ENGINEER)
    nav = page.locator(".md-nav--primary").first.inner_text()
    assert "Roadmap" in nav and "Decisions" in nav
    _, entries = search_index(page)
    index = json.dumps(entries)
    assert entries and "Carrier" in index
    for phrase in LEADERSHIP_ONLY:
        assert phrase.lower() not in nav.lower(), phrase
        assert phrase.lower() not in index.lower(), phrase
    page.goto(_view(demo, "engineering") + "decisions/")
    article = page.locator("article")
    expect(article).to_contain_text("0006")
    expect(article).not_to_contain_text("0004")


def test_the_engineering_whats_new_holds_no_leadership_only_title(
        page: Page, history_portal: str) -> None:
    unlock(page, history_portal.replace("/harborline/", "/harborline--engineering/")
           + "whats-new/", ENGINEER)
    article = page.locator("article")
    expect(article.locator("li").first).to_be_visible()
    text = article.inner_text().lower()
    for phrase in [*LEADERSHIP_ONLY, "Q4 board pack"]:
        assert phrase.lower() not in text, phrase


def test_the_board_packs_show_the_asks_and_decisions_meant_for_the_board(
        page: Page, demo: str) -> None:
    unlock(page, _view(demo, "board") + "board/2026-12-10/", BOARD)
    article = page.locator("article")
    expect(article).to_contain_text("Q4 board pack")
    expect(article).to_contain_text("0006")
    nav = page.locator(".md-nav--primary").first.inner_text()
    assert "Notes" not in nav and "Vendors" not in nav


def _files(portal: Path) -> dict[str, bytes]:
    return {p.relative_to(portal).as_posix(): p.read_bytes()
            for p in portal.rglob("*") if p.is_file()}


def _decrypted(portal: Path, passphrase: str) -> dict[str, bytes]:
    envelope = json.loads((portal / "_portico/envelope.json").read_text("utf-8"))
    key = open_envelope(envelope, passphrase)
    manifest = json.loads(open_file(key, envelope["manifest"],
                                    (portal / envelope["manifest"]).read_bytes()))
    return {path: open_file(key, path, (portal / entry["blob"]).read_bytes())
            for path, entry in manifest["files"].items()}


def test_a_byte_scan_of_the_engineering_portal_finds_no_leadership_only_phrase(
        demo: str, served: Path) -> None:
    portal = served / "harborline--engineering"
    files = _files(portal)
    for phrase in LEADERSHIP_ONLY:
        for form in {phrase, html.escape(phrase), json.dumps(phrase)[1:-1]}:
            assert not [p for p, data in files.items() if form.encode() in data], phrase
    plain = _decrypted(portal, ENGINEER)  # every key the engineering reader holds
    text = b"\n".join(plain.values()).decode("utf-8", "replace").lower()
    for phrase in LEADERSHIP_ONLY:
        for form in {phrase, html.escape(phrase), json.dumps(phrase)[1:-1]}:
            assert form.lower() not in text, phrase


VIEW_ATTACK = """async (url) => {
    const wait = (ms) => new Promise((ok) => setTimeout(ok, ms));
    const out = {};
    const frame = document.createElement("iframe");
    frame.src = url;
    document.body.append(frame);
    await wait(1500);
    try { out.frame = frame.contentDocument?.documentElement?.outerHTML ?? ""; }
    catch (error) { out.frame = "blocked: " + error.name; }
    const popup = window.open(url);
    await wait(1500);
    try { out.popup = popup.document.documentElement.outerHTML; }
    catch (error) { out.popup = "blocked: " + error.name; }
    popup.close();
    out.fetched = await (await fetch(url)).text();
    return out;
}"""


def test_an_unlocked_engineering_reader_and_a_page_on_the_origin_read_no_leadership_page(
        browser: Browser, demo: str, server: Server) -> None:
    """The attack suite's frame, popup and fetch, against a view: with the engineering
    portal unlocked in the browser, neither one of its own pages (whose worker answers its
    fetches) nor a sibling folder's page of the same origin reads a leadership-only page."""
    attacker_home = server.root / "view-attacker"
    attacker_home.mkdir(exist_ok=True)
    (attacker_home / "index.html").write_text("<!doctype html><title>Sibling</title><p>hi",
                                              "utf-8")
    context = browser.new_context()
    engineering = context.new_page()
    unlock(engineering, _view(demo, "engineering"), ENGINEER)
    expect(engineering.locator("article h1")).to_be_visible()
    target = f"{demo}decisions/0004/"  # leadership only: the MSP decision
    fetch = "async (url) => (await fetch(url)).text()"
    through_worker = engineering.evaluate(fetch, target)
    # The control: the same fetch of one of its own pages is answered in plain text.
    roadmap = f"{_view(demo, 'engineering')}roadmap/"
    assert "Move Manifest and its database to AWS" in engineering.evaluate(fetch, roadmap)
    attacker = context.new_page()
    attacker.goto(f"{server.origin}/view-attacker/")
    stolen = attacker.evaluate(VIEW_ATTACK, target)
    # ... and the engineering portal's own pages are no more readable to that sibling page.
    own = attacker.evaluate(VIEW_ATTACK, roadmap)
    context.close()
    for text in LEADERSHIP_ONLY:
        assert text not in through_worker, text
        for where in ("frame", "popup", "fetched"):
            assert text not in stolen[where], (where, text)
    for where in ("frame", "popup", "fetched"):
        assert "Move Manifest and its database to AWS" not in own[where], where
