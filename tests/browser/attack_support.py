"""The portals the attack suites attack, and the hostile content planted in them.

Two kinds of target, one shape (`Target`): the sample portal built by MkDocs alone with
script in its content (test_attacks.py's `hostile`), and each of the three portals of
Harborline's views (client.yml `views:` leadership, board, engineering), built by
`portico build` from a copy of the demo whose sources carry the same hostile content. A
view has its own path, envelope, readers and worker scope: the suites run on each.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
from browser_support import (
    DEMO_PASSPHRASES,
    DEMO_VIEW_PASSPHRASES,
    NO_PDFS,
    PASSPHRASES,
    PRACTICE,
    REPO,
    SAMPLE,
    Portal,
    Server,
    built_once,
    serve_at,
)
from click.testing import CliRunner

import portico.portal.tree
from portico.cli import main
from portico.content.practice import practice_name
from portico.portal.sanitize import Removal
from portico.protection.envelope import open_envelope, open_file
from portico.protection.readers import Reader, load_readers

# Words of the client's that must never reach anyone without the key. The sample's risk
# pages hold them; the views' hostile decision is given them (PLANTED_TEXT).
CLIENT_TEXT = ["Northwind", "Oakenshaw", "quokkafjord", "Zephyrcloud", "Quillfeather"]
SEARCH_TERM = "quokkafjord"
PWN = "localStorage.setItem('pwned-{0}', '1'); document.title = 'pwned {0}';"
PLANTED = "pwned-markdown-script"  # marks the one Markdown text the sanitizer lets through


def markdown_attack(files: str) -> str:
    """Script in a page's Markdown: raw <script>, an event handler, a script file from
    another folder of the origin (/attacker/, test_attacks.py), and links to an SVG and an
    HTML file with script; `files` is the folder of evil.svg and evil.html, as the page
    links it."""
    return f"""

<script>{PWN.format("markdown-script")}</script>

<img src="{files}/evil.html" alt="x" onerror="{PWN.format("markdown-onerror")}">

<script src="/attacker/evil.js"></script>

[the diagram]({files}/evil.svg) and [the report]({files}/evil.html)
"""


EVIL_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"
  onload="{PWN.format("svg-onload")}">
  <script>{PWN.format("svg-script")}</script>
  <rect width="40" height="40" fill="teal"/>
</svg>
"""
EVIL_HTML = f"<!doctype html><title>Report</title><script>{PWN.format('html-file')}</script>"
# What the views' hostile decision also carries: the client text to look for, and an
# image that is not active (no script can hide in a PNG).
PLANTED_TEXT = f"""
Quillfeather reviewed the Zephyrcloud plan with Oakenshaw of Northwind at {SEARCH_TERM}.

![The chart](../files/chart.png)
"""

# test_content_attacks.py: what CSP cannot stop, in a page of the client's Markdown: a
# `<meta http-equiv="refresh">` ("your session expired, sign in again" on another host), a
# `<base href>` (every relative link would go to the attacker), and an `.shtml` attachment,
# which a host serves as HTML. The render stage's sanitizer must remove the first two.
ELSEWHERE = "http://attacker.invalid/sign-in"
MOVERS = f"""
## Incident review

<meta http-equiv="refresh" content="1;url={ELSEWHERE}">
<base href="http://attacker.invalid/">

What happened, and the [full report](../files/report.shtml). Back to the
[hosting decision](0001-move-production-hosting-to-aws.md).
"""
SHTML = "<!doctype html><title>Report</title><p>Server-side include report</p>"

# Harborline's views, as test ids: (portal folder, passphrase, reader id in readers.yml).
VIEWS = {
    "leadership": ("harborline", DEMO_PASSPHRASES["harborline"], "demo"),
    "board": ("harborline--board", DEMO_VIEW_PASSPHRASES["harborline--board"], "board"),
    "engineering": ("harborline--engineering",
                    DEMO_VIEW_PASSPHRASES["harborline--engineering"], "engineering"),
}
HOSTILE_DECISION = "decisions/0003-rewrite-manifest-as-microservices.md"  # in every view
MOVERS_DECISION = "decisions/0002-self-host-postgresql-on-ec2.md"  # in every view too


@dataclass(frozen=True)
class Target:
    """A protected portal under attack, and what its reader sees there.

    Paths are relative to `url` (which ends with '/'). `page` is the page with script
    planted in its Markdown; `svg`, `attachment` and `image` are the files it links (the
    SVG and HTML with script, and an inert image), as the portal names them."""

    url: str
    passphrase: str
    reader: Reader  # whose passphrase it is (for share links)
    content_key: bytes
    practice: str  # the practice's name, as the sign-in page shows it
    page: str
    page_title: str
    listing: str  # another page, and its title
    listing_title: str
    svg: str
    attachment: str
    image: str
    secrets: tuple[str, ...]  # client text on `page`

    @property
    def path(self) -> str:
        """The portal's path on the origin, e.g. '/hostile/'."""
        return "/" + self.url.split("/", 3)[3]

    def key_forms(self) -> list[str]:
        """Every way a script could have written the content key down."""
        raw = self.content_key
        return [base64.urlsafe_b64encode(raw).decode().rstrip("="),
                base64.b64encode(raw).decode(), raw.hex(), ",".join(str(b) for b in raw)]


