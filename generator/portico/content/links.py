"""Links and images in a client's Markdown: found with their lines, resolved inside the client.

`check` uses them to report broken or escaping links; `render` to point them at output paths.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

_INLINE = re.compile(
    # Link text may wrap onto the next line (as in CommonMark), but not across a blank one.
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\]\n]*\])*)\]"
    r"\(\s*(?P<angle><)?(?P<target>[^\s)>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<target>[^\s>]+)>?", re.MULTILINE)
_HTML = re.compile(r"<(?P<tag>img|a|source|video|audio)\b[^>]*?\b(?:src|href)\s*=\s*"
                   r"[\"'](?P<target>[^\"']+)[\"']", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Link:
    """A link or image in Markdown text: its target and where that target sits."""

    target: str
    line_offset: int  # 0-based line within the text
    start: int  # offsets of `target` in the text
    end: int
    image: bool
    whole: tuple[int, int] = (0, 0)  # offsets of the whole link or image syntax
    text: str = ""  # link text or alt text (inline links only)
    inline: bool = False  # `[text](target)` syntax, which may take an attribute list

    @property
    def remote(self) -> bool:
        """http(s) or another scheme: not a file of the client."""
        return bool(_SCHEME.match(self.target)) or self.target.startswith("//")

    @property
    def local_path(self) -> str | None:
        """The file part of a relative link (without #fragment / ?query), or None."""
        if self.remote or self.target.startswith(("#", "/")):
            return None
        path = re.split(r"[#?]", self.target, maxsplit=1)[0]
        return unquote(path) or None

    @property
    def suffix(self) -> str:
        """The #fragment or ?query kept when the link is rewritten."""
        match = re.search(r"[#?].*$", self.target)
        return match.group(0) if match else ""


def find_links(text: str) -> list[Link]:
    """Every inline link, image, reference definition and HTML src/href outside code."""
    masked = mask_code(text)
    found: list[Link] = []
    for match in _INLINE.finditer(masked):
        link = _link(masked, match, "target", image=bool(match.group("bang")))
        found.append(Link(link.target, link.line_offset, link.start, link.end, link.image,
                          match.span(), text[match.start("text") : match.end("text")], True))
    for match in _REFERENCE.finditer(masked):
        found.append(_link(masked, match, "target", image=False))
    for match in _HTML.finditer(masked):
        found.append(_link(masked, match, "target", image=match.group("tag").lower() != "a"))
    return sorted(found, key=lambda link: link.start)


def _link(text: str, match: re.Match[str], group: str, *, image: bool) -> Link:
    start, end = match.span(group)
    return Link(match.group(group), text.count("\n", 0, start), start, end, image)


def mask_code(text: str) -> str:
    """Blank out fenced blocks and code spans, keeping every offset and newline."""
    lines = text.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        opener = _FENCE.match(line)
        if fence is None and opener:
            fence = opener.group(1)
            lines[i] = " " * len(line)
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines[i] = " " * len(line)
        else:
            lines[i] = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
    return "\n".join(lines)


def resolve(link: Link, base_dir: Path) -> Path | None:
    """The absolute, normalised path a relative link points to (symlinks not followed)."""
    local = link.local_path
    if local is None:
        return None
    return Path(os.path.normpath(base_dir / local))


def replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end) span replaced; spans must not overlap."""
    out: list[str] = []
    position = 0
    for start, end, new in sorted(spans):
        out.append(text[position:start])
        out.append(new)
        position = end
    out.append(text[position:])
    return "".join(out)


# --- Heading anchors ---------------------------------------------------------------
# One slug function for the engine's `toc` and for `check`, so that what `check` passes
# the engine builds. GitHub's rules (lower case, punctuation dropped, each space a hyphen:
# "GitHub Issues + Zenhub" → `github-issues--zenhub`), so links written for GitHub land.
HEADING_SLUG_CASE = "lower"
_ID_ATTR = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")


def heading_slug(text: str, separator: str = "-") -> str:
    """A heading's anchor, as GitHub and the portal's engine make it."""
    from pymdownx.slugs import slugify

    return str(slugify(case=HEADING_SLUG_CASE)(text, separator))


def anchors_of(markdown_text: str) -> frozenset[str]:
    """Every id a page made from `markdown_text` holds: heading slugs (made unique as the
    engine's `toc` makes them) and explicit `{#id}` attributes."""
    return _anchors_of(markdown_text)


@functools.lru_cache(maxsize=512)
def _anchors_of(markdown_text: str) -> frozenset[str]:
    import markdown

    md = markdown.Markdown(extensions=["toc", "fenced_code", "attr_list", "md_in_html", "tables",
                                       "def_list", "footnotes", "admonition"],
                           extension_configs={"toc": {"slugify": heading_slug}})
    html = md.convert(markdown_text)
    return frozenset(a or b for a, b in _ID_ATTR.findall(html))
