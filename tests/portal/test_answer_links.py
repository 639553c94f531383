"""Answers: the mailto: links a portal's buttons open, and which items get them.

The message names the client, the item and the portal's build, and nothing else; it is
addressed to the practice's `extra.practice.reply_to`, and a practice without one (or with
`answers: false`) gets no button anywhere."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from portico.content.check import check_practice
from portico.content.load import load_practice
from portico.portal.answers import Answers, mailto
from portico.portal.locale import Formats
from portico.portal.render import render_portal

TODAY = dt.date(2026, 12, 6)
BUILD = "Portal as of December 6, 2026"  # the demo practice writes en-US
ANSWERS = Answers("cto@northfieldcto.example", "Harborline Logistics", TODAY, Formats("en-US"))


def _parts(href: str) -> tuple[str, str, str]:
    """(address, subject, body) of a mailto: URL, read as a mail program reads it."""
    url = urlsplit(href)
    assert url.scheme == "mailto"
    query = parse_qs(url.query, keep_blank_values=True, strict_parsing=True)
    assert set(query) == {"subject", "body"}
    return unquote(url.path), query["subject"][0], query["body"][0]


def test_mailto_follows_rfc_6068_spaces_as_percent_20_and_crlf_line_breaks() -> None:
    href = mailto("cto@northfieldcto.example", "Approve: a & b? (c) 100%", "Line 1\r\nLíne 2")
    assert href == ("mailto:cto@northfieldcto.example?subject=Approve%3A%20a%20%26%20b%3F%20%28c%29"
                    "%20100%25&body=Line%201%0D%0AL%C3%ADne%202")
    assert "+" not in href and " " not in href
    assert _parts(href) == ("cto@northfieldcto.example", "Approve: a & b? (c) 100%",
                            "Line 1\r\nLíne 2")


def test_a_decision_message_holds_the_client_the_number_the_title_and_the_build() -> None:
    answer = ANSWERS.decision("0006", "Buy a TMS for quoting and bookings")
    assert [c.label for c in answer.choices] == ["Approve", "Decline", "Ask a question"]
    body = "Harborline Logistics\r\nDecision 0006: Buy a TMS for quoting and bookings\r\n" + BUILD
    subjects = [_parts(c.href) for c in answer.choices]
    assert subjects == [
        ("cto@northfieldcto.example", f"{lead} decision 0006: Buy a TMS for quoting and bookings "
         "(Harborline Logistics)", body) for lead in ("Approve", "Decline", "Question on")]
    assert "\r\n".join(answer.body) == body


def test_asks_are_named_by_title_and_packs_by_meeting_never_by_bookkeeping_ids() -> None:
    ask = ANSWERS.ask("Confirm the  SOC 2 fieldwork\ndates")
    assert _parts(ask.first.href)[1:] == (
        "Ask done: Confirm the SOC 2 fieldwork dates (Harborline Logistics)",
        f"Harborline Logistics\r\nAsk: Confirm the SOC 2 fieldwork dates\r\n{BUILD}")
    pack = ANSWERS.pack(dt.date(2026, 12, 10), "Q4 board pack")
    assert [c.label for c in pack.choices] == ["Acknowledge receipt"]
    assert _parts(pack.first.href)[1:] == (
        "Board pack received: Q4 board pack, meeting of December 10, 2026 "
        "(Harborline Logistics)",
        "Harborline Logistics\r\nBoard pack: Q4 board pack, meeting of December 10, 2026\r\n"
        f"{BUILD}")
    assert "\u00a0" not in pack.first.href  # the locale's no-break spaces stay on the page


def _render(root: Path, out: Path) -> dict[str, str]:
    practice = load_practice(root)
    harborline = next(c for c in practice.clients if c.slug == "harborline")
    render_portal(harborline, practice, out, today=TODAY)
    return {p.relative_to(out / "docs").as_posix(): p.read_text("utf-8")
            for p in (out / "docs").rglob("*.md")}


def _hrefs(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(mailto[^"]*)"', page)]


def test_the_demo_offers_answers_on_what_awaits_the_client_and_nothing_else(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    pages = _render(copy_demo(tmp_path / "repo"), tmp_path / "out")
    answered = {path for path, text in pages.items() if 'class="pt-answer"' in text}
    # The Sep 15 pack was never acknowledged, but the Dec 10 pack supersedes it.
    assert answered == {"decisions/0006.md", "asks.md", "board/2026-12-10.md"}
    hrefs = _hrefs(pages["decisions/0006.md"])
    assert len(hrefs) == 3 and _parts(hrefs[0]) == (
        "cto@northfieldcto.example",
        "Approve decision 0006: Buy a TMS for quoting and bookings (Harborline Logistics)",
        "Harborline Logistics\r\nDecision 0006: Buy a TMS for quoting and bookings\r\n" + BUILD)
    # The page says what will be sent before the buttons.
    page = pages["decisions/0006.md"]
    said = page.index("Subject: Approve decision 0006&#58; Buy a TMS")
    assert said < page.index('href="mailto')
    # Asks: only the open ones a client contact owes (not the practice's, not done ones).
    subjects = [_parts(h)[1] for h in _hrefs(pages["asks.md"])]
    assert [s.split(" (Harborline")[0] for s in subjects] == [
        "Ask done: Confirm the Power BI Pro license line (about $3,000 a year) in the FY2027 "
        "budget", "Ask done: Give NetSuite notice or agree new terms for eight full users",
        "Ask done: Confirm the SOC 2 Type I fieldwork dates with the auditor"]
    assert "A-00" not in pages["asks.md"].replace('id="a-0', "")
    # A decided decision says who decided it, and when.
    assert '<p class="pt-answered">Approved by Alex Mercer &#40;fractional CTO&#41;, Priya ' \
        'Raman &#40;Head of Engineering&#41; on <span class="pt-date">Jul\u00a08,\u00a02026</span></p>' \
        in pages["decisions/0005.md"]
    assert 'Rejected</span> |' in pages["decisions/index.md"]  # 0003 names no decider


def test_no_reply_address_or_answers_false_means_no_button_anywhere(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    for n, setting in enumerate(("", "    answers: false\n")):
        root = copy_demo(tmp_path / f"repo{n}")
        config = root / "mkdocs.yml"
        text = config.read_text("utf-8")
        if not setting:
            text = re.sub(r"\n    reply_to: .*", "", text)
        else:
            text = text.replace("    reply_to:", setting + "    reply_to:")
        config.write_text(text, "utf-8")
        pages = _render(root, tmp_path / f"out{n}")
        assert not [p for p, t in pages.items() if "pt-answer\"" in t or "?subject=" in t]
        assert not [p for p in check_practice(load_practice(root), today=TODAY)
                    if p.path == "mkdocs.yml"]  # and `check` says nothing about it


def test_check_refuses_a_reply_address_that_is_not_one_and_answers_that_is_not_a_switch(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8").replace("reply_to: cto@northfieldcto.example",
                                             "reply_to: cto at northfield\n    answers: maybe")
    config.write_text(text, "utf-8")
    lines = text.splitlines()
    found = [str(p) for p in check_practice(load_practice(root), today=TODAY)
             if p.path == "mkdocs.yml"]
    reply = lines.index("    reply_to: cto at northfield") + 1
    assert found == [
        f"mkdocs.yml:{reply}: extra.practice.reply_to must be one e-mail address, such as "
        "cto@example.com, got 'cto at northfield'",
        f"mkdocs.yml:{reply + 1}: extra.practice.answers must be true or false, got 'maybe'"]
