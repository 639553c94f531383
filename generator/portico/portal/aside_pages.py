"""Pages written in forked children while the rest of a portal renders.

A portal renders in one process, and the machine has other cores. The pages that need only
the model and their paths (`Section.pages_aside`: a large register's page per risk, the
notes) do not depend on what is written after them, so once every page's path is known
they are cut into runs, each written by a forked child, while this process writes the
rest; the render then takes in what each child added to its state, in the order one
process would have. A child whose pages copied a client file (whose name is its order of
first use, which only one process may decide) gives its pages back, and they are written
here again. Too few such pages to be worth a fork are written here, last.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portico.delivery.forked import Forked

if TYPE_CHECKING:
    from portico.portal.render import PageWriter

__all__ = ["ASIDE_FROM", "ASIDE_PROCESSES", "PagesAside", "write_each"]

# On two cores two children and this process finish together (bigco: 1.7 s of risk pages
# in one child against 0.9 s of the rest here, before they were split in two).
ASIDE_PROCESSES = max(1, min(2, os.cpu_count() or 1))
# Fewer pages than this are written here, after the rest, in the order children's pages
# would be taken in: forking costs more than a few dozen pages (a demo portal's notes).
ASIDE_FROM = 100

Pages = list[Callable[[], None]]


@dataclass(frozen=True)
class _Written:
    """What a child's pages added to the render's state."""

    made: set[str]
    changed: set[str]
    origins: dict[tuple[str, str], tuple[str, int]]
    written: list[str]
    kept: bool  # False: the child copied a client file, and its pages are written again


class PagesAside:
    """The children writing a `PageWriter`'s pages aside."""

    def __init__(self, writer: PageWriter) -> None:
        self._writer = writer
        self._children: list[tuple[Forked[_Written], Callable[[], None]]] = []

    @property
    def pids(self) -> list[int]:
        """The process ids of the children started (0 where nothing was forked)."""
        return [child.pid for child, _ in self._children]

    def start(self, pages: Pages) -> Pages:
        """Hand `pages` to children, in runs of about equal length, if there are enough of
        them (ASIDE_FROM); else return them, for the render to write here, last."""
        if len(pages) < ASIDE_FROM:
            return pages
        size = -(-len(pages) // ASIDE_PROCESSES)
        for run in (pages[i:i + size] for i in range(0, len(pages), size)):
            write = functools.partial(write_each, run)
            self._children.append((Forked(functools.partial(self._written, write)), write))
        return []

    def _written(self, pages: Callable[[], None]) -> _Written:
        """In a child: write `pages`, and say what they added to the render's state."""
        folder, tree = self._writer.folder, self._writer.tree
        made, changed = set(folder.made), set(folder.changed)
        origins, files = dict(tree.origins), len(tree.files)
        written = len(self._writer.written)
        pages()
        return _Written(folder.made - made, folder.changed - changed,
                        {k: v for k, v in tree.origins.items() if k not in origins},
                        self._writer.written[written:], kept=len(tree.files) == files)

    def take(self) -> None:
        """Wait for every child, and take in what it wrote, in the order given."""
        writer = self._writer
        for child, pages in self._children:
            done = child.result()
            # What the child wrote is on disk, whether or not it is kept: changed either way.
            writer.folder.changed |= done.changed
            if not done.kept:
                pages()
                continue
            writer.folder.made |= done.made
            writer.tree.origins.update(done.origins)
            writer.written += done.written
        self._children.clear()

    def cancel(self) -> None:
        """Stop every child whose pages were not taken (the render failed)."""
        for child, _ in self._children:
            child.cancel()


def write_each(pages: Pages) -> None:
    """Write `pages` here, one after the other."""
    for page in pages:
        page()
