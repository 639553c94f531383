"""Answers in Chromium: a decision's Approve button opens an e-mail naming exactly the
client, the decision and the portal's build (the test reads its `href`; no mail is sent);
after `portico record … approved` and a rebuild the decision shows who approved it, and
when; a practice with `answers: false` shows no button. On the demo and on the dated
history repository (tests/dated_history.py)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import NO_PDFS, Server, unlock
from click.testing import CliRunner
from dated_history import git
from playwright.sync_api import Browser, Page, expect

from portico.cli import main
from portico.portal.locale import Formats

TITLE = "Buy a TMS for quoting and bookings"
CLIENT = "Harborline Logistics"


def _build_day() -> str:
    """The portal's build as its messages name it: today, in the demo's en-US long form."""
    return " ".join(Formats("en-US").long_day(dt.date.today()).split())


def _mail(href: str | None) -> tuple[str, str, str]:
    """(address, subject, body) of a mailto: link, parsed as a mail program would."""
    assert href is not None
    url = urlsplit(href)
    assert url.scheme == "mailto"
    query = parse_qs(url.query, keep_blank_values=True, strict_parsing=True)
    assert sorted(query) == ["body", "subject"] and all(len(v) == 1 for v in query.values())
    return unquote(url.path), query["subject"][0], query["body"][0]


def _approve_names_exactly_the_client_number_title_and_build(page: Page, home: str) -> None:
    unlock(page, home + "decisions/0006/")
    article = page.locator("article")
    approve = article.get_by_role("link", name="Approve", exact=True)
    expect(approve).to_be_visible()
    body = f"{CLIENT}\r\nDecision 0006: {TITLE}\r\nPortal as of {_build_day()}"
    assert _mail(approve.get_attribute("href")) == (
        "cto@northfieldcto.example", f"Approve decision 0006: {TITLE} ({CLIENT})", body)
    decline = _mail(article.get_by_role("link", name="Decline", exact=True).get_attribute("href"))
    question = _mail(article.get_by_role("link", name="Ask a question").get_attribute("href"))
    assert decline[1:] == (f"Decline decision 0006: {TITLE} ({CLIENT})", body)
    assert question[1:] == (f"Question on decision 0006: {TITLE} ({CLIENT})", body)
    # The page says what will be sent, and to whom, above the buttons.
    shown = article.locator(".pt-answer__mail")
    assert shown.inner_text().split("\n") == [
        f"Subject: Approve decision 0006: {TITLE} ({CLIENT})", *body.split("\r\n")]
    expect(article.locator(".pt-answer")).to_contain_text("cto@northfieldcto.example")
    above = shown.bounding_box()
    button = approve.bounding_box()
    assert above is not None and button is not None and above["y"] < button["y"]


@pytest.mark.parametrize("demo", ["mkdocs"], indirect=True)
def test_approve_on_the_demo_names_the_client_the_decision_and_the_build(
        page: Page, demo: str) -> None:
    _approve_names_exactly_the_client_number_title_and_build(page, demo)


def test_approve_on_the_dated_history_portal_names_the_same(
        page: Page, history_portal: str) -> None:
    _approve_names_exactly_the_client_number_title_and_build(page, history_portal)


@pytest.fixture(scope="module")
def answered_portal(server: Server, history_repo: Path,
                    tmp_path_factory: pytest.TempPathFactory) -> str:
    """The dated history repository after the CEO's answers were recorded and committed:
    decision 0006 approved, an ask done, the Q4 pack acknowledged; built and served."""
    root = tmp_path_factory.mktemp("answered") / "practice"
    shutil.copytree(history_repo, root)
    runner = CliRunner()
    for args in (["0006", "approved", "--by", "Margaret Okafor", "--on", "2026-12-10"],
                 ["A-001", "done", "--by", "David Lindqvist", "--on", "2026-12-04"],
                 ["2026-11-30", "acknowledged", "--by", "Margaret Okafor", "--on",
                  "2026-11-29"]):
        done = runner.invoke(main, ["--root", str(root), "record", "harborline", *args])
        assert done.exit_code == 0, done.output
    git(root, "commit", "-q", "-am", "Answers from the board", when="2026-12-05T16:00:00+00:00")
    built = runner.invoke(main, ["--root", str(root), "build", "--force", "--only", "harborline",
                                 "--out", str(server.root / "answered")], env=NO_PDFS)
    assert built.exit_code == 0, built.output
    return f"{server.origin}/answered/harborline/"


def test_after_record_and_rebuild_the_decision_shows_approved_with_name_and_date(
        page: Page, answered_portal: str) -> None:
    unlock(page, answered_portal + "decisions/0006/")
    article = page.locator("article")
    expect(article.locator(".pt-answered")).to_have_text(
        "Approved by Margaret Okafor on Dec 10, 2026")
    facts = article.locator(".pt-meta")
    expect(facts.locator("tr", has_text="Status")).to_contain_text("Accepted")
    expect(facts.locator("tr", has_text="Decided by")).to_contain_text("Margaret Okafor")
    expect(article.locator(".pt-answer")).to_have_count(0)
    expect(article.get_by_role("link", name="Approve")).to_have_count(0)
    page.goto(answered_portal + "decisions/")
    row = page.locator("article tr", has_text=TITLE)
    expect(row).to_contain_text("Accepted")
    expect(row).to_contain_text("by Margaret Okafor")
    expect(row).to_contain_text("Dec 10, 2026")


def test_after_record_the_ask_is_done_by_its_owner_and_the_pack_acknowledged(
        page: Page, answered_portal: str) -> None:
    unlock(page, answered_portal + "asks/")
    row = page.locator("article tr", has_text="Power BI")
    expect(row).to_contain_text("Done (David Lindqvist, Dec 4, 2026)")
    expect(row.locator(".pt-answer")).to_have_count(0)
    expect(page.locator("article tr", has_text="NetSuite").locator("details.pt-answer")
           ).to_have_count(1)  # still open: still asks
    page.goto(answered_portal + "board/2026-11-30/")
    article = page.locator("article")
    expect(article.locator(".pt-answered")).to_have_text(
        "Acknowledged by Margaret Okafor on Nov 29, 2026")
    expect(article.get_by_role("link", name="Acknowledge receipt")).to_have_count(0)
    page.goto(answered_portal + "board/2026-09-15/")  # never acknowledged, but superseded
    expect(page.get_by_role("link", name="Acknowledge receipt")).to_have_count(0)


def test_answers_false_shows_no_button_on_any_page(
        page: Page, server: Server, copy_demo: Callable[[Path], Path],
        tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "silent")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "    reply_to:", "    answers: false\n    reply_to:"), "utf-8")
    built = CliRunner().invoke(main, ["--root", str(root), "build", "--force", "--only",
                                      "harborline", "--out", str(server.root / "silent")],
                                env=NO_PDFS)
    assert built.exit_code == 0, built.output
    home = f"{server.origin}/silent/harborline/"
    unlock(page, home)
    for path in ("decisions/0006/", "asks/", "board/2026-12-10/"):
        page.goto(home + path)
        expect(page.locator("article h1")).to_be_visible()
        expect(page.locator("article .pt-answer")).to_have_count(0)
        expect(page.locator("article a[href*='subject=']")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("demo", ["mkdocs"], indirect=True)
def test_the_answer_blocks_read_on_a_phone_in_both_schemes_and_never_print(
        browser: Browser, demo: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True,
                                  color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    unlock(page, demo + "decisions/0006/")
    axe = Axe()
    for path in ("decisions/0006/", "asks/", "board/2026-12-10/"):
        page.goto(demo + path)
        for summary in page.locator("details.pt-answer > summary").all():
            summary.click()  # the asks' folded answers, open
        page.mouse.move(0, 0)  # no row left lit by the pointer (Material's hover shade)
        blocks = page.locator("article .pt-answer")
        expect(blocks.first).to_be_visible()
        for link in blocks.locator("a.md-button").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, path
        found = axe.run(page, context="article .pt-answer").response
        serious = [(path, v["id"], [(n["target"], n.get("failureSummary")) for n in v["nodes"]])
                   for v in found["violations"] if v.get("impact") in ("serious", "critical")]
        assert serious == []
        page.emulate_media(media="print")
        expect(blocks.first).to_be_hidden()
        page.emulate_media(media="screen")
    assert re.search(r"\d", _build_day())
    context.close()
