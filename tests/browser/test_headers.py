"""The `_headers` file `portico publish` writes, served as Netlify or Cloudflare Pages would.

A small server applies the file's rules to every response of the published folder; urllib
checks every kind of file gets every header, and Chromium checks what they do: a sibling
page of the origin that opens the portal keeps no handle to it, and one that frames it
sees nothing.
"""

from __future__ import annotations

import fnmatch
import functools
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from browser_support import SLUG, Portal
from playwright.sync_api import Browser, Page

from portico.delivery.headers import HEADERS, HEADERS_FILE
from portico.delivery.publish import publish_to_dir, record_verified

EVIL = """<!doctype html><html><head><meta charset="utf-8"><title>sibling</title></head>
<body><p>Another site's folder on the portal's origin.</p></body></html>"""


def parse_headers_file(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Netlify / Cloudflare Pages `_headers`: a path pattern line, then indented headers."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
        else:
            rules.append((line.strip(), []))
    return rules


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh profile on this module's own origin (the shared `page` checks another)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, portal: Portal) -> Iterator[str]:
    """The sample portal published with `publish_to_dir`, plus an attacker's folder beside
    it, served by a host that applies `_headers`; yields the origin."""
    import shutil

    site = tmp_path_factory.mktemp("site") / "site"
    shutil.copytree(portal.site, site / SLUG)
    (site / "index.html").write_text("<p>Nothing to list.</p>")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    record_verified(site, SLUG)
    target = site.parent / "public"
    publish_to_dir(site, target)
    (target / "evil").mkdir()
    (target / "evil" / "index.html").write_text(EVIL)
    rules = parse_headers_file((target / HEADERS_FILE).read_text())

    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            path = self.path.split("?", 1)[0]
            for pattern, headers in rules:
                if fnmatch.fnmatchcase(path, pattern):
                    for name, value in headers:
                        self.send_header(name, value)
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(Handler, directory=str(target)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_publish_writes_every_header_for_every_path(published: str, portal: Portal) -> None:
    blob = portal.result.files[0].blob
    theme = next(p for p in portal.result.public)
    shell = next(p for p in portal.result.shells if "/" in p)
    for path in ("/", f"/{SLUG}/", f"/{SLUG}/{shell}", f"/{SLUG}/{blob}",
                 f"/{SLUG}/_portico/envelope.json", f"/{SLUG}/_portico/unlock.js",
                 f"/{SLUG}/portico-sw.js", f"/{SLUG}/{theme}", "/robots.txt"):
        with urllib.request.urlopen(published + path) as response:
            got = {name: response.headers.get(name) for name, _ in HEADERS}
        assert got == dict(HEADERS), path
    assert dict(HEADERS)["Cross-Origin-Opener-Policy"] == "noopener-allow-popups"
    assert "camera=()" in dict(HEADERS)["Permissions-Policy"]


def test_a_sibling_page_that_opens_the_portal_keeps_no_handle_to_it(published: str,
                                                                     page: Page) -> None:
    page.goto(published + "/evil/")
    page.evaluate("url => { window.portal = window.open(url); }", f"{published}/{SLUG}/")
    popup = page.context.pages[-1]
    popup.wait_for_load_state()
    time.sleep(0.3)
    seen = page.evaluate("""() => {
      let href = null;
      try { href = window.portal.location.href; } catch (error) { href = "blocked"; }
      return { closed: window.portal.closed, href };
    }""")
    # COOP noopener-allow-popups puts the portal in a browsing context group of its own:
    # the opener's handle reads as closed, and nothing of the portal reaches through it.
    assert seen["closed"] is True, seen
    assert popup.evaluate("() => window.opener") is None


def test_a_sibling_page_that_frames_the_portal_sees_nothing(published: str, page: Page) -> None:
    page.goto(published + "/evil/")
    page.evaluate("""url => new Promise(done => {
      const frame = document.createElement("iframe");
      frame.src = url; frame.onload = () => done(); document.body.append(frame);
      setTimeout(done, 3000);
    })""", f"{published}/{SLUG}/")
    time.sleep(0.3)
    reached = page.evaluate("""() => {
      const frame = document.querySelector("iframe");
      try { return frame.contentDocument ? frame.contentDocument.body.innerText : null; }
      catch (error) { return null; }
    }""")
    # frame-ancestors 'none': the browser refuses to render the sign-in page in the frame.
    assert reached is None, reached
