"""Client-authored HTML in Markdown bodies, cleaned before the engine sees it (nh3).

A client's Markdown page may hold raw HTML (`<kbd>`, `<details>`, a table), and the engine
passes it into the page and the search index as it is. The portal's CSP already refuses
every script from content; this is the wall in front of it, for what CSP cannot stop: a
`<meta http-equiv="refresh">` that sends the reader elsewhere, a `<base>` that re-points
every relative link, a `<form>` that posts what the reader types.

Every HTML tag outside code is checked against an allowlist (what Markdown and Material
make, and what a CTO would write by hand): an element not on it is dropped (with its
content, for script, style, frames, forms and the like; its tag alone otherwise), and an
allowed element keeps only the attributes and URL schemes nh3 (Ammonia) passes. Markdown's
own ways to make a link or an attribute (`[x](javascript:...)`, `{: onclick=... }`) are
cleaned too. Code (fenced, indented, inline) is text and is left as written. `portico
check` reports the same constructs at their lines (content/active_content.py).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

__all__ = ["ALLOWED_TAGS", "Removal", "sanitize_markdown"]

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr",
})
"""What client HTML may use: text structure, tables, details, kbd, sub/sup, images."""
_GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir", "markdown"}  # markdown: md_in_html
_ATTRIBUTES = {
    "a": {"href", "name"}, "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"}, "colgroup": {"span"}, "ol": {"start", "reversed", "type"},
    "details": {"open"}, "time": {"datetime"}, "q": {"cite"}, "blockquote": {"cite"},
    "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""Schemes a link or image may use; relative URLs (the portal's own files) always pass."""
_DROPPED_WITH_CONTENT = ("script", "style", "iframe", "object", "embed", "form", "noscript",
                         "template", "textarea", "select", "svg", "math", "frameset",
                         "noembed", "noframes", "xmp", "title", "applet")

_WHOLE = re.compile(r"<(" + "|".join(_DROPPED_WITH_CONTENT) + r")\b[^>]*>.*?</\1\s*>",
                    re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)/?>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BAD_SCHEME = r"\s*(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|vbscript|data)\s*:"
_LINK_TARGET = re.compile(r"(\]\(\s*<?)(" + _BAD_SCHEME + r")", re.IGNORECASE)
_REFERENCE = re.compile(r"(^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?)(" + _BAD_SCHEME + r")",
                        re.IGNORECASE | re.MULTILINE)
_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
_BAD_ATTR = re.compile(r"(?<![\w-])(?:on[a-z]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s}]+)"
                       r"|(?:href|src|action|formaction|srcdoc|style)\s*=\s*"
                       r"(?:\"[^\"]*\"|'[^']*'|[^\s}]+))", re.IGNORECASE)
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


@dataclass(frozen=True)
class Removal:
    """One construct taken out of a body: its 0-based line and what it was, in words."""

    line: int
    what: str


