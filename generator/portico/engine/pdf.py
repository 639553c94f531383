"""Pages of a built site printed to PDF by headless Chromium: board packs as files.

Runs on the plain site the engine built, before protection, so each PDF is one more file
of the site and is encrypted with it. Chromium is used because it draws the print
stylesheet's `@page` margin boxes (running headers and footers). It is optional: without
it the PDFs are skipped with one warning, and the rest of the site is built as usual.
Chromium makes no network request: it reads local files, and every host name it would
look up, the page's or its own, resolves to nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from portico.content.errors import BuildError
from portico.engine.reprint import Reprints, print_key

CHROMIUM_ENV = "PORTICO_CHROMIUM"
"""Environment variable naming the Chromium (or Chrome) executable to print with."""

_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

_FLAGS = (
    "--headless",
    "--no-sandbox",  # builds run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",  # the print stylesheet's margin boxes are the only header
    # Every host, IP literals included, fails to resolve inside Chromium: neither a URL in
    # a page nor the browser's own background requests reach the network or a DNS server.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--virtual-time-budget=1000",  # images and fonts settle, without a wall-clock wait
)

NO_SCRIPT_CSP = ("script-src 'none'; object-src 'none'; frame-src 'none'; "
                 "connect-src 'none'; worker-src 'none'; form-action 'none'")
"""The policy of the copy that is printed: no script runs (the page is print-ready as the
engine wrote it; a script in a client's Markdown could otherwise reach the network, as
WebRTC ignores the resolver rules, or write to the profile), no frame, no fetch. Chromium
will not print headless with scripts switched off altogether, so a policy it is."""

_STDERR_LINES = 5
_NOISE = re.compile(r":ERROR:dbus/|unexpected operator$")
"""Lines Chromium (and Debian's launcher) write on every run of a server without D-Bus."""


@dataclass(frozen=True)
class PrintJob:
    """One page of the site to print, and where its PDF goes."""

    page: str
    """The page's HTML file: a POSIX path relative to the site folder."""
    out: str
    """The PDF to write, relative to the site folder; missing folders are made."""
    css: str = ""
    """Extra CSS for this print only, added to the end of the page's `<head>`."""


def find_chromium() -> str | None:
    """The Chromium to print with, or None when there is none.

    `PORTICO_CHROMIUM`, when set and not empty, decides alone: the executable it names
    (a path, or a name looked up on PATH), or None if it names nothing executable; an
    explicit choice is never replaced by another browser. Otherwise the first of
    chromium, chromium-browser, google-chrome and google-chrome-stable on PATH.
    """
    chosen = os.environ.get(CHROMIUM_ENV, "")
    if chosen:
        return shutil.which(chosen)
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pages(site_dir: Path, jobs: Sequence[PrintJob], *, chromium: str | None = None,
                timeout: float = 60, reprints: Reprints | None = None) -> list[str]:
    """Print each job's page of `site_dir` to its PDF; returns warnings for what was skipped.

    `chromium` is the executable to use, `find_chromium()` when None. Without one no PDF is
    written and the single warning says how many were skipped and how to get them.
    `timeout` is in seconds, per page. `reprints`: the last build's PDFs, taken instead of
    printing a page whose inputs are as they were (engine.reprint). Raises `BuildError`
    naming the page when a page is missing or Chromium fails, times out or writes no PDF;
    `ValueError` when a job's paths leave the site folder or its CSS contains `</style`.
    """
    for job in jobs:
        _check(job)
    if not jobs:
        return []
    browser = chromium if chromium is not None else find_chromium()
    if browser is None:
        return [_skipped(len(jobs))]
    # The profile (history, session of the pages printed) lives beside the plain site, in
    # the build's private folder, and goes with it; never in the system's /tmp.
    with tempfile.TemporaryDirectory(prefix=".portico-chromium-", dir=site_dir.parent) as profile:
        for job in jobs:
            # The key covers how the page is printed too: the flags, and the policy of its
            # print copy (a change to `_print_copy` itself bumps reprint's version). A
            # missing page has none, and `_print` says so.
            key = (print_key(browser, (*_FLAGS, NO_SCRIPT_CSP), site_dir, job.page, job.css)
                   if reprints is not None and (site_dir / job.page).is_file() else None)
            if key is None or reprints is None or not reprints.take(key, site_dir / job.out):
                _print(browser, site_dir, job, Path(profile), timeout)
            if key is not None and reprints is not None:
                reprints.put(key, site_dir / job.out)
    return []


def _check(job: PrintJob) -> None:
    for path in (job.page, job.out):
        parts = PurePosixPath(path).parts
        if not parts or PurePosixPath(path).is_absolute() or ".." in parts:
            raise ValueError(f"print job path must stay inside the site folder: {path!r}")
    if "</style" in job.css.lower():
        raise ValueError(f"print CSS for {job.page} must not contain '</style'")


def _skipped(count: int) -> str:
    pdfs = "1 PDF was" if count == 1 else f"{count} PDFs were"
    chosen = os.environ.get(CHROMIUM_ENV, "")
    if chosen:
        reason = f"{CHROMIUM_ENV}={chosen} is not an executable"
        fix = f"point {CHROMIUM_ENV} at a Chromium or Chrome executable"
    else:
        reason = "no Chromium was found on PATH"
        fix = (f"install Debian's chromium package (apt-get install chromium) or set "
               f"{CHROMIUM_ENV} to a Chromium or Chrome executable")
    return f"{pdfs} not made, because {reason}; to get them, {fix}."


def _print(browser: str, site_dir: Path, job: PrintJob, profile: Path, timeout: float) -> None:
    page = site_dir / job.page
    if not page.is_file():
        raise BuildError(f"cannot print {job.page} to PDF: the site has no such page")
    out = (site_dir / job.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    source = _print_copy(page, job.css)
    try:
        command = [browser, *_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
                   source.resolve().as_uri()]
        status, output = _run(command, timeout, job.page)
    finally:
        source.unlink(missing_ok=True)
    if status != 0:
        raise BuildError(f"Chromium could not print {job.page} to PDF (exit status {status})"
                         f"{_tail(output)}")
    if not _is_pdf(out):
        raise BuildError(f"Chromium wrote no PDF for {job.page}{_tail(output)}")


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(4) == b"%PDF"
    except OSError:
        return False


def _run(command: list[str], timeout: float, page: str) -> tuple[int, str]:
    """Run Chromium in its own process group, so a timeout ends its helpers with it."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as exc:
        raise BuildError(f"cannot run Chromium ({command[0]}) to print {page}: "
                         f"{exc.strerror or exc}") from None
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise BuildError(f"Chromium did not finish printing {page} to PDF within "
                         f"{timeout:g} s") from None
    return process.returncode, output.decode("utf-8", errors="replace")


def _tail(output: str) -> str:
    lines = [line.strip() for line in output.splitlines()]
    kept = [line for line in lines if line and not _NOISE.search(line)][-_STDERR_LINES:]
    return ": " + " | ".join(kept) if kept else ""


_DOCTYPE = re.compile(r"\A\s*<!doctype[^>]*>", re.IGNORECASE)


def _print_copy(page: Path, css: str) -> Path:
    """A temporary sibling of `page` (relative URLs still resolve): NO_SCRIPT_CSP before
    anything else of the document, `css` at the end of its head."""
    html = page.read_bytes().decode("utf-8", errors="surrogateescape")
    at = _head_end(html)
    if css:
        html = f"{html[:at]}<style>{css}</style>{html[at:]}"
    doctype = _DOCTYPE.match(html)
    start = doctype.end() if doctype else 0
    policy = f'<meta http-equiv="Content-Security-Policy" content="{NO_SCRIPT_CSP}">'
    styled = f"{html[:start]}{policy}{html[start:]}"
    handle, name = tempfile.mkstemp(prefix=".portico-print-", suffix=".html", dir=page.parent)
    with os.fdopen(handle, "wb") as file:
        file.write(styled.encode("utf-8", errors="surrogateescape"))
    return Path(name)


class _HeadEnd(HTMLParser):
    """Finds where a page's head ends: its `</head>`, else its `<body>` tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.at: tuple[int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and self.at is None:
            self.at = self.getpos()

    def handle_endtag(self, tag: str) -> None:
        if tag == "head" and self.at is None:
            self.at = self.getpos()


def _head_end(html: str) -> int:
    """The index in `html` to insert head content at; the end for a page with neither tag.

    The parser skips `</head>` inside scripts and comments, which a text search would not.
    """
    parser = _HeadEnd()
    parser.feed(html)
    parser.close()
    if parser.at is None:
        return len(html)
    line, offset = parser.at
    start = 0
    for _ in range(line - 1):
        start = html.index("\n", start) + 1
    return start + offset
