"""Board packs, their PDFs, risk trends and "What's new", read in Chromium from a portal
built out of a repository with a real, dated history (tests/conftest.py: four commits,
RISK-004 raised from 10 to 15 between the Q3 and the Q4 pack)."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from browser_support import unlock
from dated_history import INTERNAL_NOTE_TITLE
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

INTERNAL_RISK_TITLE = "Cost and retention exposure of the IT support change"


def test_the_later_pack_shows_the_move_the_kpis_the_decision_and_the_notices(
        page: Page, history_portal: str) -> None:
    unlock(page, history_portal + "board/2026-11-30/")
    article = page.locator("article")
    expect(article.locator("h1")).to_contain_text("Q4 board pack")
    expect(article).to_contain_text("as the engagement stood on the meeting's day")
    risk = article.locator("tr", has=page.get_by_role("link", name="RISK-004", exact=True))
    expect(risk).to_contain_text("10 → 15")
    expect(article.locator("tr", has=page.get_by_role("link", name="RISK-002", exact=True))
           ).to_contain_text("20 (unchanged)")
    kpis = article.locator("table").filter(has=page.locator("th", has_text="Latest"))
    for name in ("Manifest deployments per week", "Change lead time", "Manifest availability",
                 "Time to produce an LCL quote", "SOC 2 controls in place"):
        expect(kpis).to_contain_text(name)
    expect(kpis).not_to_contain_text("Staff signing in with MFA")  # named only in Q3
    expect(article.get_by_role("heading", name=re.compile("0006 Buy a TMS"))).to_be_visible()
    expect(article.get_by_role("heading", name=re.compile("Weighted evaluation"))
           ).to_be_visible()
    moved = article.locator("tr", has=page.get_by_role("link", name="Carrier integration service"))
    expect(moved.first).to_contain_text("Planned")
    # Its end moved twice between the packs (Oct 15, Nov 27): the pack tells the net move.
    slipped = article.locator("table").filter(has=page.locator("th", has_text="End then"))
    expect(slipped.locator("tr", has_text="Carrier integration service")).to_contain_text(
        re.compile(r"Apr.16,.2027\s+Jun.25,.2027\s+\+10.weeks"))  # dates keep NBSPs
    notices = article.locator("table").last
    for vendor in ("NetSuite", "Microsoft 365 and Entra ID", "CargoLink EDI"):
        expect(notices).to_contain_text(vendor)
    expect(article).not_to_contain_text(INTERNAL_RISK_TITLE)


def test_the_earlier_pack_shows_what_was_known_then(page: Page, history_portal: str) -> None:
    unlock(page, history_portal + "board/2026-09-15/")
    article = page.locator("article")
    expect(article).to_contain_text("as the engagement stood on the meeting's day")
    risk = article.locator("tr", has=page.get_by_role("link", name="RISK-004", exact=True))
    expect(risk).to_contain_text("10")
    expect(risk).not_to_contain_text("15")


def _pdf_pages(page: Page) -> list[str]:
    with page.expect_download() as download:
        page.locator("article .pt-pdf a").click()
    assert download.value.suggested_filename == \
        "Harborline Logistics board pack 2026-11-30.pdf"
    reader = PdfReader(download.value.path())
    # The practice's locale is en-US: the pack prints on US Letter (8.5 × 11 in = 612 × 792 pt).
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in reader.pages} == {(612, 792)}
    # Chromium sets "fi" as one glyph; NFKC reads it back as two letters.
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages]


def test_the_pack_pdf_opens_and_names_the_client_on_every_page(
        page: Page, history_portal: str, history_repo: Path) -> None:
    unlock(page, history_portal + "board/2026-11-30/")
    pages = _pdf_pages(page)
    assert len(pages) >= 2
    as_of = subprocess.run(["git", "-C", str(history_repo), "rev-list", "-1",
                            "--before=2026-11-28T00:00:00Z", "HEAD"],
                           capture_output=True, text=True, check=True).stdout[:10]
    for number, text in enumerate(pages, 1):
        assert "Harborline Logistics" in text, f"page {number} does not name the client"
        assert "Confidential" in text, f"page {number}"
        assert "Board pack, November 30, 2026" in text, f"page {number}"  # en-US, mkdocs.yml
    # The commit is bookkeeping: the PDF names the day it was assembled from, never the hash.
    whole_text = "\n".join(pages)
    assert "Assembled from the engagement's records" in pages[-1]
    assert as_of not in whole_text and as_of[:7] not in whole_text
    whole = "\n".join(pages)
    assert "Q4 board pack" in whole and "10 → 15" in whole
    assert INTERNAL_RISK_TITLE not in whole


def test_whats_new_lists_the_changes_and_no_internal_item(
        page: Page, history_portal: str) -> None:
    unlock(page, history_portal + "whats-new/")
    article = page.locator("article")
    day = article.locator("h2", has_text="October 15, 2026")
    expect(day).to_be_visible()
    entries = article.locator("li")
    expect(entries.filter(has_text="RISK-004")).to_contain_text("score 10 → 15")
    carrier = entries.filter(has_text="Carrier integration service")
    expect(carrier.filter(has_text="Planned → At risk")).to_contain_text("+5 weeks")
    expect(carrier).to_have_count(2)  # its end moved again on Nov 27, a slip of its own
    expect(entries.filter(has_text="Q4 board pack")).to_contain_text("added")
    text = article.inner_text()
    for secret in ("RISK-008", INTERNAL_RISK_TITLE, INTERNAL_NOTE_TITLE):
        assert secret not in text
    # The first commit is the portal's starting point, not a change.
    expect(article.locator("h2", has_text="3 August 2026")).to_have_count(0)


def test_changes_since_the_last_visit_are_marked_and_a_first_visit_marks_none(
        page: Page, history_portal: str) -> None:
    unlock(page, history_portal + "whats-new/")
    marked = page.locator("article li.pt-unseen")
    expect(page.locator("article li").first).to_be_visible()
    expect(marked).to_have_count(0)  # a first visit: everything is new, nothing is marked
    # As if the previous visit ended on 1 October 2026.
    page.evaluate("""() => localStorage.setItem(`portico:visit:${location.pathname
        .replace(/whats-new\\/$/, "")}`, JSON.stringify({
            last: Date.parse("2026-10-01T00:00:00Z"), since: null}))""")
    page.reload()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(marked.first).to_be_visible()
    texts = marked.all_inner_texts()
    assert any("RISK-004" in t for t in texts) and any("Q4 board pack" in t for t in texts)
    assert not any("Q3 board pack" in t for t in texts)  # 14 September: seen then
    expect(marked.first.locator(".pt-new-mark")).to_be_visible()
    page.reload()  # the same visit: the marks stay until the reader has been away
    expect(marked.first).to_be_visible()
    ours = page.evaluate("""() => Object.entries(localStorage)
        .filter(([k]) => k.startsWith("portico:"))""")
    assert [k for k, _ in ours] == ["portico:visit:/history/harborline/"]
    assert set(json.loads(ours[0][1])) == {"last", "since"}  # two timestamps, nothing else


def test_the_register_draws_each_risks_real_score_history(
        page: Page, history_portal: str) -> None:
    unlock(page, history_portal + "risks/")
    row = page.locator("article tr", has=page.get_by_role("link", name="RISK-004", exact=True))
    spark = row.locator("svg.pt-spark")
    expect(spark).to_have_attribute("aria-label", "score history: 10 → 15")
    expect(row).to_contain_text("Rising: 10 → 15 since Oct 2026")  # the facts, not `trend:`
    expect(page.locator("article")).to_contain_text(
        "Score history: 10 (Aug 3, 2026) → 15 (Oct 15, 2026)")  # en-US, from mkdocs.yml
    expect(row).to_contain_text("Rising")  # measured from the history, 10 → 15


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_sparklines_last_point_stands_out_from_the_page(
        browser: Browser, history_portal: str, scheme: str) -> None:
    """The end dot's fill is its band's pale colour (amber, 1.9:1 on white): its ring, in the
    line's colour, is what shows it, at 3:1 or more (WCAG 1.4.11) in either palette."""
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    unlock(page, history_portal + "risks/")
    dots = page.locator("article svg.pt-spark circle")
    expect(dots.first).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    for style in dots.evaluate_all("(all) => all.map((c) => [getComputedStyle(c).stroke, "
                                   "getComputedStyle(c).strokeWidth])"):
        stroke, width = style
        assert stroke.startswith("rgb"), f"the last point has no ring (stroke {stroke})"
        assert float(width.removesuffix("px")) >= 1, style
        assert _contrast(stroke, background) >= 3, (stroke, background)
    context.close()


