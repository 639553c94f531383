"""Model → a docs tree of plain Markdown files and a per-client MkDocs config.

Output paths come from ids, dates, ordinals and fixed section names, never from words the
client wrote (ARCHITECTURE.md §5.7). Every value from YAML is escaped for Markdown and HTML
unless it is a Markdown field by design.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from jinja2 import Environment, FileSystemBytecodeCache, StrictUndefined
from markupsafe import Markup

from portico.content import model as m
from portico.content.practice import (
    _base_config,
    practice_locale,
    practice_name,
    reply_address,
)
from portico.portal.answers import Answers, answered
from portico.portal.aside_pages import PagesAside, write_each
from portico.portal.brand import DEFAULT_HEADER, brand_css, brand_palette, needs_plate
from portico.portal.docs_folder import DocsFolder
from portico.portal.jinja import TEMPLATES, template_loader
from portico.portal.labels import label
from portico.portal.markdown import (
    anchor,
    engine_text,
    github_alerts,
    heading_id,
    inert_html,
    md_text,
    rel,
    strip_h1,
    url,
)
from portico.portal.print_css import pack_print_css, print_css
from portico.portal.tree import DocsTree
from portico.portal.view import PortalView, portal_view
from portico.sections import Section, registered

if TYPE_CHECKING:
    from collections.abc import MutableMapping

# Material's per-page search weight for the practice's shared pages (glossary, how we work):
# they would otherwise outrank the client's own findings on the words they share.
SHARED_PAGE_BOOST = 0.5
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, where PyYAML has it


@dataclass
class RenderedPortal:
    """What `render` wrote: the MkDocs config to build and the number of pages."""

    config_file: Path
    docs_dir: Path
    pages: int
    title: str
    prints: list[Print] = field(default_factory=list)
    # (docs page, link target written there) → (source file, line), for the engine's errors
    origins: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # docs page → source file
    changed: frozenset[str] = frozenset()
    """Docs files this render wrote or changed; the rest are as an earlier render left them."""
    files: frozenset[str] = frozenset()
    """Every file of the docs folder (POSIX, relative): what this render made, nothing else."""


@dataclass(frozen=True)
class Print:
    """A page the pipeline prints to a PDF beside it once the engine has built the site."""

    page: str  # its docs path, e.g. board/2026-09-17.md
    pdf: str  # the PDF's file name, in the page's own folder of the built site
    css: str  # print rules for this PDF alone (its running header and footer)


class _PageEnvironment(Environment):
    """Jinja's environment, with each template's globals one plain dict: a copy of the
    environment's, which the PageWriter sets once, before any template loads. Jinja checks
    every `{% from ... import %}` of every render against the imported template's globals,
    and over its default ChainMap that check was a tenth of a large portal's render."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def cite(item: Any) -> str:
    """How a page names another item: risks by id and title, the client cites them as
    "RISK-004"; everything else by its title alone (V-AWS, K-DEPLOYS and R7 are the CTO's
    bookkeeping, not words the client uses)."""
    from portico.sections.risks.model import Risk

    return f"{item.id} {item.title}" if isinstance(item, Risk) else str(item.title)


# A Markdown field that is more than one paragraph: a blank line, a list, a table, a quote.
_BLOCK = re.compile(r"\n\s*\n|^\s*(?:[-*+]|\d+[.)]|\||>)\s", re.MULTILINE)


