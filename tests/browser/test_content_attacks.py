"""Issue 17, tried as an attacker would through a client's own files, built by `portico build`.

A page of the client's Markdown carries `<meta http-equiv="refresh">` (CSP cannot stop it:
"your session expired, sign in again" on another host) and `<base href>` (every relative
link would go to the attacker), and links an `.shtml` attachment, which a host serves as
HTML. Portico's render stage removes the first two, and the third downloads: in each of
Harborline's three view portals (issue 19), which all show that page (attack_support.py's
MOVERS, in decision 0002).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from attack_support import SHTML, VIEWS, Target
from browser_support import unlock
from playwright.sync_api import Page, expect

REVIEW = "decisions/0002/"  # where MOVERS_DECISION is published


@pytest.fixture(params=VIEWS)
def view(request: pytest.FixtureRequest, hostile_views: dict[str, Target]) -> Target:
    """One of Harborline's view portals, its decision 0002 carrying MOVERS."""
    return hostile_views[request.param]


def _open_review(page: Page, view: Target) -> None:
    unlock(page, view.url, view.passphrase)
    page.goto(view.url + REVIEW)
    expect(page.locator("article h2", has_text="Incident review")).to_be_visible()


def test_a_meta_refresh_in_markdown_does_not_move_the_reader(page: Page, view: Target) -> None:
    _open_review(page, view)
    here = page.url
    time.sleep(2.5)  # the refresh asked for 1 s
    assert page.url == here
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.locator("meta[http-equiv]").count() == 0


def test_a_base_in_markdown_does_not_send_links_elsewhere(page: Page, view: Target) -> None:
    _open_review(page, view)
    assert page.evaluate("() => document.baseURI").startswith(view.url)
    assert page.locator("article base, head base[href*='attacker']").count() == 0
    link = page.get_by_role("link", name="hosting decision")
    assert "attacker" not in (link.get_attribute("href") or "")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(view.url) + r"decisions/0001/"))


def test_an_shtml_attachment_downloads_instead_of_opening(page: Page, view: Target,
                                                          tmp_path: Path) -> None:
    _open_review(page, view)
    with page.expect_download() as download:
        page.get_by_role("link", name="full report").click()
    assert download.value.suggested_filename == "report.shtml"
    saved = tmp_path / "report.shtml"
    download.value.save_as(saved)
    assert saved.read_text("utf-8") == SHTML  # decrypted, whole, and never rendered
