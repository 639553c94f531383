"""Active content in a client's Markdown and SVG files, which the portal will not run.

The portal's Content-Security-Policy lets no script from content run, and an SVG
opened on its own is sandboxed (`default-src 'none'; sandbox`). `check` warns, at the
line, on what a CTO may have pasted in expecting it to work: a raw `<script>`, an `on*=`
event handler (in HTML or in an attribute list), an `<iframe>`, `<object>` or `<embed>`,
and what would move the reader or the page: `<meta http-equiv="refresh">` (which no CSP
stops), `<base>`, `<form>`, `<link>`, `<style>` (portal/sanitize.py removes them all);
and SVG files with `<script>`, event handlers, `<foreignObject>` or `javascript:` links.
Code (fenced, indented, inline) is shown as text, so nothing in it is active.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.parsers import expat

__all__ = ["active_in_markdown", "active_in_svg"]

_CSP = "its Content-Security-Policy allows no script from content"
_EMBEDS = {"iframe", "object", "embed"}
# Cheap test before parsing: most documents hold none of this.
_MAYBE_ACTIVE = re.compile(r"<\s*(?:script|iframe|object|embed|meta|base|form|link|style)\b"
                           r"|\bon[a-z]+\s*=", re.IGNORECASE)
_MOVERS = {
    "base": "<base> would point every relative link of the page elsewhere",
    "form": "<form> would send what the reader types elsewhere",
    "link": "<link> would load or announce another resource",
    "style": "<style> would restyle the whole portal",
}
_EVENT = re.compile(r"on[a-z]+", re.IGNORECASE)
_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
_ATTR_NAME = re.compile(r"(?:^|[\s{:])(on[a-z]+)\s*=", re.IGNORECASE)
# Admonitions, collapsible blocks and content tabs indent their body by four spaces, which
# CommonMark would read as a code block; Python-Markdown (MkDocs) renders it as Markdown.
_CONTAINER = re.compile(r"^( *)(?:!!!|\?\?\?\+?|===!?\+?)[ \t]")


def active_in_markdown(text: str) -> list[tuple[int, str]]:
    """(0-based line in `text`, message) for each piece of active content outside code."""
    if not _MAYBE_ACTIVE.search(text):
        return []
    from markdown_it import MarkdownIt  # imported only for the few documents that need it

    found: list[tuple[int, str]] = []
    for token in MarkdownIt("commonmark").enable("table").parse(_unindent_containers(text)):
        if token.type == "html_block" and token.map:
            found += [(token.map[0] + line, message) for line, message in _html(token.content)]
        elif token.type == "inline" and token.map:
            line = token.map[0]
            for child in token.children or ():
                if child.type in {"softbreak", "hardbreak"}:
                    line += 1
                elif child.type == "html_inline":
                    found += [(line + at, message) for at, message in _html(child.content)]
                elif child.type == "text":
                    found += [(line, message) for message in _attribute_lists(child.content)]
                line += child.content.count("\n")
    return sorted(set(found))


def active_in_svg(data: bytes) -> list[tuple[int, str]]:
    """(1-based line, message) for each piece of active content in an SVG file.

    Parsed with expat, which loads no external entity; a file that declares entities is
    not expanded (an entity can grow a small file into gigabytes) and gets a warning.
    """
    found: list[tuple[int, str]] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name: str, attributes: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        tag = name.rsplit(" ", 1)[-1]
        if tag == "script" or tag.lower() == "foreignobject":
            found.append((line, _svg(f"<{tag}>")))
        for key, value in attributes.items():
            attribute = key.rsplit(" ", 1)[-1]
            if _EVENT.fullmatch(attribute):
                found.append((line, _svg(f"an {attribute}= event handler")))
            elif attribute == "href" and value.strip().lower().startswith("javascript:"):
                found.append((line, _svg("a javascript: link")))

    def entity(*_: object) -> None:
        raise _EntityDeclared

    parser.StartElementHandler = start
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except _EntityDeclared:
        return [(parser.CurrentLineNumber, "SVG declares XML entities, which this check does "
                 "not expand (a parsing hazard); export it again without a <!DOCTYPE>")]
    except expat.ExpatError as exc:
        return [(exc.lineno, f"SVG is not well-formed XML ({expat.ErrorString(exc.code)}): "
                 "browsers will not show it; export it again")]
    return sorted(set(found))


class _EntityDeclared(Exception):
    """An SVG declares an XML entity: parsing stops there."""


def _svg(what: str) -> str:
    return (f"SVG with {what} will not run in the portal, which shows an SVG opened on its "
            "own sandboxed, scripts off")


def _html(fragment: str) -> list[tuple[int, str]]:
    """(0-based line in `fragment`, message) for each active tag or attribute of raw HTML."""
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser.found


class _Tags(HTMLParser):
    """Collects the active parts of an HTML fragment with their lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0] - 1
        if tag == "script":
            self.found.append((line, f"raw <script> will not run in the portal ({_CSP}); "
                               "remove it"))
        elif tag in _EMBEDS:
            self.found.append((line, f"<{tag}> will not run in the portal (its Content-"
                               "Security-Policy allows no frame, object or embed from "
                               "content); link to what it shows instead"))
        elif tag == "meta":
            refresh = any(n == "http-equiv" and (v or "").strip().lower() == "refresh"
                          for n, v in attrs)
            what = ('<meta http-equiv="refresh"> would send the reader to another address '
                    "(no Content-Security-Policy can stop it)") if refresh else \
                "<meta> in a page body would change how the browser treats the page"
            self.found.append((line, f"{what}; the portal removes it: remove it here"))
        elif tag in _MOVERS:
            self.found.append((line, f"{_MOVERS[tag]}; the portal removes it: remove it here"))
        for name, _value in attrs:
            if _EVENT.fullmatch(name):
                self.found.append((line, f"{name}= event handler on <{tag}> will not run in "
                                   f"the portal ({_CSP}); remove it"))


def _attribute_lists(text: str) -> list[str]:
    """Event handlers set through Markdown attribute lists: `[x](y){ onclick="..." }`."""
    return [f"{name.lower()}= event handler in an attribute list will not run in the portal "
            f"({_CSP}); remove it"
            for block in _ATTR_LIST.findall(text) for name in _ATTR_NAME.findall(block)]


def _unindent_containers(text: str) -> str:
    """`text` with each admonition, details or tab body moved left to where its opener
    stands, so the Markdown inside is read as Markdown; every line stays on its line."""
    out: list[str] = []
    bodies: list[int] = []  # indentation of each open container's body
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if line.strip():
            while bodies and indent < bodies[-1]:
                bodies.pop()
        shifted = line[min(bodies[-1], indent):] if bodies and line.strip() else line
        opener = _CONTAINER.match(line)
        if opener:
            bodies.append(len(opener.group(1)) + 4)
        out.append(shifted)
    return "\n".join(out)
