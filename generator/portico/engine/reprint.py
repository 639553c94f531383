"""PDFs a build takes from the last one instead of printing them again.

Chromium takes about a second per page it prints, and a past board pack never changes: a
client with a year of monthly packs would print twelve PDFs on every edit. A PDF is taken
again when everything it would be printed from is as it was (`print_key`): the page's HTML,
the job's print CSS, every file of the site the page draws on (its style sheets, the fonts
and images they name, its images), the browser and the way it is run. Anything else
Chromium reads (the system's fonts) is not in the key: `portico build --force` prints every
PDF afresh.

The PDFs are the client's plain text. They are kept in the portal's kept folder
(delivery.kept, mode 0700) with its plain site, and go with it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["Reprints", "print_key"]

_KEY_VERSION = b"portico-print 1\0"  # bump when pdf.py prints a page differently
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_DRAWN = frozenset({"src", "data", "poster"})  # on any element: what it shows
_DRAWN_HREF = frozenset({"link", "image", "use", "feimage"})  # href that is drawn, not a link


@dataclass(frozen=True)
class Reprints:
    """Where a build finds the PDFs of the last one (`last`; None: print every page) and
    puts its own for the next (`keep`), each named by its `print_key`."""

    last: Path | None
    keep: Path

    def take(self, key: str, out: Path) -> bool:
        """Copy the last build's PDF of `key` to `out`; False when there is none."""
        if self.last is None:
            return False
        kept = self.last / f"{key}.pdf"
        try:
            with kept.open("rb") as file:
                if file.read(4) != b"%PDF":
                    return False
            out.parent.mkdir(parents=True, exist_ok=True)
            out.unlink(missing_ok=True)  # the last build's, in a kept site: never written into
            shutil.copyfile(kept, out)
        except OSError:
            return False
        return True

    def put(self, key: str, pdf: Path) -> None:
        """Keep `pdf`, printed (or taken) by this build, for the next."""
        self.keep.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copyfile(pdf, self.keep / f"{key}.pdf")


def print_key(browser: str, flags: tuple[str, ...], site_dir: Path, page: str, css: str) -> str:
    """What the PDF of `page` (a path in `site_dir`) printed with `css` by `browser` run with
    `flags` depends on: equal keys, the same PDF."""
    digest = hashlib.sha256(_KEY_VERSION)
    real = os.path.realpath(browser)
    found = os.stat(real)
    digest.update(f"{real}\0{found.st_size}\0{found.st_mtime_ns}\0".encode())
    digest.update("\0".join(flags).encode() + b"\0")
    digest.update(css.encode() + b"\0")
    source = site_dir / page
    html = source.read_bytes()
    digest.update(html + b"\0")
    root = site_dir.resolve()
    for used in sorted(_drawn_on(source, html.decode("utf-8", errors="replace"), root)):
        digest.update(used.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(used.read_bytes()).digest())
    return digest.hexdigest()


def _drawn_on(page: Path, html: str, root: Path) -> set[Path]:
    """Every file of the site under `root` the page names (links, images, style sheets) and,
    through the style sheets, their fonts, images and imports."""
    found: set[Path] = set()
    todo = [(page, ref) for ref in _html_refs(html)]
    while todo:
        base, ref = todo.pop()
        path = _local(base, ref, root)
        if path is None or path in found:
            continue
        found.add(path)
        if path.suffix.lower() == ".css":
            text = path.read_text("utf-8", errors="replace")
            todo += [(path, ref) for ref in _css_refs(text)]
    return found


def _html_refs(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    parser.close()
    return parser.refs + _css_refs(html)  # inline styles name files too


def _css_refs(text: str) -> list[str]:
    return [match.group(2) or match.group(4) for match in _CSS_URL.finditer(text)]


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name in _DRAWN or (name in ("href", "xlink:href") and tag in _DRAWN_HREF):
                self.refs.append(value)
            elif name == "srcset":
                self.refs += [part.split()[0] for part in value.split(",") if part.split()]


def _local(base: Path, ref: str, root: Path) -> Path | None:
    """The file of the site `ref`, written in `base`, names; None for another origin, a
    fragment, data, or a file outside the site."""
    parts = urlsplit(ref.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (base.parent / unquote(parts.path)).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target