def test_decisions_are_judged_by_their_success_tests_and_maturity_moves_show(
        page: Page, history_portal: str) -> None:
    """tests/dated_history.py: decision 0005's MFA test is met by its date, its lead-time
    test missed; Security is re-scored from 1 to 2 between the Q3 and the Q4 pack."""
    unlock(page, history_portal + "decisions/0005/")
    row = page.locator("article tr", has_text="Success tests")
    expect(row).to_contain_text("Staff signing in with MFA at least 100% by Sep 30, 2026")
    expect(row.locator(".pt-verdict-met")).to_have_text("Met")
    expect(row.locator(".pt-verdict-missed")).to_have_text("Missed")
    expect(row).to_contain_text("(6 days in Oct 2026)")
    page.goto(history_portal + "board/2026-11-30/")  # signed in already
    article = page.locator("article")
    tests = article.locator("li", has_text="Change lead time at most 3 days")
    expect(tests).to_contain_text("Missed")
    expect(tests).to_contain_text("was on the way at the previous pack")
    expect(article.locator("tr", has_text="Security")).to_contain_text("▲ up")
    page.goto(history_portal + "assessment/")
    expect(page.locator("article tr", has_text="Security")).to_contain_text(
        "1 → 2, Aug 2026 → Oct 2026")
    first = page.locator("article svg.portico-chart circle[data-mark$='-first']")
    expect(first.filter(visible=True)).to_have_count(1)  # Security's, in the shown form


def test_the_later_pack_carries_forward_the_asks_with_their_status_then_and_now(
        page: Page, history_portal: str) -> None:
    """Quayside's API check (A-003) was open at the Q3 pack and is done by the Q4 one."""
    unlock(page, history_portal + "board/2026-11-30/")
    article = page.locator("article")
    expect(article).to_contain_text("Carried forward from the previous pack (Sep 15, 2026)")
    carried = article.locator("table").filter(has=page.locator("th", has_text="Ask"))
    expect(carried.locator("th")).to_have_text(["Ask", "Owner", "Due", "Then", "Now"])
    row = carried.locator("tr", has_text="Check that Quayside's API covers partial shipments")
    expect(row.locator("td").nth(3)).to_have_text("Open")
    expect(row.locator("td").nth(4)).to_have_text("Done")
    steady = carried.locator("tr", has_text="Give NetSuite notice")
    expect(steady.locator("td").nth(3)).to_have_text("Open")
    expect(steady.locator("td").nth(4)).to_have_text("Open")