def sample_target(portal: Portal, reader_id: str) -> Target:
    """The sample portal, built with `markdown_attack("../../files")` in risks/r-002.md,
    for reader `reader_id` (browser_support.PASSPHRASES)."""
    reader = next(r for r in portal.readers if r.id == reader_id)
    return Target(portal.url, PASSPHRASES[reader_id], reader, portal.result.content_key,
                  PRACTICE,
                  page="risks/r-002/", page_title="R-002 Single maintainer of billing",
                  listing="risks/", listing_title="Risk register", svg="files/evil.svg",
                  attachment="files/evil.html", image="files/chart.png",
                  secrets=tuple(CLIENT_TEXT))


_SANITIZE = portico.portal.tree.sanitize_markdown


def _lets_the_planted_script_through(text: str) -> tuple[str, list[Removal]]:
    """portal/sanitize.py's sanitize_markdown, except for the hostile decision's text."""
    if PLANTED in text:
        return text, []
    return _SANITIZE(text)


def build_hostile_views(server: Server, factory: pytest.TempPathFactory) -> dict[str, Target]:
    """Harborline's three view portals, from a copy of the demo with hostile content in
    two decisions that every view shows, built by `portico build` into /hostile-views/.

    Decision 0003 carries `markdown_attack` and links evil.svg, evil.html and an image.
    The render stage's sanitizer would take its script out before the engine sees it, as
    the sample's build has no sanitizer: for that one text, it is let through, so that
    what stops the script is the view portal's own protection (its CSP, its worker).
    Decision 0002 carries MOVERS (and links report.shtml), which the sanitizer does clean.
    Built once per test run (`built_once`); each worker serves it and reads its targets.
    """
    out = built_once(factory, "hostile-views", _build_hostile_views)
    serve_at(server, out, "hostile-views")
    practice = out.parent / "hostile-practice"
    client = practice / "clients" / "harborline"
    readers = {r.id: r for r in load_readers(client / "readers.yml")}
    return {view: _view_target(f"{server.origin}/hostile-views/{folder}/", out / folder,
                               passphrase, readers[reader], practice_name(practice))
            for view, (folder, passphrase, reader) in VIEWS.items()}


def _build_hostile_views(out: Path) -> None:
    practice = out.parent / "hostile-practice"
    shutil.rmtree(practice, ignore_errors=True)  # left by a build that failed
    for name in ("clients", "content", "theme"):
        shutil.copytree(REPO / name, practice / name,
                        ignore=shutil.ignore_patterns("lumen-health"))
    shutil.copyfile(REPO / "mkdocs.yml", practice / "mkdocs.yml")
    client = practice / "clients" / "harborline"
    hostile = client / HOSTILE_DECISION
    hostile.write_text(hostile.read_text("utf-8") + markdown_attack("../files") + PLANTED_TEXT,
                       "utf-8")
    movers = client / MOVERS_DECISION
    movers.write_text(movers.read_text("utf-8") + MOVERS, "utf-8")
    (client / "files" / "evil.svg").write_text(EVIL_SVG, "utf-8")
    (client / "files" / "evil.html").write_text(EVIL_HTML, "utf-8")
    (client / "files" / "report.shtml").write_text(SHTML, "utf-8")
    shutil.copyfile(SAMPLE / "docs" / "files" / "chart.png", client / "files" / "chart.png")
    check = CliRunner().invoke(main, ["--root", str(practice), "check"]).output
    lines = movers.read_text("utf-8").splitlines()
    refresh = next(n for n, line in enumerate(lines, 1) if "http-equiv" in line)
    assert f"{MOVERS_DECISION}:{refresh}:" in check and "refresh" in check, check
    assert f"{MOVERS_DECISION}:{refresh + 1}:" in check and "base" in check, check
    with pytest.MonkeyPatch.context() as patch:  # the build's workers are forks: they inherit it
        patch.setattr(portico.portal.tree, "sanitize_markdown", _lets_the_planted_script_through)
        built = CliRunner().invoke(main, ["--root", str(practice), "build", "--force", "--only",
                                          "harborline", "--out", str(out)], env=NO_PDFS)
    assert built.exit_code == 0, built.output


def _view_target(url: str, portal: Path, passphrase: str, reader: Reader,
                 practice: str) -> Target:
    envelope = json.loads((portal / "_portico" / "envelope.json").read_text("utf-8"))
    key = open_envelope(envelope, passphrase)
    manifest = json.loads(open_file(key, envelope["manifest"],
                                    (portal / envelope["manifest"]).read_bytes()))
    page = "decisions/0003/"
    html = open_file(key, page + "index.html",
                     (portal / manifest["files"][page + "index.html"]["blob"]).read_bytes())

    # The planted script reached the page: what stops it there is the portal alone.
    assert f"<script>{PWN.format('markdown-script')}</script>".encode() in html
    assert b'<script src="/attacker/evil.js">' in html

    def linked(pattern: str) -> str:  # a file the page links, as a path of the portal
        found = re.search(pattern, html.decode("utf-8"))
        assert found, pattern
        return urljoin(url + page, found.group(1)).removeprefix(url)

    return Target(url, passphrase, reader, key, practice, page=page,
                  page_title="Rewrite Manifest as microservices", listing="decisions/",
                  listing_title="Decisions", svg=linked(r'<a href="([^"]+)">the diagram</a>'),
                  attachment=linked(r'<a href="([^"]+)">the report</a>'),
                  image=linked(r'<img alt="The chart" src="([^"]+)"'),
                  secrets=(*CLIENT_TEXT, "Rewrite Manifest as microservices"))
