"""What a reader sees on a 390 px phone: cards labelled right, labels clear of their values,
the client's whole name in the header, dates and e-mail addresses whole.

The demo portal (MkDocs build) only: the CSS and portal.js are the same on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import DEMO_PASSPHRASES, unlock, walk_to
from playwright.sync_api import Browser, Page, expect

PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.parametrize("demo", [
    "mkdocs",
    pytest.param("zensical", marks=pytest.mark.skip(
        reason="phone checks run on the MkDocs build only (the portal CSS and script are shared)")),
], indirect=True)

# Each date (2026-11-18) and each e-mail address in the article, as the lines it is drawn
# on: the text of each line, found character by character with a Range.
TOKENS = r"""() => {
  const lines = (node, start, end) => {
    const out = [];
    let top = null;
    for (let i = start; i < end; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (top === null || rect.top > top + 2) { out.push(""); top = rect.top; }
      out[out.length - 1] += node.data[i];
    }
    return out;
  };
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("article"),
                                           NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.getClientRects().length) continue;  // not shown (closed details)
    for (const match of node.data.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
      found.push({kind: "date", text: match[0],
                  lines: lines(node, match.index, match.index + match[0].length)});
    }
  }
  for (const link of document.querySelectorAll('article a[href^="mailto:"]')) {
    if (!link.getClientRects().length) continue;
    const parts = [];
    for (const node of [...link.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)) {
      const drawn = lines(node, 0, node.data.length);
      if (parts.length && drawn.length) parts[parts.length - 1] += drawn.shift();
      parts.push(...drawn);
    }
    found.push({kind: "e-mail", text: link.textContent, lines: parts});
  }
  return {tokens: found, width: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def phone(browser: Browser, demo: str) -> Iterator[Page]:
    """One unlocked Harborline context at phone size, for the module's tests."""
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    unlock(page, demo, DEMO_PASSPHRASES["harborline"])
    yield page
    context.close()


def _open(page: Page, url: str) -> None:
    walk_to(page, url)


def _nav_pages(page: Page, home: str) -> list[str]:
    hrefs: list[str] = page.evaluate("""() => [...document.querySelectorAll(
        ".md-nav--primary a.md-nav__link[href]")].map((a) => a.href.split("#")[0])""")
    return sorted({href for href in hrefs if href.startswith(home)})


def test_a_decisions_facts_are_each_beside_their_own_name(phone: Page, demo: str) -> None:
    """The facts table (Status, Date, Kind, ...) names each fact in its first column; its
    header names the decision. No value may be labelled "Decision 0001", none unlabelled:
    each sits beside its fact's name."""
    _open(phone, demo + "decisions/0001/")
    facts = phone.locator("article table").first
    rows: list[dict[str, Any]] = facts.locator("tbody tr").evaluate_all("""(rows) => rows.map(
        (row) => [...row.cells].map((td) => ({text: td.textContent.trim(),
          label: getComputedStyle(td, "::before").content,
          top: td.getBoundingClientRect().top, left: td.getBoundingClientRect().left})))""")
    assert [row[0]["text"] for row in rows][:2] == ["Status", "Date"]
    wrong = [f"{row[0]['text']}: {cell['text'][:30]!r} labelled {cell['label']}"
             for row in rows for cell in row if "Decision" in cell["label"]]
    assert wrong == []
    apart = [f"{name['text']} at {name['top']:.0f}, {value['text'][:30]!r} at {value['top']:.0f}"
             for name, value in rows
             if abs(name["top"] - value["top"]) > 2 or value["left"] <= name["left"]]
    assert apart == []


def test_a_cards_labels_never_run_into_their_values(phone: Page, demo: str) -> None:
    """assessment/2/'s "Recommendation" is wider than the card's label column was: each
    label, drawn at its own width, ends before its value starts."""
    _open(phone, demo + "assessment/2/")
    clashes: list[str] = phone.evaluate(r"""() => {
      const clashes = [];
      for (const td of document.querySelectorAll("article table[data-pt-cards] td")) {
        const label = getComputedStyle(td, "::before");
        if (label.content === "none" || !td.dataset.label || !td.getClientRects().length) continue;
        // A label may wrap between its words: it needs its longest word's width.
        let needed = 0;
        for (const word of td.dataset.label.split(/\s+/)) {
          const probe = document.createElement("span");
          probe.textContent = word;
          for (const p of ["fontFamily", "fontSize", "fontWeight", "letterSpacing"]) {
            probe.style[p] = label[p];
          }
          probe.style.whiteSpace = "nowrap";
          probe.style.position = "absolute";  // its own width, not a flex item's
          document.body.append(probe);
          needed = Math.max(needed, probe.getBoundingClientRect().width);
          probe.remove();
        }
        const range = document.createRange();
        range.selectNodeContents(td);
        const content = [...range.getClientRects()].filter((r) => r.width > 0)[0];
        const start = td.closest("tr").getBoundingClientRect().left
          + parseFloat(getComputedStyle(td.closest("tr")).paddingLeft)
          + parseFloat(getComputedStyle(td.closest("tr")).borderLeftWidth);
        if (content && start + needed > content.left + 0.5) {
          clashes.push(`${td.dataset.label} (${needed.toFixed(0)} px) runs into ` +
                       `${td.textContent.trim().slice(0, 30)} at ${(content.left - start).toFixed(0)} px`);
        }
      }
      return clashes; }""")
    assert "Recommendation" in phone.locator("article").inner_text()
    assert clashes == []


def test_the_header_shows_the_clients_whole_name(phone: Page, demo: str) -> None:
    _open(phone, demo)
    name = phone.locator(".md-header__topic").first.locator(".md-ellipsis")
    expect(name).to_have_text("Harborline Logistics")
    drawn = name.evaluate("""(el) => {
      const header = el.closest(".md-header").getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el);
      const box = range.getBoundingClientRect();
      const clip = el.getBoundingClientRect();
      return {cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
              inside: box.top >= header.top - 1 && box.bottom <= header.bottom + 1
                && box.left >= clip.left - 1 && box.right <= clip.right + 1,
              size: parseFloat(getComputedStyle(el).fontSize)}; }""")
    assert drawn["cut"] is False and drawn["inside"] is True, drawn
    assert drawn["size"] >= 12, drawn  # whole, and still read at a glance


def test_dates_and_e_mail_addresses_never_break_inside(phone: Page, demo: str) -> None:
    """Every page: a date is drawn on one line; an e-mail address on one line, or split at
    its @ only; and the contacts table keeps the page to the phone's width."""
    broken, wide, emails = [], [], 0
    for url in _nav_pages(phone, demo):
        _open(phone, url)
        seen: dict[str, Any] = phone.evaluate(TOKENS)
        if seen["width"] > PHONE["width"]:
            wide.append(f"{url}: {seen['width']} px")
        for token in seen["tokens"]:
            lines = [line.strip() for line in token["lines"] if line.strip()]
            emails += token["kind"] == "e-mail"
            whole = len(lines) == 1 or (token["kind"] == "e-mail" and len(lines) == 2
                                        and (lines[0].endswith("@") or lines[1].startswith("@")))
            if not whole:
                broken.append(f"{url.removeprefix(demo)}: {token['kind']} drawn as {lines}")
    assert emails >= 4  # the home page's contacts table, or this proves nothing
    assert broken == [] and wide == []


def test_a_card_has_no_line_without_a_name_or_a_value(phone: Page, demo: str) -> None:
    """The Engagement page's month cards showed an unlabelled "–" (the column with no
    header); a weighted table's empty Weight cell drew a label with nothing beside it."""
    found: list[str] = []
    for url in _nav_pages(phone, demo):
        _open(phone, url)
        found += [f"{url.removeprefix(demo)}: {line}" for line in phone.evaluate("""() =>
          [...document.querySelectorAll("article table[data-pt-cards] td")]
            .filter((td) => td.getClientRects().length)
            .map((td) => [td.dataset.label, td.textContent.trim()])
            .filter(([label, text]) => text === "" || (!label && text === "–"))
            .map(([label, text]) => `${label || "(no label)"}: ${text || "(empty)"}`)""")]
    assert found == []
