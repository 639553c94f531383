"""A link written for GitHub's heading anchors lands in the portal, in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

from browser_support import DEMO_PASSPHRASES, NO_PDFS, REPO, Server, unlock
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from portico.cli import main

TOOLS = """\
# Ticket tracking

* **Status:** Accepted
* **Date:** 2023-07-11

## Options

Compared: [GitHub Issues + Zenhub](#github-issues--zenhub), and see
[the other decision's reasons](2023-07-12-chat.md#why-not-slack--teams).

## GitHub Issues + Zenhub

Chosen.
"""

CHAT = """\
# Chat

* **Status:** Accepted

## Why not Slack / Teams?

Cost.
"""


def test_a_github_anchor_link_lands(page: Page, server: Server, tmp_path: Path) -> None:
    practice = tmp_path / "practice"
    decisions = practice / "clients/acme/decisions"
    decisions.mkdir(parents=True)
    (practice / "clients/acme/client.yml").write_text(
        "name: Acme Logistics\nengagement:\n  start: 2026-03-02\n", encoding="utf-8")
    # The demo's readers, so the demo's passphrase opens this portal too.
    shutil.copyfile(REPO / "clients/harborline/readers.yml", practice / "clients/acme/readers.yml")
    shutil.copyfile(REPO / "mkdocs.yml", practice / "mkdocs.yml")
    (decisions / "2023-07-11-ticket-tracking.md").write_text(TOOLS, encoding="utf-8")
    (decisions / "2023-07-12-chat.md").write_text(CHAT, encoding="utf-8")
    out = server.root / "anchors"
    check = CliRunner().invoke(main, ["--root", str(practice), "check"])
    assert check.exit_code == 0, check.output
    result = CliRunner().invoke(main, ["--root", str(practice), "build", "--force", "--out",
                                       str(out)], env=NO_PDFS)
    assert result.exit_code == 0, result.output

    unlock(page, f"{server.origin}/anchors/acme/decisions/0001/", DEMO_PASSPHRASES["harborline"])
    page.get_by_role("link", name="GitHub Issues + Zenhub").first.click()
    expect(page).to_have_url(f"{server.origin}/anchors/acme/decisions/0001/#github-issues--zenhub")
    expect(page.locator("#github-issues--zenhub")).to_be_visible()

    page.get_by_role("link", name="the other decision's reasons").click()
    expect(page).to_have_url(f"{server.origin}/anchors/acme/decisions/0002/#why-not-slack--teams")
    expect(page.locator("#why-not-slack--teams")).to_contain_text("Why not Slack / Teams?")
