"""The practice portal in Chromium: the practice's passphrase opens site/_practice/ and
shows each client's row; a client reader's passphrase is refused."""

from __future__ import annotations

import pytest
from browser_support import DEMO_PASSPHRASES, Server, built_demo, serve_at, sign_in, unlock
from playwright.sync_api import Browser, expect

PRACTICE_PASSPHRASE = "vocal-coil-rope-film-gear-skirt-spur-sheet"  # README's demo reader


@pytest.fixture(scope="module")
def practice_portal(server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The whole demo built (every client, so the practice portal too), served under
    /cto/ (the demo fixture's MkDocs build: `built_demo`)."""
    out = built_demo(tmp_path_factory, "mkdocs")
    assert (out / "_practice/_portico/envelope.json").is_file()
    serve_at(server, out, "cto")
    return f"{server.origin}/cto/_practice/"


def test_the_practice_passphrase_opens_it_with_each_clients_row(
        browser: Browser, practice_portal: str) -> None:
    page = browser.new_page()
    unlock(page, practice_portal, PRACTICE_PASSPHRASE)
    table = page.locator("article table").first
    for name in ("Harborline Logistics", "Lumen Health"):  # a column per client
        expect(table.locator("thead th", has_text=name)).to_have_count(1)
    page.close()


def test_a_client_readers_passphrase_is_refused(browser: Browser, practice_portal: str) -> None:
    page = browser.new_page()
    page.goto(practice_portal)
    sign_in(page, DEMO_PASSPHRASES["harborline"])
    expect(page.get_by_role("alert").filter(has_text="Wrong passphrase")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.close()
