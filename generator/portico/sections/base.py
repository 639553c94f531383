"""The Section interface: what one kind of content (risks, roadmap, decisions ...) plugs in.

A section is a subclass of `Section` registered in `portico.sections.SECTIONS`. Every hook
has a harmless default, so a section overrides only what it has. The shared machinery calls
the hooks in registry order (which is also the order of the navigation):

- load (`content.load`)      `load(folder, loader)` → the section's *part* of an engagement,
                             kept in `Engagement.parts[name]`; problems go to the loader.
- check (`content.check`)    `check(engagement, part, today)`, `documents(part)` (its Markdown
                             files: link-checked, leak-scanned), `yaml_markdown(part)`.
- view (`portal.view`)       `view(engagement, part, today)` → what the client may see
                             (internal items gone, sorted), in `PortalView.parts[name]`.
- render (`portal.render`)   `allocate`, `pages`, `nav`, `target` (links to its items),
                             `home_card` / `home_block` (the dashboard), `backlinks`
                             (rows on a decision's page naming the items that cite it).
- verify (`protection.markers`) `markers(part)`: the distinctive strings of its YAML, plus
                             the titles, headings and sentences of `documents(part)`.
- schema (`content.schema`)  `schema()`: {file stem: pydantic model} for `portico schema`.
- history (`portal.changes`) `traces(view)`: each visible item's title, status, score and
                             promised dates, as
                             compared between commits for "What's new" and the trends;
                             `texts(item)`: a traced item's words, for client.yml `forget:`.

Class attributes: `name` (its key and docs folder), `title` (nav entry), `sources` (the
YAML files in the client folder it owns: never published nor linked to, their line marks
kept for `file:line` errors), `home_rank` (order on the dashboard and in backlinks, which
need not be the nav order), `unlisted` (docs paths kept out of the nav check; `unlisted_in(view)`
adds a portal's own, e.g. a large register's pages per item),
`placeholders` (the prompt lines its `portico new` template writes, which `check` warns
about where one is left as written, in any Markdown file or Markdown field). Templates
live in the section's `templates/` folder, addressed as `<name>/<file>` (`risks/page.md.j2`).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel

from portico.content.errors import Problem
from portico.content.forget import texts
from portico.content.model import Document, Engagement

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter
    from portico.portal.view import PortalView

Loc = tuple[str | int, ...]
NAV_LIMIT = 40  # more pages than this in a section: only its index is in the nav
REGISTER_LIMIT = 40
"""More client-visible items than this in a register (risks.yml, roadmap.yml): each item
gets a page of its own and the register page keeps only the summary, so no page grows
with the register."""


@functools.lru_cache(maxsize=1 << 16)  # every link to an item looks its key up
def item_key(file: str, item_id: str) -> Path:
    """Where a section's `allocate` records an item's own page in the portal's page mapping
    (source → docs path): the name a Markdown link gives the item (`risks.yml#RISK-004`).
    The mapping keeps this key beside the client's Markdown files, which are absolute
    paths, so no file can take it; `target` looks it up, so every link lands on the page
    when there is one."""
    return Path(f"{file}#{item_id}")


def own_pages(ids: Iterable[str], folder: str, taken: Iterable[str]) -> dict[str, str]:
    """Item id → the docs path of its own page (`risks/risk-004.md`), named from the id,
    which `check` keeps unique: a clash after lower-casing, or with a page the section has
    already (`taken`, stems), gets `-2`, `-3` …"""
    from portico.portal.markdown import anchor

    used = set(taken)
    pages: dict[str, str] = {}
    for item_id in ids:
        stem, n = anchor(item_id), 1
        while stem in used:
            n += 1
            stem = f"{anchor(item_id)}-{n}"
        used.add(stem)
        pages[item_id] = f"{folder}/{stem}.md"
    return pages


MIN_SENTENCE = 24  # a run of words from a body: long enough to be the client's own
_MARKUP = re.compile(r"[`*_#>\[\]()!|{}<]+|https?://\S+")


@dataclass(frozen=True)
class YamlText:
    """A Markdown field inside one of the section's YAML files, for the link check."""

    file: str  # the YAML file's name in the client folder, e.g. risks.yml
    loc: Loc  # where the field is, for its line
    text: str | None
    visible: bool  # whether it reaches the portal (links to internal items are errors)


@dataclass(frozen=True)
class Trace:
    """One client-visible item's state in one commit, for history and "What's new"."""

    section: str  # the section's name
    id: str  # the item's id in its section (RISK-004, 0003, a note's date and name)
    title: str
    state: str = ""  # its status, as the client reads it
    score: int | None = None  # a risk's likelihood × impact
    dates: dict[str, str] = field(default_factory=dict, hash=False)
    """The dates it promises, as written (start, end, due → `2027-01-11` or `2026-Q3`):
    a changed one is a move "What's new" and the slips (portal.slips) report."""
    item: Any = field(default=None, compare=False)  # the item itself (today's only; not cached)

    @property
    def key(self) -> tuple[str, str]:
        return (self.section, self.id)


@dataclass
class Markers:
    """What the leak scan looks for: phrases anywhere, and names and titles word by word."""

    strings: list[str] = field(default_factory=list)  # titles, owners, sentences
    people: list[str] = field(default_factory=list)  # surnames become whole-word markers
    titles: list[str] = field(default_factory=list)  # capitalised words become markers