class PageWriter:
    """Writes one portal's docs tree from its `PortalView`; sections write their pages
    through it (`write`, `render`, `href`, `markdown`)."""

    def __init__(self, view: PortalView, practice: m.Practice, out: Path,
                 template_cache: Path | None = None) -> None:
        self.view = view
        self.practice = practice
        self.out = out
        self.docs = out / "docs"
        self.folder = DocsFolder(self.docs)
        self.tree = DocsTree(view.engagement, self.folder, section_link=self._section_link)
        self.env = _PageEnvironment(
            loader=template_loader(),
            autoescape=True,
            finalize=md_text,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            bytecode_cache=_bytecode_cache(template_cache),
            auto_reload=False,  # a build's templates never change under it
        )
        self.env.filters["md"] = self._md_filter
        self.env.filters["labelled"] = self._labelled
        self.env.filters["url"] = self._url
        self.env.filters["css"] = lambda value: re.sub(r"[^a-z0-9]+", "-", str(value).lower())
        formats = view.formats
        self.env.filters["day"] = formats.day
        self.env.filters["long_day"] = formats.long_day
        self.env.filters["month"] = formats.month
        self.env.filters["point"] = formats.point
        self.env.filters["number"] = formats.number
        self.env.filters["clock"] = formats.clock
        self.env.filters["label"] = label
        self.env.globals.update(anchor=anchor, heading_id=heading_id, view=view, today=view.today,
                                cited_by=self.cited_by, cite=cite, money=formats.money,
                                span=formats.span, answered=answered,
                                formats=formats)
        address = reply_address(practice.root)
        e = view.engagement
        spec = e.client.views.get(e.view) if e.view is not None else None
        # None: the practice gave no reply address, or switched answers off, or this view
        # did (client.yml `views: {name: {answers: false}}`): no buttons.
        self.answers = Answers(address, view.client.name, view.today, formats) \
            if address and (spec is None or spec.answers) else None
        self.written: list[str] = []
        self.pdfs = False  # whether the pipeline can print: pages then link to their PDFs
        self.commit: str | None = None  # the source commit built, for a pack's source line
        self.prints: list[tuple[str, str, Any]] = []  # (docs page, PDF name beside it, item)
        self._citations: dict[tuple[str, str], list[Any]] | None = None
        self.page = ""
        self.aside = PagesAside(self)  # pages written by forked children meanwhile

    # -- paths -------------------------------------------------------------------

    def allocate(self) -> None:
        """Decide every page's docs path before anything is written (links need them all)."""
        for section, part in self._shown_sections():
            section.allocate(part, self.tree.pages)
        for section in registered():
            for doc, _ in section.documents(self.view.engagement.parts.get(section.name)):
                self.tree.bodies[doc.path] = doc.body
        for doc in self.practice.shared_pages:
            stem = re.sub(r"[^a-z0-9-]+", "-", doc.path.stem.lower())
            self.tree.pages[doc.path] = f"practice/{stem}.md"

    def cited_by(self, file: str, item_id: str) -> list[Any]:
        """Client-visible items of other sections that name `item_id` of `file`."""
        if self._citations is None:
            self._citations = {}
            for section in registered():
                view = self.view.parts.get(section.name)
                if view is None:
                    continue
                for source, target, item in section.item_refs(view):
                    self._citations.setdefault((source, target), []).append(item)
        return self._citations.get((file, item_id), [])

    def _section_link(self, file: str, fragment: str) -> tuple[str, str] | None:
        """Where a link to a section's YAML file lands: its page, at the item `fragment`."""
        for section in registered():
            if file not in section.sources:
                continue
            view = self.view.parts.get(section.name)
            page = section.page(view) if view is not None else None
            if page is None:
                return None
            if not fragment:
                return page, ""
            item = section.linked_items(self.view.engagement.parts.get(section.name)).get(fragment)
            found = section.target(item, self.tree.pages) if item is not None else None
            return found if found is not None else None
        return None

    def _md_filter(self, text: str | None, base: Path | None = None) -> Markup:
        """A YAML Markdown field: links rewritten, raw HTML shown as text (see `inert_html`)."""
        return self.tree.markdown(inert_html(text or ""), base or self.view.engagement.root,
                                  self.page)

    def _labelled(self, text: str | None, label: str, base: Path | None = None) -> Markup:
        """A YAML Markdown field after its bold label: on the label's line when it is one
        paragraph, below it when it is a list, a table or several paragraphs (a list run into
        "**Mitigate:** - Upgrade … - Until …" would read as one flattened line)."""
        body = self._md_filter(text, base)
        head = Markup("**") + md_text(label) + Markup(":**")
        if _BLOCK.search(str(text or "").strip()):
            return head + Markup("\n\n") + body
        return head + Markup(" ") + body

    def _target(self, target: Any) -> tuple[str, str]:
        """(docs path, fragment) of a model object or a docs path."""
        for section in registered():
            found = section.target(target, self.tree.pages)
            if found is not None:
                return found
        if isinstance(target, m.Document):
            return self.tree.pages[target.path], ""
        return str(target), ""

    def _url(self, target: Any) -> Markup:
        """A Markdown link target (`../risks/index.md#risk-001`) the engine checks and resolves."""
        path, fragment = self._target(target)
        if path == self.page and fragment:
            return Markup(f"#{fragment}")
        return Markup(rel(self.page, path) + (f"#{fragment}" if fragment else ""))

    def href(self, target: Any) -> str:
        """A final URL for raw HTML and SVG, which the engine does not rewrite."""
        return url(self.page, *self._target(target))

    # -- pages -------------------------------------------------------------------

    def render_template(self, template: str, **context: Any) -> Markup:
        """A template rendered for the current page (links relative to it), as Markdown."""
        return Markup(self.env.get_template(template).render(**context))

    def _shown_sections(self) -> list[tuple[Section, Any]]:
        """The registered sections with something to show, and their views."""
        parts = self.view.parts
        return [(s, parts[s.name]) for s in registered() if parts.get(s.name) is not None]

    def write(self, path: str, template: str, title: str | None, *,
              hide: tuple[str, ...] = (), boost: float | None = None, **context: Any) -> None:
        """Render one page (front matter title + template) to docs/path.

        Without a `title` the page has none in its front matter: its `# ` heading names it.
        `boost` weights the page's entries in search (Material's `search.boost`).
        """
        self.page = path
        body = self.env.get_template(template).render(**context)
        meta: dict[str, Any] = {} if title is None else {"title": engine_text(title)}
        if hide:
            meta["hide"] = list(hide)
        if boost is not None:
            meta["search"] = {"boost": boost}
        front = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, width=1000) if meta else ""
        self.folder.put(path, (f"---\n{front}---\n\n{body}" if front else body).encode())
        self.written.append(path)

    def write_file(self, path: str, data: bytes) -> None:
        """A file beside the pages that a section makes (a calendar), at docs/path: the
        engine copies it as it is, and protect encrypts it like any other file."""
        self.folder.put(path, data)

    def write_document(self, source: m.Document, template: str, title: str, *,
                       body: str | None = None, **context: Any) -> None:
        """Render a client's Markdown file at its allocated path, links pointed at outputs.

        `body` replaces the file's own body (first `# ` heading already removed).
        """
        path = self.tree.pages[source.path]
        self.page = path  # links are rewritten relative to this page
        text = strip_h1(source.body) if body is None else body
        self.write(path, template, title,
                   body=self.tree.markdown(text, source.path.parent, path, source), **context)

    def render(self) -> None:
        """Write every page of the portal."""
        try:
            self._render()
        finally:
            self.aside.cancel()  # a render that failed: its children stop too

    def _render(self) -> None:
        self.allocate()
        # Pages that need only the model and the paths (a large register's risk pages, the
        # notes) go to other processes first, so that they are written while the rest is.
        here = self.aside.start([page for section, part in self._shown_sections()
                                 for page in section.pages_aside(part, self)])
        self.page = "index.md"
        ranked = sorted(self._shown_sections(), key=lambda pair: pair[0].home_rank)
        cards = [c for c in (s.home_card(part, self) for s, part in ranked) if c is not None]
        blocks = [b for b in (s.home_block(part, self) for s, part in ranked) if b is not None]
        # No front matter title: Material's tab then reads the site name (the client's) once,
        # where a title would make it "Harborline Logistics - Harborline Logistics".
        self.write("index.md", "home.md.j2", None,
                   cards=[Markup(c) for c in cards], blocks=[Markup(b) for b in blocks])
        for section, part in self._shown_sections():
            section.pages(part, self)
        for doc in self.practice.shared_pages:
            # The practice's own pages: no client links to rewrite.
            self.write(self.tree.pages[doc.path], "document.md.j2", doc.title, doc=doc,
                       body=Markup(github_alerts(strip_h1(doc.body))), boost=SHARED_PAGE_BOOST)
        write_each(here)  # too few to be worth a child: written last, here
        self.aside.take()

    # -- config ------------------------------------------------------------------

    def nav(self) -> list[Any]:
        """The navigation: the sections in registry order, then the practice's pages."""
        pages = self.tree.pages
        nav: list[Any] = [{"Home": "index.md"}]
        for section, part in self._shown_sections():
            nav += section.nav(part, pages)
        nav += [{engine_text(d.title): pages[d.path]} for d in self.practice.shared_pages]
        return nav

    def config(self, base_config: Path, theme_dir: Path) -> dict[str, Any]:
        """The per-client MkDocs config; everything shared comes from the base via INHERIT."""
        client = self.view.client
        theme: dict[str, Any] = {"name": "material"}
        if theme_dir.is_dir():
            theme["custom_dir"] = str(theme_dir)
        css = ["assets/portico/portal.css", "assets/portico/print.css"]
        if client.branding.logo:
            logo = self.tree.file(self.view.engagement.root / client.branding.logo)
            theme["logo"] = logo
            theme["favicon"] = logo
        colour = client.branding.primary_color
        plate = bool(client.branding.logo) and needs_plate(
            self.view.engagement.root / str(client.branding.logo), _header_colour(colour))
        if colour or plate:
            self.folder.put("assets/portico/brand.css",
                            brand_css(colour, logo_plate=plate).encode())
            css.append("assets/portico/brand.css")
        unlisted = [pattern for section in registered()
                    for pattern in section.unlisted_in(self.view.parts.get(section.name))]
        named = _client_copyright(base_config, client.name)
        return {
            "INHERIT": str(base_config),
            "site_name": engine_text(client.name),
            **({"copyright": named} if named else {}),
            "docs_dir": str(self.docs),
            "site_dir": str(self.out / "site"),
            "theme": theme,
            "nav": self.nav(),
            "extra_css": css,
            "not_in_nav": "".join(f"{pattern}\n" for pattern in unlisted),
            "strict": True,
        }


