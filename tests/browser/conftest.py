"""Browser fixtures: the sample portal built with MkDocs, protected, served on 127.0.0.1.

Chromium comes from the system (Debian's `chromium` package); Playwright's own browser
download is not reachable here. 127.0.0.1 counts as a secure context, so WebCrypto and
service workers work over plain HTTP.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from attack_support import Target, build_hostile_views
from browser_support import (
    CHROMIUM_ARGS,
    DEMO_ENGINES,
    PASSPHRASES,
    SLUG,
    Portal,
    Server,
    built_demo,
    built_once,
    serve_at,
)
from click.testing import CliRunner
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from portico.cli import main
from portico.protection.readers import Reader, add_reader, load_readers

# Unlocking derives a key from the passphrase (deliberately slow), and CI runs two browser
# workers on two cores beside the builds: give every expectation 15 s, not Playwright's 5,
# so a loaded machine waits rather than fails. A real failure still fails, only later.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def readers(tmp_path_factory: pytest.TempPathFactory) -> list[Reader]:
    path = tmp_path_factory.mktemp("client") / "readers.yml"
    for reader_id, passphrase in PASSPHRASES.items():
        add_reader(path, reader_id, reader_id.title(), passphrase)
    return load_readers(path)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("served")
    state = Server(root)

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            state.paths.append(self.path)

    class Quiet(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            # A browser that stops reading (a page left while a file still downloads) is
            # what browsers do, not a failure: the traceback only buried the test output.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    httpd = Quiet(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    state.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def portal(server: Server, plain_site: Path, readers: list[Reader]) -> Portal:
    return server.publish(SLUG, plain_site, readers)


@pytest.fixture(scope="session")
def hostile_views(server: Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Target]:
    """Harborline's three view portals, built by `portico build` from a copy of the demo
    with hostile content planted (attack_support.py), at /hostile-views/; by view name.

    Shared by test_attacks.py and test_content_attacks.py: one build per test run."""
    return build_hostile_views(server, tmp_path_factory)




@pytest.fixture(scope="session", params=DEMO_ENGINES)
def demo(request: pytest.FixtureRequest, server: Server,
         tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's portals, built once per test run (`built_once`) and served by this
    worker's server; the Harborline portal's URL.

    Once per engine: MkDocs' at /harborline/, Zensical's at /zensical/harborline/. The Lumen
    Health portal sits beside it, at ../lumen-health/.
    """
    engine = request.param
    prefix = "" if engine == "mkdocs" else engine
    serve_at(server, built_demo(tmp_path_factory, engine), prefix)
    return f"{server.origin}{'/' + prefix if prefix else ''}/harborline/"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail(
            "no chromium on PATH: install Debian's `chromium` package (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def requests_seen() -> list[str]:
    """Every URL the pages of a test asked for; checked to stay on the portal's origin."""
    return []


@pytest.fixture
def context(browser: Browser, server: Server, requests_seen: list[str]) -> Iterator[BrowserContext]:
    """A fresh browser profile; at the end, asserts no request left the portal's origin."""
    ctx = browser.new_context(accept_downloads=True)
    ctx.on("request", lambda request: requests_seen.append(request.url))
    yield ctx
    ctx.close()
    origin = urlsplit(server.origin)
    strays = [
        url
        for url in requests_seen
        if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != origin.netloc
    ]
    assert not strays, f"requests left the portal's origin: {strays}"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def history_portal(server: Server, history_repo: Path,
                   tmp_path_factory: pytest.TempPathFactory) -> str:
    """The dated Harborline repository (tests/dated_history.py) built with its history
    and its PDFs, served at /history/harborline/."""
    def build(out: Path) -> None:
        result = CliRunner().invoke(main, ["--root", str(history_repo), "build", "--force",
                                           "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output, result.output  # the PDFs were printed

    serve_at(server, built_once(tmp_path_factory, "history", build), "history")
    return f"{server.origin}/history/harborline/"


@pytest.fixture(scope="session")
def history_pages(history_repo: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> frozenset[str]:
    """The pages of the history portal that its git history changes (`risks/`, `` for the
    home page), found by rendering it with and without its history: the whole-portal
    checks (axe, layout, text, charts) read these there. Its other pages render as they
    would without a history, which is how those checks read every demo portal."""
    from dated_history import pages_the_history_changes

    return pages_the_history_changes(history_repo, tmp_path_factory.mktemp("history-pages"),
                                     dt.date.today())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The axe counts of test_accessibility.py (record_property "axe"), with or without -s."""
    lines = sorted(value for outcome in ("passed", "failed")
                   for report in terminalreporter.stats.get(outcome, [])
                   for name, value in getattr(report, "user_properties", ()) if name == "axe")
    if lines:
        terminalreporter.section("accessibility (axe-core)")
        for line in lines:
            terminalreporter.write_line(str(line))
