"""Portico's own documentation, wherever Portico is installed: its topics, the Markdown
file of each, and the docs site built and served on this computer (`portico docs`).

The pages are the repository's docs/, with their site config in docs/_config/. A wheel
carries them as `portico/docs/` (pyproject.toml maps the folder in, nothing is copied);
an editable install finds them through that mapping, and a source checkout beside the
package.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from portico.content.errors import PorticoError

if TYPE_CHECKING:
    import http.server

__all__ = ["TOPICS", "build_manual", "docs_folder", "serve_manual", "topic_file"]

TOPICS: dict[str, str] = {
    "content-model": "every file, field and rule of a client folder",
    "commands": "every command and option, with real output",
    "hosting": "where to host portals; how to revoke a reader",
    "security": "what a portal protects, and where it stops",
    "bringing-existing-adrs": "a client's decision records, copied in as they are",
    "architecture": "how Portico is built: stages, sections, protection",
}
"""Topic → what its page covers; each is docs/<topic>.md, and the site's home is index.md."""

CONFIG = Path("_config") / "mkdocs.yml"
_PAGE = "commands.md"  # a page every copy of the docs has: how a docs folder is recognised


def docs_folder() -> Path:
    """The folder of the documentation's Markdown files; PorticoError if it is missing."""
    package = Path(__file__).resolve().parent
    candidates = [package / "docs"]  # installed from a wheel
    spec = importlib.util.find_spec("portico.docs")
    if spec is not None and spec.submodule_search_locations:  # an editable install's mapping
        candidates += [Path(p) for p in spec.submodule_search_locations]
    candidates.append(package.parent.parent / "docs")  # a source checkout: generator/portico
    for folder in candidates:
        if (folder / _PAGE).is_file() and (folder / CONFIG).is_file():
            return folder
    raise PorticoError("Portico's documentation is missing from this installation "
                       "(reinstall Portico)")


def topic_file(topic: str | None) -> Path:
    """The Markdown file of `topic` (None: the docs' home page); PorticoError naming every
    topic when there is no such topic."""
    if topic is None:
        return docs_folder() / "index.md"
    if topic not in TOPICS:
        raise PorticoError(f"no documentation topic {topic!r}; the topics are "
                           f"{', '.join(TOPICS)}")
    return docs_folder() / f"{topic}.md"


def build_manual(site_dir: Path) -> Path:
    """Build the docs site into `site_dir` with MkDocs, as CI does (strict: a broken link
    fails); returns `site_dir`."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    quiet = logging.getLogger("mkdocs")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # its INFO lines say nothing a reader needs
    try:
        config = load_config(str(docs_folder() / CONFIG), site_dir=str(site_dir), strict=True)
        build(config)
    except MkDocsException as exc:
        raise PorticoError(f"the documentation did not build: {exc}") from None
    finally:
        quiet.setLevel(level)
    return site_dir


def page_address(topic: str | None) -> str:
    """The path of `topic`'s page in the docs site: `/commands/`, or `/` for the home."""
    topic_file(topic)  # refuses an unknown topic
    return f"/{topic}/" if topic else "/"


@contextlib.contextmanager
def _server(site: Path, port: int) -> Iterator[http.server.ThreadingHTTPServer]:
    import http.server  # here, not at the top: every command imports this module

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """No line per request: the terminal keeps the address and how to stop."""

    handler = functools.partial(Quiet, directory=str(site))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise PorticoError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); "
                           "choose another --port") from None
    with server:
        yield server


@contextlib.contextmanager
def _ctrl_c_sets(stop: threading.Event) -> Iterator[None]:
    """Ctrl+C (and SIGTERM) set `stop` instead of raising KeyboardInterrupt wherever the
    main thread happens to be: the server then shuts down in order. An exception raised at
    an arbitrary point could leave a lock of the server's held, and `portico docs` hung on
    Ctrl+C on a loaded machine. Only the main thread may set handlers; elsewhere the
    defaults stay."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def handler(_signum: int, _frame: object) -> None:
        stop.set()
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, action in previous.items():
            signal.signal(sig, action)


def _shut_when_set(stop: threading.Event, server: http.server.HTTPServer) -> None:
    stop.wait()
    server.shutdown()


def serve_manual(topic: str | None, *, port: int = 0, open_browser: bool = True,
                 echo: Callable[[str], None] = print,
                 stop: threading.Event | None = None) -> None:
    """Build the docs site into a temporary folder and serve it on 127.0.0.1 until Ctrl+C
    (or until `stop` is set), opening `topic`'s page in the browser. `port` 0 takes a
    free one. PorticoError for an unknown topic or a port already taken."""
    address = page_address(topic)
    echo("Building the documentation ...")
    with tempfile.TemporaryDirectory(prefix="portico-docs-") as folder:
        site = build_manual(Path(folder) / "site")
        with _server(site, port) as server:
            url = f"http://127.0.0.1:{server.server_address[1]}{address}"
            echo(f"Portico's documentation: {url} (Ctrl+C to stop)")
            stop = stop or threading.Event()
            threading.Thread(target=_shut_when_set, args=(stop, server), daemon=True).start()
            if open_browser:
                import webbrowser

                webbrowser.open(url)
            with _ctrl_c_sets(stop), contextlib.suppress(KeyboardInterrupt):
                server.serve_forever()
