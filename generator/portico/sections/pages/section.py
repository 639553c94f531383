"""Further pages as a section: pages/**/*.md, any depth, folders as nav sections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from portico.content.model import Document, Engagement, PageMeta
from portico.portal.markdown import engine_text
from portico.sections.base import Section
from portico.sections.pages.model import Page

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter


def pages_of(e: Engagement) -> list[Page]:
    """The client's further pages as loaded (internal ones included)."""
    pages: list[Page] = e.parts.get("pages") or []
    return pages


def _load_pages(folder: Path, c: Loader) -> list[Page]:
    pages: list[Page] = []
    for path in c.markdown_files(folder):
        parsed = c.markdown(path, PageMeta)
        if parsed is None:
            continue
        meta, body, body_line, _ = parsed
        fallback = path.stem.replace("-", " ").replace("_", " ").capitalize()
        doc = c.document(path, meta.title, body, body_line, meta.internal, meta=meta,
                         fallback=fallback)
        if doc is not None:
            pages.append(Page(doc, path.relative_to(folder).as_posix(), tuple(meta.hide)))
    return pages


class PagesSection(Section):
    """pages/**/*.md: the client's own further pages, nested as their folders are."""

    name = "pages"
    title = "Pages"
    home_rank = 60

    def load(self, folder: Path, loader: Loader) -> list[Page]:
        return _load_pages(folder / "pages", loader)

    def documents(self, part: list[Page]) -> Iterator[tuple[Document, bool]]:
        for page in part:
            yield page.doc, not page.doc.internal

    def view(self, e: Engagement, part: list[Page], today: dt.date) -> list[Page]:
        return [p for p in part if not p.doc.internal]

    def allocate(self, view: list[Page], pages: dict[Path, str]) -> None:
        for i, page in enumerate(view):
            pages[page.doc.path] = f"pages/{i + 1}.md"

    def pages(self, view: list[Page], writer: PageWriter) -> None:
        for page in view:
            writer.write_document(page.doc, "document.md.j2", page.doc.title, hide=page.hide,
                                  doc=page.doc)

    def nav(self, view: list[Page], pages: dict[Path, str]) -> list[Any]:
        return _page_nav(view, pages)


def _page_nav(pages: list[Page], paths: dict[Path, str]) -> list[Any]:
    """The pages/ tree as nested nav sections, folders humanised (two pages may share a title)."""
    root: dict[str, Any] = {}
    for page in pages:
        node = root
        for folder in PurePosixPath(page.relpath).parts[:-1]:
            node = node.setdefault(f"/{folder}", {})
        node[f"{len(node)}:{page.doc.path}"] = (page.doc.title, paths[page.doc.path])

    def build(node: dict[str, Any]) -> list[Any]:
        out: list[Any] = []
        for key, value in node.items():
            if isinstance(value, dict):
                name = key[1:].replace("-", " ").replace("_", " ").capitalize()
                out.append({engine_text(name): build(value)})
            else:
                out.append({engine_text(value[0]): value[1]})
        return out

    return build(root)