_UNNAMED_CLIENT = "the client named in this portal"

def _client_copyright(base_config: Path, client: str) -> str | None:
    """The base footer with the client named: "…, prepared for Harborline Logistics" where
    the practice wrote the placeholder phrase; None when there is nothing to substitute."""
    if not base_config.is_file():
        return None
    line = _base_config(base_config.parent).get("copyright")
    if not isinstance(line, str) or _UNNAMED_CLIENT not in line:
        return None
    return line.replace(_UNNAMED_CLIENT, engine_text(client))


def _bytecode_cache(folder: Path | None) -> FileSystemBytecodeCache | None:
    """Jinja's own cache of compiled templates: keyed by template name and source checksum,
    written atomically, so an edited template or two workers at once cost a recompile. It
    holds Portico's templates only, never client content."""
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def _header_colour(colour: str | None) -> str:
    return brand_palette(colour).header if colour else DEFAULT_HEADER


def render_portal(engagement: m.Engagement, practice: m.Practice, out: Path, *,
                  today: dt.date | None = None, commit: str | None = None,
                  pdfs: bool = False, template_cache: Path | None = None) -> RenderedPortal:
    """Write `out/docs/` and `out/mkdocs.yml` for one client. `out/docs/` is empty, absent,
    or holds an earlier render of the same portal: a file rendered as it was is left as it
    is, modification time included (docs_folder.py), and `changed` names the others.

    `commit`, the source commit being built, ends a board pack assembled from today's files.
    `pdfs`: the pipeline can print PDFs, so pages that have one (board packs) link to it.
    `template_cache`: a folder where the page templates' compiled code is kept between
    builds (each portal is built in a fresh process, and compiling them costs ~0.3 s)."""
    view = portal_view(engagement, today or dt.date.today(), practice_locale(practice.root))
    renderer = PageWriter(view, practice, out, template_cache)
    renderer.pdfs = pdfs
    renderer.commit = commit
    renderer.docs.mkdir(parents=True, exist_ok=True)
    renderer.render()
    renderer.folder.copy("assets/portico/portal.css", TEMPLATES / "portal.css")
    root = practice.root.resolve()
    renderer.folder.put("assets/portico/print.css", print_css(
        engagement.client.name, practice_name(root), view.today, view.formats).encode())
    config = renderer.config(root / "mkdocs.yml", root / "theme")
    renderer.folder.sweep()
    config_file = out / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    name = practice_name(root)
    prints = [Print(page, pdf, pack_print_css(engagement.client.name, name, item, view.formats))
              for page, pdf, item in renderer.prints]
    # As strings: pathlib's relative_to costs 0.1 s over a 3,000-page portal.
    under = f"{root.as_posix().rstrip('/')}/"
    sources = {page: (text[len(under):] if (text := path.as_posix()).startswith(under)
                      else renderer.tree._shown(path))
               for path, page in renderer.tree.pages.items()}
    return RenderedPortal(config_file, renderer.docs, len(renderer.written),
                          engagement.client.name, prints, renderer.tree.origins, sources,
                          frozenset(renderer.folder.changed), frozenset(renderer.folder.made))
