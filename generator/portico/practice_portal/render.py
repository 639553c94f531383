"""The practice portal's docs tree: a Clients page (every client's status, the same table as
`portico status`) and a Benchmarks page, with a MkDocs config inheriting the practice's
base config, so it looks like the client portals and carries the practice's name."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from portico.content import model as m
from portico.content.practice import practice_locale, practice_name
from portico.delivery.status import ATTENTION, ClientStatus
from portico.portal.jinja import TEMPLATES as PORTAL_TEMPLATES
from portico.portal.labels import label
from portico.portal.locale import DEFAULT_LOCALE, Formats
from portico.portal.markdown import engine_text, md_text
from portico.portal.print_css import print_css
from portico.practice_portal.benchmarks import MIN_CLIENTS, Benchmarks

__all__ = ["PracticePages", "render_practice"]

_TEMPLATES = Path(__file__).parent / "templates"
_PAGES = (("Clients", "index.md", "clients.md.j2"),
          ("Benchmarks", "benchmarks/index.md", "benchmarks.md.j2"))
# The header's title: the practice's name and a suffix took four lines of a phone's header
# ("Northfield CTO Partners: practice"); the name is on the footer and every printed page.
SITE_NAME = "Practice portal"
# A hyphenated word in a cell (an id, a date, "risk-review"): kept on one line, since
# "V-" / "NETSUITE" reads as two things.
_HYPHENATED = re.compile(r"[^\s,()]+-[^\s,()]+")


@dataclass(frozen=True)
class PracticePages:
    """What render wrote: the MkDocs config to build, its docs folder, its page count."""

    config_file: Path
    docs_dir: Path
    pages: int


def _environment(today: dt.date, formats: Formats) -> Environment:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=True, finalize=md_text,
                      trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    env.filters["number"] = lambda value: formats.number(value) if value is not None else "–"
    env.filters["long_day"] = formats.long_day
    env.globals.update(today=today, min_clients=MIN_CLIENTS)
    return env


def whole_words(text: str) -> Markup:
    """A cell's text as Markdown, each hyphenated word in a `pt-nowrap` span: the text a
    reader sees (and copies) is unchanged, only where a line may break."""
    parts: list[Markup] = []
    last = 0
    for match in _HYPHENATED.finditer(text):
        parts += [md_text(text[last:match.start()]),
                  Markup('<span class="pt-nowrap">{}</span>').format(md_text(match.group()))]
        last = match.end()
    return Markup("").join([*parts, md_text(text[last:])])


def render_practice(practice: m.Practice, lines: list[ClientStatus], marks: Benchmarks,
                    out: Path, *, today: dt.date) -> PracticePages:
    """Write `out/docs/` and `out/mkdocs.yml`; `lines` is `practice_status` of `practice`
    (one row per client, in that order), `marks` its benchmarks. `out` must be empty."""
    root = practice.root.resolve()
    docs = out / "docs"
    formats = Formats(practice_locale(root) or DEFAULT_LOCALE)
    env = _environment(today, formats)
    names = {e.slug: e.client.name for e in practice.clients}
    # A column per client and a row per kind of attention: a practice has a handful of
    # clients and fifteen kinds, so this way the table fits a laptop without scrolling.
    rows = [["Phase", *(label(line.phase) if line.phase else "–" for line in lines)],
            *([column.heading, *(whole_words(column.cell(line)) for line in lines)]
              for column in ATTENTION)]
    context: dict[str, Any] = {
        "headings": ["Needs attention", *(names.get(line.slug, line.slug) for line in lines)],
        "rows": rows, "marks": marks, "practice": practice_name(root),
    }
    for title, path, template in _PAGES:
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        body = env.get_template(template).render(**context)
        front = yaml.safe_dump({"title": title, "hide": ["navigation", "toc"]}, allow_unicode=True)
        target.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    assets = docs / "assets/portico"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PORTAL_TEMPLATES / "portal.css", assets / "portal.css")
    # The client portals' running header and footer on every printed page.
    (assets / "print.css").write_text(print_css(SITE_NAME, practice_name(root), today, formats),
                                      encoding="utf-8")
    theme: dict[str, Any] = {"name": "material"}
    if (root / "theme").is_dir():
        theme["custom_dir"] = str(root / "theme")
    config = {
        "INHERIT": str(root / "mkdocs.yml"),
        "site_name": engine_text(SITE_NAME),
        "copyright": engine_text(f"{practice_name(root)} · the practice's own portal"),
        "docs_dir": str(docs),
        "site_dir": str(out / "site"),
        "theme": theme,
        "nav": [{title: path} for title, path, _ in _PAGES],
        "extra_css": ["assets/portico/portal.css", "assets/portico/print.css"],
        "strict": True,
    }
    config_file = out / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    return PracticePages(config_file, docs, len(_PAGES))
