"""Large synthetic clients rendered without the engine (a large register or roadmap): the
practice they live in, filler sentences, and their pages as the engine would show them (a
page's Markdown body, its article as HTML through the portal's own Markdown extensions,
the links it holds and where a link lands)."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import markdown
from mkdocs.config import load_config

from portico.portal.render import RenderedPortal

REPO = Path(__file__).resolve().parents[1]
WORDS = ("billing", "carrier", "warehouse", "vendor", "platform", "database", "upgrade",
         "contract", "audit", "backlog", "release", "incident", "customer", "invoice")


def sentence(rng: random.Random, n: int) -> str:
    """`n` words of filler, as a sentence."""
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_bigco(root: Path, decision: str) -> Path:
    """The demo's content, theme and mkdocs.yml at `root`, and a client `bigco` with one
    accepted decision 0001 titled `decision`; returns the client's folder."""
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    folder = root / "clients" / "bigco"
    (folder / "decisions").mkdir(parents=True)
    (folder / "client.yml").write_text(
        "name: Bigco Holdings\nengagement:\n  start: 2026-01-05\n", "utf-8")
    stem = "-".join(decision.lower().split())
    (folder / "decisions" / f"0001-{stem}.md").write_text(
        f"---\nstatus: accepted\ndate: 2026-02-01\n---\n# {decision}\n\n"
        f"## Decision\n\nEach item gets a page.\n", "utf-8")
    return folder


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
