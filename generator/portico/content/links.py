"""Links and images in a client's Markdown: found with their lines, resolved inside the client.

`check` uses them to report broken or escaping links; `render` to point them at output paths.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

# A label holds no unescaped bracket and at most 999 characters (CommonMark); a tag's
# attributes no `<`. Both bounds keep every scan from running into the next one's text, so
# the scan is linear however the text is made (100 kB of `[a](` once took minutes).
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\[\]]{1,999}\]:\s*<?(?P<target>[^\s>]+)>?",
                        re.MULTILINE)
_HTML = re.compile(r"<(?P<tag>img|a|source|video|audio)\b[^<>]*?\b(?:src|href)\s*=\s*"
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
    label: tuple[int, int] = (0, 0)  # offsets of the link text (inline links only)

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
    line_ends = [m.start() for m in re.finditer("\n", masked)]

    def line_of(offset: int) -> int:
        return bisect.bisect_left(line_ends, offset)

    found: list[Link] = []
    for inline in _InlineScanner(masked).links():
        start, end = inline.target
        found.append(Link(masked[start:end], line_of(start), start, end, inline.image,
                          inline.whole, text[inline.text[0]:inline.text[1]], True,
                          inline.text))
    for match in _REFERENCE.finditer(masked):
        found.append(Link(match.group("target"), line_of(match.start("target")),
                          *match.span("target"), image=False))
    for match in _HTML.finditer(masked):
        found.append(Link(match.group("target"), line_of(match.start("target")),
                          *match.span("target"), image=match.group("tag").lower() != "a"))
    return sorted(found, key=lambda link: link.start)


@dataclass(frozen=True)
class _Inline:
    """Where the parts of one `[text](target "title")` sit: (start, end) offsets."""

    whole: tuple[int, int]
    text: tuple[int, int]
    target: tuple[int, int]
    image: bool


_PLAIN = re.compile(r"[^\[\]\n]*")  # link text up to the next bracket or line end
_BLANK_LINE = re.compile(r"[ \t]*\n")  # a link's text does not cross a blank line
_SPACE = re.compile(r"\s*")
_TARGET_END = re.compile(r"[\s)>]")  # a target is a run of anything else


class _InlineScanner:
    """Inline links and images, `[text](target "title")`, found in time linear in the text.

    What is found is what CommonMark-ish rules give: the text may hold plain characters,
    single line breaks and `[nested]` brackets, and ends at its first unnested `]`; the
    target is the run that follows `](` (optionally in `<>`), then an optional quoted
    title and `)`. Each of these is decided by the first character that can end it, so
    every scan that could be repeated from another `[` (the text after a `[`, the target
    run, the spaces after it, a title) is remembered by its start: 1 MB of `[a](` costs
    what 1 MB of prose does, where a backtracking pattern took minutes.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends: dict[int, int] = {}  # where link text from here ends (its `]`), or -1
        self.spaces: dict[int, int] = {}  # where the spaces from here end
        self.titles: dict[int, int] = {}  # where the title opening here closes, or -1
        self._closers: list[int] | None = None  # positions of `]` and line ends
        self._target_ends: list[int] | None = None  # positions of what ends a target

    def links(self) -> Iterator[_Inline]:
        text, position = self.text, 0
        last = text.rfind("](")  # no link starts after the last `](`
        while True:
            opening = text.find("[", position)
            if opening < 0 or opening > last:
                return
            found = self._link_at(opening)
            if found is None:
                position = opening + 1
                continue
            image = opening > position and text[opening - 1] == "!"
            start = opening - 1 if image else opening
            yield _Inline((start, found[2]), (opening + 1, found[0]), found[1], image)
            position = found[2]

    def _link_at(self, opening: int) -> tuple[int, tuple[int, int], int] | None:
        """(end of the text, the target's span, end of the link) for a `[` at `opening`."""
        text = self.text
        closing = self._text_end(opening + 1)
        if closing < 0 or not text.startswith("(", closing + 1):
            return None
        start = self._space_end(closing + 2)
        first = start + 1 if text.startswith("<", start) else start
        end = self._next(self._target_stops(), first)
        if end == first:
            if first == start:
                return None
            first = start  # `(<)`: the `<` is the target itself
        start = first
        after = end + 1 if text.startswith(">", end) else end
        gap = self._space_end(after)
        if gap > after and gap < len(text) and text[gap] in "\"'":
            title_end = self._title_end(gap)
            if title_end >= 0:
                close = self._space_end(title_end + 1)
                if text.startswith(")", close):
                    return closing, (start, end), close + 1
            return None
        if text.startswith(")", gap):
            return closing, (start, end), gap + 1
        return None

    def _text_end(self, position: int) -> int:
        """The `]` that ends link text starting at `position`, or -1 when none can."""
        text, seen = self.text, []
        result = -1
        while position not in self.ends:
            seen.append(position)
            stop = _PLAIN.match(text, position).end()  # type: ignore[union-attr]
            if stop >= len(text):
                break
            char = text[stop]
            if char == "]":
                result = stop
                break
            if char == "\n":
                if _BLANK_LINE.match(text, stop + 1):
                    break
                position = stop + 1
                continue
            nested = self._next(self._closer_stops(), stop + 1)  # `[nested]` on one line
            if nested >= len(text) or text[nested] != "]":
                break
            position = nested + 1
        else:
            result = self.ends[position]
        for start in seen:
            self.ends[start] = result
        return result

    def _space_end(self, position: int) -> int:
        if position not in self.spaces:
            self.spaces[position] = _SPACE.match(self.text, position).end()  # type: ignore[union-attr]
        return self.spaces[position]

    def _title_end(self, opening: int) -> int:
        if opening not in self.titles:
            self.titles[opening] = self.text.find(self.text[opening], opening + 1)
        return self.titles[opening]

    def _closer_stops(self) -> list[int]:
        if self._closers is None:
            self._closers = [m.start() for m in re.finditer(r"[\]\n]", self.text)]
        return self._closers

    def _target_stops(self) -> list[int]:
        if self._target_ends is None:
            self._target_ends = [m.start() for m in _TARGET_END.finditer(self.text)]
        return self._target_ends

    def _next(self, stops: list[int], position: int) -> int:
        """The first of `stops` at or after `position`, else the end of the text."""
        index = bisect.bisect_left(stops, position)
        return stops[index] if index < len(stops) else len(self.text)


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


def is_file(path: Path) -> bool:
    """Whether a link's target is a file; a name no file system can hold (a segment past
    255 bytes, for one) is simply not one, where `Path.is_file` would raise."""
    try:
        return path.is_file()
    except OSError:
        return False


def exists(path: Path) -> bool:
    """`Path.exists`, False for a name no file system can hold (see `is_file`)."""
    try:
        return path.exists()
    except OSError:
        return False


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
