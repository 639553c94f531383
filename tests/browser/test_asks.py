"""Asks in the demo portal, in Chromium: "Waiting on you" is the first card on home, with
David's Power BI ask overdue in red and in words; the Asks page groups by owner."""

from __future__ import annotations

import re

import pytest
from browser_support import unlock
from playwright.sync_api import Page, expect


def _red(colour: str) -> bool:
    r, g, b = (int(x) for x in re.findall(r"\d+", colour)[:3])
    return r > 150 and g < 100 and b < 100


def test_home_shows_waiting_on_you_first_with_an_overdue_ask_in_red(
        page: Page, demo: str) -> None:
    if "/zensical/" in demo:
        pytest.skip("the MkDocs engine is enough for the home card's order")
    unlock(page, demo)
    first = page.locator("article .grid.cards > ul > li").first
    expect(first).to_contain_text("Waiting on you: 3")
    overdue = first.locator(".pt-overdue").first
    expect(overdue).to_contain_text("1 overdue")
    assert _red(overdue.evaluate("e => getComputedStyle(e).color"))
    expect(first).to_contain_text("Confirm the Power BI Pro license line")
    expect(first.locator(".pt-overdue", has_text="overdue").nth(1)).to_contain_text("Dec 4, 2026")
    first.get_by_role("link", name="Asks").click()
    expect(page.locator("article h1")).to_contain_text("Asks")
    owners = [h.rstrip("¶") for h in page.locator("article h2").all_inner_texts()]
    assert owners[0] == "David Lindqvist" and owners[-1] == "Northfield CTO Partners"
    row = page.locator("article tr", has_text="Power BI")
    expect(row.locator(".pt-overdue")).to_contain_text("overdue since")
    expect(page.locator("article")).not_to_contain_text("A-001")
