"""A rendered portal's pages as the engine would show them, for tests that render without the
engine (a large register or roadmap): a page's Markdown body, its article as HTML through
the portal's own Markdown extensions, the links it holds and where a link lands."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from mkdocs.config import load_config

from portico.portal.render import RenderedPortal


def body(rendered: RenderedPortal, page: str) -> str:
    text = (rendered.docs_dir / page).read_text("utf-8")
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


def html(rendered: RenderedPortal, page: str) -> str:
    """The page's article as the engine writes it: its Markdown through the portal's own
    extensions and their settings."""
    config = load_config(str(rendered.config_file))
    engine = markdown.Markdown(extensions=config["markdown_extensions"],
                               extension_configs=config["mdx_configs"])
    return engine.convert(body(rendered, page))


def links(text: str) -> list[str]:
    """Every link target in a page's Markdown and raw HTML."""
    return re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r'href="([^"]+)"', text)


def landing(page: str, link: str) -> str:
    """The docs page a relative link from `page` lands on: a Markdown link names a docs file
    (`risk-0432.md`), a raw HTML one a URL (`risk-0432/`, relative to the page's own URL)."""
    path = link.split("#", 1)[0]
    own = Path(page)
    base = own.parent if path.endswith(".md") or own.name == "index.md" else own.with_suffix("")
    parts: list[str] = []
    for part in (base / path).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    target = "/".join(parts)
    return target if target.endswith(".md") else f"{target.rstrip('/')}.md"