class Section:
    """One kind of content. Override the hooks it has; register an instance in SECTIONS."""

    name: ClassVar[str]  # key in Engagement.parts and PortalView.parts; its docs folder
    title: ClassVar[str]  # its navigation entry
    sources: ClassVar[tuple[str, ...]] = ()  # YAML files it owns in the client folder
    home_rank: ClassVar[int] = 50  # order of its card, block and backlinks on summaries
    unlisted: ClassVar[tuple[str, ...]] = ()  # docs paths kept out of the engine's nav check
    noun: ClassVar[str] = ""  # one of its items, as "What's new" names it ("Risk")
    placeholders: ClassVar[tuple[str, ...]] = ()  # lines `portico new` writes to be replaced
    warnings: ClassVar[dict[str, str]] = {}
    """The kinds of warning its checks give: kind → what it means, word for word the row
    of the warnings table in docs/commands.md (a test holds the two together)."""

    @property
    def templates(self) -> Path:
        """The folder of its Jinja templates: `templates/` beside the section's module."""
        return Path(inspect.getfile(type(self))).parent / "templates"

    # -- content -----------------------------------------------------------------

    def load(self, folder: Path, loader: Loader) -> Any:
        """The section's part of the client in `folder`, or None when it has none."""
        return None

    def check(self, e: Engagement, part: Any, today: dt.date) -> Iterable[Problem]:
        """Cross-references and judgement calls on the loaded part."""
        return ()

    def documents(self, part: Any) -> Iterable[tuple[Document, bool]]:
        """Its Markdown files and whether each reaches the portal."""
        return ()

    def yaml_markdown(self, part: Any) -> Iterable[YamlText]:
        """Markdown fields of its YAML files."""
        return ()

    def item_refs(self, view: Any) -> Iterator[tuple[str, str, Any]]:
        """(YAML file, item id, citing item) for every client-visible item of this section
        that names an item of another section (a vendor's risks, an opportunity's roadmap
        items): those pages show the citing items back ("cited by", "delivers")."""
        return iter(())

    def linked_items(self, part: Any) -> dict[str, Any]:
        """Items a Markdown link may name as `<its YAML file>#<id>`: id → item, internal
        ones included (`check` refuses a link to those from a client-visible page)."""
        return {}

    def page(self, view: Any) -> str | None:
        """The docs path of its main page, where a link to its YAML file lands; None when
        the portal shows no page for it."""
        return None

    def markers(self, part: Any) -> Markers:
        """The distinctive strings of its sources, internal items included."""
        return Markers()

    def schema(self) -> dict[str, type[BaseModel]]:
        """JSON Schemas it contributes: {file stem: model of the whole file}."""
        return {}

    # -- portal ------------------------------------------------------------------

    def view(self, e: Engagement, part: Any, today: dt.date) -> Any:
        """What the client may see of the part (internal items gone); None hides the section."""
        return None

    def allocate(self, view: Any, pages: dict[Path, str]) -> None:
        """Give each of its client Markdown files a docs path (links need them all first)."""

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        """(docs path, fragment) of one of its items, for links; None if `obj` is not one.

        `pages` maps each client Markdown file to its docs path (see `allocate`)."""
        return None

    def pages(self, view: Any, writer: PageWriter) -> None:
        """Write its pages."""

    def pages_aside(self, view: Any, writer: PageWriter) -> list[Callable[[], None]]:
        """Its pages that depend only on the model and the pages' paths (a page per item of
        a large register), each as a function that writes it, in order: they are written in
        other processes from the start of the render (PageWriter.aside). `pages` writes the
        rest."""
        return []

    def nav(self, view: Any, pages: dict[Path, str]) -> list[Any]:
        """Its entries in the navigation."""
        return []

    def unlisted_in(self, view: Any) -> tuple[str, ...]:
        """The docs paths it keeps out of this portal's nav check: `unlisted`, or more when
        its view makes pages of its own (`view` is None when the portal shows no part)."""
        return self.unlisted

    def home_card(self, view: Any, writer: PageWriter) -> str | None:
        """Its card on the home page (Markdown of one grid-card list item), if any."""
        return None

    def home_block(self, view: Any, writer: PageWriter) -> str | None:
        """Its block below the cards on the home page (Markdown), if any."""
        return None

    def traces(self, view: Any) -> Iterable[Trace]:
        """The state of each client-visible item of its view: what "What's new" compares
        between commits (only items whose changes a client follows)."""
        return ()

    def noun_of(self, item: Any) -> str:
        """What "What's new" calls one of its traced items: `noun` (or its title) unless a
        section traces two kinds (the roadmap: items and milestones)."""
        return self.noun or self.title

    def texts(self, item: Any) -> Iterable[str]:
        """Every text of one of its traced items (a `Trace.item`) that a past state could
        show: a past state holding a forgotten phrase (client.yml `forget:`) is dropped."""
        return texts(item)

    def backlinks(self, view: Any, number: str, portal: PortalView) -> tuple[str, list[Any]]:
        """(row label, items) naming decision `number`, for the decision's page."""
        return self.title, []


def sentences(text: str | None) -> Iterator[str]:
    """Plain runs of words from Markdown, cut at markup, at most 60 characters each."""
    if not text:
        return
    for line in text.split("\n"):
        for run in _MARKUP.split(line):
            run = " ".join(run.split())
            if len(run) >= MIN_SENTENCE and run.count(" ") >= 2 and re.search(r"[A-Za-z]{4}", run):
                yield run[:60].strip()
