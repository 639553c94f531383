"""The protected portal in a real browser: what a reader sees, does and cannot see."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from browser_support import CHROMIUM_ARGS, PASSPHRASES, Portal, Server, sign_in
from playwright.sync_api import Browser, Page, expect

from portico.protection.readers import Reader, share_fragment

CLIENT_TEXT = [
    "Northwind Fixture Co",
    "Dana Quillfeather",
    "quokkafjord",
    "Zephyrcloud",
    "Marguerite Oakenshaw",
    "Brindlewood",
    "Risk register",
]
INTEGRITY = "failed its integrity check"


def unlock(page: Page, passphrase: str, *, remember: bool = False) -> None:
    """Type the passphrase into the shell and press Enter."""
    expect(page.get_by_label("Passphrase")).to_be_focused()
    sign_in(page, passphrase, remember=remember)


def expect_unlocked(page: Page, heading: str) -> None:
    expect(page.locator("article h1")).to_have_text(heading)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("#portico-passphrase")).to_have_count(0)


def expect_login(page: Page) -> None:
    expect(page.get_by_label("Passphrase")).to_be_visible()
    assert not any(text in page.content() for text in CLIENT_TEXT)


def test_right_passphrase_shows_home_then_three_pages_without_asking_again(
    page: Page, portal: Portal
) -> None:
    page.goto(portal.url)
    expect(page).to_have_title(re.compile("Sign in"))
    unlock(page, PASSPHRASES["dana"])
    expect_unlocked(page, "Northwind Fixture Co")
    page.locator(".md-nav__link", has_text="Risk register").first.click()
    expect_unlocked(page, "Risk register")
    page.get_by_role("link", name="R-001 Vendor lock-in at Zephyrcloud").first.click()
    expect_unlocked(page, "R-001 Vendor lock-in at Zephyrcloud")
    page.goto(portal.url + "decisions/0001/")
    expect_unlocked(page, "0001 Move invoices to Postgres")


def test_a_link_to_another_page_swaps_it_in_without_a_new_document(
    page: Page, portal: Portal
) -> None:
    """The theme's instant navigation: it takes over links to the pages its sitemap lists
    (the worker's, under its own scope), so a click loads no scripts, styles or search
    index again. The sitemap names the portal's pages, each under the portal's address."""
    page.goto(portal.url)
    unlock(page, PASSPHRASES["dana"])
    expect_unlocked(page, "Northwind Fixture Co")
    page.evaluate("window.ptSameDocument = true")
    page.locator(".md-nav__link", has_text="Risk register").first.click()
    expect_unlocked(page, "Risk register")
    expect(page).to_have_url(re.compile(r"/risks/$"))
    assert page.evaluate("window.ptSameDocument === true")  # the same document
    sitemap = page.evaluate("(url) => fetch(url + 'sitemap.xml').then((r) => r.text())",
                            portal.url)
    locs = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert portal.url in locs and portal.url + "risks/" in locs
    assert all(loc.startswith(portal.url) and loc.endswith("/") for loc in locs)


def test_search_finds_a_word_in_one_page_and_opens_it(page: Page, portal: Portal) -> None:
    page.goto(portal.url)
    unlock(page, PASSPHRASES["sam"])
    expect_unlocked(page, "Northwind Fixture Co")
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("quokkafjord", delay=20)
    results = page.locator(".md-search-result__item")
    expect(results).to_have_count(1)
    results.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/risks/r-001/"))
    expect(page.locator(".md-content article")).to_contain_text("quokkafjord")


def test_wrong_passphrase_says_so_and_shows_nothing(page: Page, portal: Portal) -> None:
    page.goto(portal.url + "risks/r-001/")
    unlock(page, "not the right passphrase at all")
    expect(page.get_by_role("alert").filter(has_text="Wrong passphrase")).to_be_visible()
    expect_login(page)


def test_deep_link_asks_then_shows_that_page(page: Page, portal: Portal) -> None:
    page.goto(portal.url + "risks/r-002/")
    unlock(page, PASSPHRASES["dana"])
    expect_unlocked(page, "R-002 Single maintainer of billing")
    expect(page).to_have_url(portal.url + "risks/r-002/")


def test_log_out_makes_the_next_page_ask_again(page: Page, portal: Portal) -> None:
    page.goto(portal.url)
    unlock(page, PASSPHRASES["dana"])
    expect_unlocked(page, "Northwind Fixture Co")
    other = page.context.new_page()
    other.goto(portal.url + "risks/")
    expect_unlocked(other, "Risk register")
    page.get_by_role("button", name="Log out").click()
    expect_login(page)
    page.goto(portal.url + "risks/")
    expect_login(page)
    expect_login(other)  # told by the first tab, it reloaded itself
    other.reload()
    expect_login(other)


def test_remember_me_survives_a_browser_restart_only_when_ticked(
    browser: Browser, portal: Portal, tmp_path: Path
) -> None:
    for remember in (True, False):
        profile = tmp_path / f"profile-{remember}"
        options = {"executable_path": shutil.which("chromium"), "args": CHROMIUM_ARGS}
        first = browser.browser_type.launch_persistent_context(profile, **options)
        page = first.new_page()
        page.goto(portal.url)
        unlock(page, PASSPHRASES["dana"], remember=remember)
        expect_unlocked(page, "Northwind Fixture Co")
        first.close()  # the whole browser: memory, worker and tabs are gone
        second = browser.browser_type.launch_persistent_context(profile, **options)
        page = second.new_page()
        page.goto(portal.url + "risks/")
        if remember:
            expect_unlocked(page, "Risk register")
        else:
            expect_login(page)
        second.close()


def test_image_and_pdf_work_after_unlock(page: Page, portal: Portal) -> None:
    page.goto(portal.url)
    unlock(page, PASSPHRASES["dana"])
    expect_unlocked(page, "Northwind Fixture Co")
    image = page.locator("article img")
    expect(image).to_have_js_property("naturalWidth", 64)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Northwind board pack").click()
    download = download_info.value
    assert download.suggested_filename == "Northwind-Board-Pack.pdf"
    expected = (portal.plain / "files" / "Northwind-Board-Pack.pdf").read_bytes()
    assert Path(download.path()).read_bytes() == expected


def test_a_flipped_byte_shows_an_integrity_error_only(
    page: Page, server: Server, plain_site: Path, readers: list[Reader]
) -> None:
    tampered = server.publish("tampered", plain_site, readers)
    blob = tampered.blob_of("risks/r-002/index.html")
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x01
    blob.write_bytes(bytes(data))
    page.goto(tampered.url)
    unlock(page, PASSPHRASES["dana"])
    expect_unlocked(page, "Northwind Fixture Co")
    page.goto(tampered.url + "risks/r-002/")
    expect(page.get_by_role("alert")).to_contain_text(INTEGRITY)
    assert not any(text in page.content() for text in CLIENT_TEXT)


def test_a_removed_reader_is_refused_after_the_rebuild(
    page: Page, server: Server, plain_site: Path, readers: list[Reader]
) -> None:
    rebuilt = server.publish("revoked", plain_site, [r for r in readers if r.id != "sam"])
    page.goto(rebuilt.url)
    unlock(page, PASSPHRASES["sam"])
    expect(page.get_by_role("alert").filter(has_text="Wrong passphrase")).to_be_visible()
    page.get_by_label("Passphrase").fill(PASSPHRASES["dana"])
    page.get_by_label("Passphrase").press("Enter")
    expect_unlocked(page, "Northwind Fixture Co")


def test_a_stopped_service_worker_gets_the_key_back_without_asking(
    page: Page, portal: Portal
) -> None:
    page.goto(portal.url)
    unlock(page, PASSPHRASES["dana"])
    expect_unlocked(page, "Northwind Fixture Co")
    devtools = page.context.new_cdp_session(page)
    devtools.send("ServiceWorker.enable")
    devtools.send("ServiceWorker.stopAllWorkers")  # what the browser does to an idle worker
    page.locator(".md-nav__link", has_text="Risk register").first.click()
    expect_unlocked(page, "Risk register")
    devtools.send("ServiceWorker.stopAllWorkers")
    page.goto(portal.url + "decisions/0001/")
    expect_unlocked(page, "0001 Move invoices to Postgres")


def test_without_service_workers_the_shell_decrypts_the_page_itself(
    browser: Browser, portal: Portal
) -> None:
    ctx = browser.new_context(service_workers="block")
    page = ctx.new_page()
    page.goto(portal.url)
    unlock(page, PASSPHRASES["dana"])
    expect(page.locator("article h1")).to_have_text("Northwind Fixture Co")
    expect(page.locator("article img")).to_have_js_property("naturalWidth", 64)
    page.locator(".md-nav__link", has_text="Risk register").first.click()
    expect(page.locator("article h1")).to_have_text("Risk register")
    page.get_by_role("link", name="R-001 Vendor lock-in at Zephyrcloud").first.click()
    expect(page.locator("article h1")).to_have_text("R-001 Vendor lock-in at Zephyrcloud")
    expect(page).to_have_url(portal.url + "risks/r-001/")
    page.go_back()
    expect(page.locator("article h1")).to_have_text("Risk register")
    # The key lived in that page's memory only: a fresh load asks again.
    page.goto(portal.url + "decisions/0001/")
    expect_login(page)
    ctx.close()


def test_a_share_link_opens_the_portal_and_leaves_the_address_bar(
    page: Page, portal: Portal
) -> None:
    dana = next(r for r in portal.readers if r.id == "dana")
    page.goto(portal.url + "risks/" + share_fragment(PASSPHRASES["dana"], dana))
    expect_unlocked(page, "Risk register")
    assert "#" not in page.url and "k=" not in page.url


def test_the_palette_toggle_works_after_unlock(page: Page, portal: Portal) -> None:
    page.goto(portal.url)
    unlock(page, PASSPHRASES["dana"])
    expect_unlocked(page, "Northwind Fixture Co")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator("label[title='Switch to dark mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
