"""Text made safe for Markdown, HTML and the engine, and links between docs pages.

Pure functions of strings: render, the sections and their templates all use them.
"""

from __future__ import annotations

import functools
import re
from pathlib import PurePosixPath
from typing import Any

from markupsafe import Markup

from portico.content.links import find_links, mask_code, replace_spans

_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~$^=:"}
_MD_SPECIAL.update({"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "\n": " "})
_MD_TABLE = str.maketrans(_MD_SPECIAL)
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])|\{")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
_FIRST_H1 = re.compile(r"\A\s*#\s+[^\n]*\n?")


def md_text(value: Any) -> Markup:
    """Plain text made safe for Markdown and HTML: nothing in it is markup any more."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(str(value).translate(_MD_TABLE))


def inert_html(text: str) -> str:
    """Markdown from a YAML field with raw HTML and attribute lists made plain text.

    Summaries, next steps, descriptions and mitigations are short Markdown fields shown in
    cards and tables: emphasis, lists and links work, but `<tag ...>` and `{: attr=... }`
    are shown as written, so no event handler or markup can come from a YAML value.
    Autolinks (`<https://...>`), `[text](<target>)` and anything in code stay as they are.
    """
    masked = mask_code(text)
    targets = [(link.start, link.end) for link in find_links(text)]
    spans: list[tuple[int, int, str]] = []
    for match in _TAG_START.finditer(masked):
        at = match.start()
        if any(start <= at < end for start, end in targets):
            continue
        if match.group(0) == "{":
            spans.append((at, at + 1, "&#123;"))
        elif not _AUTOLINK.match(masked, at) and \
                not masked[max(0, at - 40):at].rstrip().endswith("]("):
            spans.append((at, at + 1, "&lt;"))
    return replace_spans(text, spans)


def engine_text(value: str) -> str:
    """A title as the engine needs it: MkDocs and Material print site, nav and page titles
    into HTML unescaped, so `<`, `>` and `"` become entities (one line, `&` kept as is)."""
    return " ".join(value.split()).replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def anchor(identifier: str) -> str:
    """The HTML id of a risk or roadmap item: its id, lower-cased, safe characters only."""
    return re.sub(r"[^a-z0-9]+", "-", identifier.lower()).strip("-") or "item"


def heading_id(identifier: str) -> Markup:
    """The attribute list giving a heading an item's anchor (`{#risk-002}`), so the item's
    search entry and every link to it land on the heading."""
    return Markup(f"{{#{anchor(identifier)}}}")


def strip_h1(body: str) -> str:
    """The body without its first `# ` heading (the page template prints the title)."""
    return _FIRST_H1.sub("", body, count=1)


@functools.lru_cache(maxsize=1 << 16)  # a large register links the same pairs thousands of times
def rel(page: str, target: str) -> str:
    """A relative link from one docs file to another, as MkDocs resolves it."""
    # Split by hand: docs paths are Portico's own, and pathlib costs more than the render of
    # a link on a large register's pages.
    parts_from = [part for part in page.split("/")[:-1] if part not in ("", ".")]
    parts_to = [part for part in target.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(parts_from), len(parts_to) - 1) and \
            parts_from[common] == parts_to[common]:
        common += 1
    return "/".join([".."] * (len(parts_from) - common) + list(parts_to[common:]))


@functools.lru_cache(maxsize=1 << 16)
def _directory(path: str) -> tuple[str, ...]:
    p = PurePosixPath(path)
    folder = p.parent if p.name == "index.md" else p.parent / p.stem
    return tuple(part for part in folder.parts if part != ".")


def url(page: str, target: str, fragment: str = "") -> str:
    """A URL (directory style, as the built site has it) from one docs page to another."""
    here, there = _directory(page), _directory(target)
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + list(there[common:])
    path = "/".join(parts) + "/" if parts else ""
    if fragment:
        return f"{path}#{fragment}"
    return path or "./"


def money(amount: float, currency: str | None) -> str:
    """`$120,000`, `€95,000`, or `120,000 CHF`."""
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get((currency or "USD").upper())
    number = f"{amount:,.0f}"
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


_ALERT = re.compile(r"^ {0,3}> ?\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*$", re.IGNORECASE)
_QUOTED = re.compile(r"^ {0,3}> ?(.*)$")
# GitHub's alert kinds as Material's admonitions, titled with GitHub's word.
_ADMONITIONS = {"note": "note", "tip": "tip", "important": "info", "warning": "warning",
                "caution": "danger"}


def github_alerts(text: str) -> str:
    """GitHub's alert blocks (`> [!NOTE]` then quoted lines) as Material admonitions, so a
    file written for GitHub reads the same in the portal. Code blocks are left alone."""
    masked = mask_code(text).split("\n")
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _ALERT.match(masked[i])
        if match is None:
            out.append(lines[i])
            i += 1
            continue
        kind = match.group(1).lower()
        out.append(f'!!! {_ADMONITIONS[kind]} "{kind.capitalize()}"')
        i += 1
        while i < len(lines) and (quoted := _QUOTED.match(masked[i])) is not None:
            out.append(("    " + lines[i][quoted.start(1):]).rstrip())
            i += 1
        out.append("")
    return "\n".join(out)
