"""The Engagement page in Chromium, on the demo: days used against agreed from time.csv, the
split by activity, and an internal time entry's note nowhere (page, search index, files)."""

from __future__ import annotations

import json
import re
from typing import Any

from browser_support import search_index, unlock
from playwright.sync_api import Page, expect

INTERNAL_NOTE = "Off the record: Priya is weighing the Calder offer"
RATE = "USD 1,850 a day"


def test_the_engagement_page_shows_used_against_agreed(page: Page, demo: str) -> None:
    if "/zensical/" in demo:
        return  # the page is the same Markdown; one engine is enough here
    unlock(page, demo)
    card = page.locator(".grid.cards li").filter(has_text="Engagement").first
    expect(card).to_contain_text("days used of 87.6 agreed, to the end of")
    expect(card.locator(".pt-overdue")).to_contain_text("Notice due")  # red, with words
    page.locator(".md-nav--primary").get_by_role("link", name="Engagement", exact=True).click()
    article = page.locator("article")
    expect(article.locator("h1")).to_contain_text("Engagement")
    expect(article).to_contain_text(re.compile(r"[\d.]+ days used of [\d.]+ days agreed"))
    expect(article.locator("table").first).to_contain_text("Sep 2026")
    expect(article.locator("svg.portico-chart--activities [data-mark]").first).to_be_visible()
    expect(article).to_contain_text("Current-state assessment")  # a deliverable
    expect(article).to_contain_text("Hands-on development")  # out of scope
    text = page.content()
    assert INTERNAL_NOTE not in text and RATE not in text and "Fee review" not in text
    _, docs = search_index(page)
    dumped = json.dumps(docs)
    assert "Off the record" not in dumped and "1,850" not in dumped


def test_no_file_of_the_built_portal_holds_the_internal_note(demo: str, server: Any) -> None:
    """The leak scan's byte check: `build` verified it against the markers (the note and the
    rate basis are among them); here, every file of the served portal once more."""
    for path in (server.root / "harborline").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert INTERNAL_NOTE.encode() not in data and RATE.encode() not in data, path