def sanitize_markdown(text: str) -> tuple[str, list[Removal]]:
    """`text` with every active or disallowed HTML construct outside code removed, and
    what was removed, by line. Allowed HTML and all Markdown stay byte for byte."""
    masked = _mask_code(text)
    edits: list[tuple[int, int, str, str]] = []  # start, end, replacement, what
    for match in _WHOLE.finditer(masked):
        edits.append((match.start(), match.end(), "", f"<{match.group(1).lower()}> element"))
    taken = [(s, e) for s, e, _, _ in edits]
    comments = [(m.start(), m.end()) for m in _COMMENT.finditer(masked)]

    def free(start: int, end: int) -> bool:
        return not any(s <= start < e or s < end <= e for s, e in taken + comments)

    for match in _TAG.finditer(masked):
        if not free(match.start(), match.end()):
            continue
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        original = text[match.start():match.end()]
        if name not in ALLOWED_TAGS:
            what = "<meta http-equiv=refresh>" if name == "meta" and "refresh" in \
                original.lower() else f"<{name}>"
            edits.append((match.start(), match.end(), "", f"{what} tag"))
        elif not closing and attributes.strip(" /"):
            cleaned = _clean_tag(name, original)
            if _attributes(cleaned) != _attributes(original):
                edits.append((match.start(), match.end(), cleaned,
                               f"attributes of <{name}> ({_dropped(original, cleaned)})"))
    for pattern in (_LINK_TARGET, _REFERENCE):
        for match in pattern.finditer(masked):
            if free(match.start(), match.end()):
                # about:blank: a link that goes nowhere, and that the engine does not check
                # as an anchor of the page.
                edits.append((match.start(2), match.end(2), "about:blank#",
                              f"{match.group(2).strip().rstrip(':').lower()}: link"))
    for match in _ATTR_LIST.finditer(masked):
        if free(match.start(), match.end()):
            for bad in _BAD_ATTR.finditer(match.group(0)):
                name = bad.group(0).split("=", 1)[0].strip().lower()
                if name in {"href", "src"} and not re.match(
                        r"[\"']?" + _BAD_SCHEME, bad.group(0).split("=", 1)[1], re.IGNORECASE):
                    continue  # a plain link in an attribute list is fine
                edits.append((match.start() + bad.start(), match.start() + bad.end(), "",
                              f"{name}= in an attribute list"))
    if not edits:
        return text, []
    edits.sort()
    out: list[str] = []
    removed: list[Removal] = []
    at = 0
    for start, end, replacement, what in edits:
        if start < at:
            continue  # inside an edit already made
        out += [text[at:start], replacement]
        removed.append(Removal(text.count("\n", 0, start), what))
        at = end
    out.append(text[at:])
    return "".join(out), removed


def _clean_tag(name: str, tag: str) -> str:
    """An allowed opening tag with only its allowed attributes and URLs (by nh3)."""
    void = name in {"br", "col", "hr", "img", "wbr"}
    cleaned = _nh3(tag if void else f"{tag}</{name}>")
    opening = cleaned[:cleaned.find(">") + 1] if ">" in cleaned else ""
    if opening and tag.rstrip().endswith("/>") and void:
        opening = opening[:-1].rstrip() + " />"
    return opening


def _attributes(tag: str) -> dict[str, str]:
    """The attributes of one opening tag as a browser reads them (entities decoded)."""
    found: dict[str, str] = {}

    class _Tag(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.update((name, value or "") for name, value in attrs)

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.handle_starttag(tag, attrs)

    parser = _Tag(convert_charrefs=True)
    parser.feed(tag)
    parser.close()
    return found


def _dropped(before: str, after: str) -> str:
    kept = _attributes(after)
    gone = [name for name, value in _attributes(before).items() if kept.get(name) != value]
    return ", ".join(gone) or "an unsafe value"


@functools.lru_cache(maxsize=4096)
def _nh3(html: str) -> str:
    attributes = {tag: set(names) | _GLOBAL_ATTRIBUTES for tag, names in _ATTRIBUTES.items()}
    attributes["*"] = set(_GLOBAL_ATTRIBUTES)
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes=attributes,
                     url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=False)


def _mask_code(text: str) -> str:
    """`text` with code (fenced and indented blocks, inline spans) blanked, same length, so
    offsets found in it are offsets in `text`."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    fence: str | None = None
    previous_blank = True
    for line in lines:
        opened = _FENCE.match(line)
        if fence is not None:
            out.append(_blank(line))
            if opened and opened.group(2)[0] == fence[0] and len(opened.group(2)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            continue
        if opened:
            fence = opened.group(2)
            out.append(_blank(line))
            continue
        indented = line.startswith(("    ", "\t")) and previous_blank and line.strip() \
            and not out_in_container(out)
        out.append(_blank(line) if indented else line)
        if not indented:
            previous_blank = not line.strip()
    masked = "".join(out)
    return _CODE_SPAN.sub(lambda m: _blank(m.group(0)), masked)


def out_in_container(out: list[str]) -> bool:
    """Whether the lines so far open an admonition, details or tab, whose body Python-Markdown
    reads indented by four spaces as Markdown, not code."""
    for line in reversed(out):
        if not line.strip():
            continue
        if re.match(r"^\s*(?:!!!|\?\?\?\+?|===!?\+?)[ \t]", line):
            return True
        if not line.startswith(("    ", "\t")):
            return False
    return False


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)
