"""The docs tree of one portal: where each client file lands (opaque paths, ARCHITECTURE.md
§5.7) and client Markdown with its links rewritten to those paths."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from markupsafe import Markup

from portico.content import model as m
from portico.content.errors import ContentError, Problem
from portico.content.links import (
    Link,
    anchors_of,
    exists,
    find_links,
    is_file,
    replace_spans,
    resolve,
)
from portico.portal.docs_folder import DocsFolder
from portico.portal.markdown import github_alerts, md_text, rel
from portico.portal.sanitize import sanitize_markdown
from portico.sections import source_files

_INLINE_MEDIA = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"}


@dataclass
class DocsTree:
    """Allocates output paths and copies files; rewrites links to them."""

    engagement: m.Engagement
    docs: DocsFolder
    pages: dict[Path, str] = field(default_factory=dict)  # source file → docs path
    files: dict[Path, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # (YAML file name, item id or "") → (docs path, anchor) of a section's page and item
    section_link: Callable[[str, str], tuple[str, str] | None] | None = None
    bodies: dict[Path, str] = field(default_factory=dict)  # client Markdown pages by source
    # (docs page, link target as written there) → (source file, line): where the engine's
    # complaint about a link belongs
    origins: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def file(self, source: Path) -> str:
        """The docs path of a client file (copied on first use), e.g. files/3.pdf."""
        if source not in self.files:
            real = source.resolve()
            root = self.engagement.root.resolve()
            if not real.is_relative_to(root) or not is_file(real):
                # `check` reports this at the link; refusing here too means no path, however
                # it slipped past, can copy another client's or the machine's bytes in.
                raise ContentError.at(self._shown(source), 0, "resolves outside the client's "
                                      "folder (a symlink?): refused, nothing of it is copied "
                                      "into the portal")
            if source.parent == self.engagement.root and source.name in source_files() \
                    or source == self.engagement.root / m.FILE_AUDIENCE:
                raise ContentError.at(self._shown(source), 0, "a client's YAML sources are "
                                      "never published")
            name = f"files/{len(self.files) + 1}{source.suffix.lower()}"
            self.docs.copy(name, real)
            self.files[source] = name
        return self.files[source]

    def _shown(self, path: Path) -> str:
        """`path` as the user knows it: relative to the repository when it is inside the client."""
        e = self.engagement
        normal = Path(os.path.normpath(path))
        if normal.is_relative_to(e.root):
            return f"{e.source}/{normal.relative_to(e.root).as_posix()}"
        return normal.as_posix()

    def markdown(self, text: str | None, base: Path, page: str,
                 source: m.Document | None = None) -> Markup:
        """Client Markdown, its HTML sanitized (portal/sanitize.py: what the engine must never
        see), with every relative link pointed at its output path.

        With its `source` document: each link's origin is kept for the engine's errors, and
        a document whose dead links are warnings (an imported set) shows them as text."""
        if not text:
            return Markup("")
        text, _removed = sanitize_markdown(text)  # `portico check` reports each at its line
        text = github_alerts(text)
        spans: list[tuple[int, int, str]] = []
        for link in find_links(text):
            if source is not None and source.dead_links == "warning" and link.inline \
                    and self._dead(link, base, text):
                spans.append((*link.whole, link.text))
                continue
            rewritten = self._rewrite(link, base, page)
            if source is not None:
                at = source.body.find(link.target)
                line = source.body_line + source.body.count("\n", 0, max(at, 0))
                for start, end, new in rewritten or [(link.start, link.end, link.target)]:
                    self.origins.setdefault((page, new if (start, end) == (link.start, link.end)
                                             else link.target), (source.source, line))
            spans += rewritten
        return Markup(replace_spans(text, spans))

    def _outside_view(self, target: Path) -> bool:
        """Whether `target` is a page, an item or a file a client view leaves out
        (portal.audience): a client Markdown file with no page here, one of its YAML sources
        with no item or page for the link, or a file files/audience.yml keeps out. Only a
        view's portal has such links; `check` refuses them in the full engagement (internal
        items) and warns of them in a view."""
        e = self.engagement
        if e.view is None or not target.is_relative_to(e.root):
            return False
        if target in e.hidden_files:  # files/audience.yml keeps it out of this view
            return True
        if target.suffix.lower() == ".md":
            return target not in self.pages
        return target.parent == e.root and target.name in source_files()

    def _dead(self, link: Link, base: Path, text: str) -> bool:
        """Whether a link leads nowhere in the portal: no file, or no such anchor there."""
        if link.remote or link.target.startswith("/"):
            return False
        target = resolve(link, base)
        if target is not None and (not target.is_relative_to(self.engagement.root)
                                   or not exists(target)):
            return True
        fragment = unquote(link.suffix[1:]) if link.suffix.startswith("#") else ""
        body = text if target is None else self.bodies.get(target)
        return bool(fragment) and body is not None and fragment not in anchors_of(body)

    def _rewrite(self, link: Link, base: Path, page: str) -> list[tuple[int, int, str]]:
        if link.remote:
            if link.image and link.inline:
                alt = md_text(link.text or "external image")
                return [(*link.whole, f"[{alt} (external image, not loaded)]({link.target})")]
            return []
        target = resolve(link, base)
        if target is None:
            return []
        if target in self.pages:
            return [(link.start, link.end, rel(page, self.pages[target]) + link.suffix),
                    *_decision_label(link, self.pages[target])]
        if target.parent == self.engagement.root and self.section_link is not None:
            fragment = link.suffix[1:] if link.suffix.startswith("#") else ""
            found = self.section_link(target.name, fragment)
            if found is not None:  # `risks.yml#RISK-004` → the register page, at that risk
                path, anchor_id = found
                return [(link.start, link.end, rel(page, path) + (f"#{anchor_id}"
                                                                    if anchor_id else ""))]
        if self._outside_view(target):
            # Plain text: no dead link, and no source copied in as a download.
            return [(*link.whole, link.text)] if link.inline else \
                [(link.start, link.end, "#")]
        if not is_file(target):
            return []  # `check` reports it; the engine's link validation fails the build
        url = rel(page, self.file(target))
        if not link.image and target.suffix.lower() not in _INLINE_MEDIA:
            # Output names are opaque; the download keeps its real name (see assets/crypto.js).
            url += "?download=" + quote(target.name, safe="")
        return [(link.start, link.end, url)]


_ADR_TOOLS_LABEL = re.compile(r"^(\d+)\.\s+(\S.*)$", re.DOTALL)
_DECISION_PAGE = re.compile(r"^decisions/(\d+)\.md$")


def _decision_label(link: Link, target_page: str) -> list[tuple[int, int, str]]:
    """A link to a decision labelled as adr-tools writes it, "3. Rewrite Manifest", read as
    the portal names a decision everywhere else: "0003 Rewrite Manifest" (in a sentence,
    "3." read as a list number)."""
    label = _ADR_TOOLS_LABEL.match(link.text) if link.inline and not link.image else None
    page = _DECISION_PAGE.match(target_page)
    if label is None or page is None or int(label.group(1)) != int(page.group(1)):
        return []
    return [(*link.label, f"{page.group(1)} {label.group(2)}")]
