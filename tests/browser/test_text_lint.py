"""The words on every page, read as the client's CEO reads them, in Chromium.

A lint over the rendered text of every page of the demo portals and of the dated-history
portal: no empty field's punctuation ("Contract: .", "· ·", a dangling "·"), no Markdown
shown as written (`**`, `](`, a "- " list run into a line), and no ISO date where a locale
is set (every demo portal has one: dates read "Nov 18, 2026", months "Nov 2026").
Code (`pre`, `code`) is the client's verbatim text and is not linted.
"""

from __future__ import annotations

import re

import pytest
from browser_support import DEMO_PASSPHRASES, unlock, walk_to
from playwright.sync_api import Browser

# Every block of visible text in the article, and every chart's text (labels, titles and
# descriptions a screen reader speaks), without code.
TEXTS = """() => {
  const article = document.querySelector("article");
  const blocks = [];
  const plain = (element) => {
    const copy = element.cloneNode(true);
    copy.querySelectorAll("pre, code, .headerlink, script, style, svg").forEach((n) => n.remove());
    return copy.textContent.replace(/\\s+/g, " ").trim();
  };
  for (const element of article.querySelectorAll(
      "p, li, td, th, h1, h2, h3, h4, h5, h6, figcaption, dt, dd, .admonition-title, summary")) {
    if (element.closest("pre, code, svg")) continue;
    const text = plain(element);
    if (text) blocks.push(text);
  }
  for (const text of article.querySelectorAll("svg text, svg title, svg desc")) {
    const words = text.textContent.replace(/\\s+/g, " ").trim();
    if (words) blocks.push(words);
  }
  return blocks;
}"""

PROBLEMS = {
    "empty field": re.compile(r":\s*[.,;]|\(\s*\)|·\s*·|–\s*·\s*–|·\s*$|^\s*·"),
    "Markdown shown as written": re.compile(r"\*\*|\]\(|(?:^|[:.] )- \S.* - \S"),
    "ISO date": re.compile(r"\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-\d\d)?\b"),
    # Shorthand and raw words a reviewer found and that were fixed: they may not come back.
    "shorthand": re.compile(
        r"we owe you|None overdue|renews by itself|under way since|\bmilestone ·|"
        r"\brecommendation: [a-z]|\(\d+ days?\)|days agreed used|\(reference [0-9a-f]{7,}|"
        r"Board of [A-Z]|named in this portal|\d %|\b(?:Not started|On track) \d|"
        r"\b(?:planned|proposed|accepted|open|done|blocked|at risk|in progress|superseded|"
        r"closed|monitoring) → |Assessment · Assessment|\b(?:labour|licences?|centre|"
        r"enrolment|rota|deprioritised|judgement)\b"),
}


def lint(blocks: list[str]) -> list[str]:
    """Each block of text that shows one of PROBLEMS, named."""
    return [f"{name}: {block[:90]!r}" for block in blocks
            for name, pattern in PROBLEMS.items() if pattern.search(block)]


def test_the_lint_catches_what_it_names() -> None:
    assert lint(["Contract: .", "Owner · · Status", "Mitigate: - Upgrade it - Until then",
                 "Score **20**", "[a](b)", "Latest 2026-11", "Due 2026-11-18", "– · –",
                 "Trailing ·", "None overdue · we owe you 1", "planned → blocked",
                 "(reference 91f8d8ab37+)", "(24 days)", "30 %", "a licence"]) and \
        len(lint(["Contract: ."])) == 1
    assert all(lint([t]) for t in ("None overdue", "we owe you 1", "planned → blocked",
                                    "(reference 91f8d8ab37+)", "(24 days)", "30 %", "licences",
                                    "On track 3", "renews by itself", "under way since Q3"))
    assert lint(["Planned → Blocked", "(in 24 days)", "30%", "Renews automatically"]) == []
    assert lint(["Contract: from Nov 1, 2026 to Oct 31, 2027.", "Nov 2026 · 4 per week",
                 "Q3 2026 – Q1 2027", "value 3 · effort 2", "TLS 1.2-only"]) == []


def _texts(browser: Browser, home: str, passphrase: str,
           only: frozenset[str] | None = None) -> dict[str, list[str]]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    unlock(page, home, passphrase)
    hrefs: list[str] = page.evaluate("""() => [...document.querySelectorAll(
        ".md-nav--primary a.md-nav__link[href]")].map((a) => a.href.split("#")[0])""")
    found = {}
    for url in sorted({h for h in hrefs if h.startswith(home)}):
        if only is not None and url.removeprefix(home) not in only:
            continue
        walk_to(page, url)
        found[url.removeprefix(home) or "(home)"] = page.evaluate(TEXTS)
    context.close()
    return found


@pytest.mark.parametrize("portal", [*sorted(DEMO_PASSPHRASES), "history"])
def test_every_page_reads_cleanly(browser: Browser, demo: str, portal: str,
                                  request: pytest.FixtureRequest) -> None:
    if "/zensical/" in demo:
        pytest.skip("the words come from the render stage, the same for every engine")
    home = (request.getfixturevalue("history_portal") if portal == "history"
            else demo.replace("/harborline/", f"/{portal}/"))
    passphrase = DEMO_PASSPHRASES.get(portal, DEMO_PASSPHRASES["harborline"])
    # On the history portal, the pages its history changes: the rest are the demo's.
    only = request.getfixturevalue("history_pages") if portal == "history" else None
    pages = _texts(browser, home, passphrase, only)
    assert len(pages) > 2, pages
    found = [f"{url}: {problem}" for url, blocks in pages.items() for problem in lint(blocks)]
    print(f"{portal}: {len(pages)} pages, {sum(map(len, pages.values()))} blocks of text linted")
    assert not found, "\n".join(found)
