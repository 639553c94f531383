"""Issue 17, tried as an attacker would through a client's own files, built by `portico build`.

A page of the client's Markdown carries `<meta http-equiv="refresh">` (CSP cannot stop it:
"your session expired, sign in again" on another host) and `<base href>` (every relative
link would go to the attacker), and links an `.shtml` attachment, which a host serves as
HTML. Portico's render stage removes the first two, and the third downloads.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from browser_support import DEMO_PASSPHRASES, REPO, Server, unlock
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from portico.cli import main

ELSEWHERE = "http://attacker.invalid/sign-in"
EVIL_PAGE = f"""---
title: Incident review
---
# Incident review

<meta http-equiv="refresh" content="1;url={ELSEWHERE}">
<base href="http://attacker.invalid/">

What happened, and the [full report](../files/report.shtml). Back to the
[runbooks](runbooks/database-restore.md).
"""
SHTML = "<!doctype html><title>Report</title><p>Server-side include report</p>"


@pytest.fixture(scope="module")
def evil_portal(server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    practice = tmp_path_factory.mktemp("content-attack") / "practice"
    for name in ("clients", "content", "theme"):
        shutil.copytree(REPO / name, practice / name,
                        ignore=shutil.ignore_patterns("lumen-health"))
    shutil.copyfile(REPO / "mkdocs.yml", practice / "mkdocs.yml")
    client = practice / "clients" / "harborline"
    (client / "pages" / "incident-review.md").write_text(EVIL_PAGE, "utf-8")
    (client / "files" / "report.shtml").write_text(SHTML, "utf-8")
    check = CliRunner().invoke(main, ["--root", str(practice), "check"])
    assert "incident-review.md:6:" in check.output and "refresh" in check.output, check.output
    assert "incident-review.md:7:" in check.output and "base" in check.output, check.output
    built = CliRunner().invoke(main, ["--root", str(practice), "build", "--force", "--only",
                                      "harborline", "--out", str(server.root / "content-attack")])
    assert built.exit_code == 0, built.output
    return f"{server.origin}/content-attack/harborline/"


def _open_review(page: Page, home: str) -> None:
    unlock(page, home, DEMO_PASSPHRASES["harborline"])
    page.locator(".md-nav--primary").get_by_role("link", name="Incident review").first.click()
    expect(page.locator("article h1")).to_contain_text("Incident review")


def test_a_meta_refresh_in_markdown_does_not_move_the_reader(page: Page, evil_portal: str) -> None:
    _open_review(page, evil_portal)
    here = page.url
    time.sleep(2.5)  # the refresh asked for 1 s
    assert page.url == here
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.locator("meta[http-equiv]").count() == 0


def test_a_base_in_markdown_does_not_send_links_elsewhere(page: Page, evil_portal: str) -> None:
    _open_review(page, evil_portal)
    assert page.evaluate("() => document.baseURI").startswith(evil_portal)
    assert page.locator("article base, head base[href*='attacker']").count() == 0
    href = page.get_by_role("link", name="runbooks").get_attribute("href") or ""
    assert "attacker" not in href
    page.get_by_role("link", name="runbooks").click()
    expect(page).to_have_url(re.compile(re.escape(evil_portal) + r"pages/"))


def test_an_shtml_attachment_downloads_instead_of_opening(page: Page, evil_portal: str,
                                                          tmp_path: Path) -> None:
    _open_review(page, evil_portal)
    with page.expect_download() as download:
        page.get_by_role("link", name="full report").click()
    assert download.value.suggested_filename == "report.shtml"
    saved = tmp_path / "report.shtml"
    download.value.save_as(saved)
    assert saved.read_text("utf-8") == SHTML  # decrypted, whole, and never rendered
