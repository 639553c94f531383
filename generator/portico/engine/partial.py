"""A portal rebuilt from its last build: the engine renders only the pages whose Markdown
changed (MkDocs' own dirty build), and the search index keeps every other page's entries.

Only what this module checks makes a partial build the same as a full one: the frame the
pipeline compares (the rendered config, the set of docs files, the theme, the engine and
the generator: `delivery.cache.frame_key`) is unchanged, so every page's navigation,
header and footer are what they were; an unchanged Markdown file keeps its last build's
modification time, so MkDocs leaves its HTML as it was; a changed one is rendered again
with the rest of the site around it. The pages MkDocs renders replace their entries in
the search index, in the same places; the others keep theirs. A test builds both ways and
compares every decrypted byte.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

INDEX = "search/search_index.json"


@dataclass(frozen=True)
class Kept:
    """A portal's last plain site, kept in the practice's private cache for the next build."""

    site: Path  # the plain site the engine made of the last build's docs tree
    changed: frozenset[str]  # the docs files whose bytes changed since (portal.docs_folder)


def prepare(kept: Kept, site: Path) -> set[str]:
    """Move the last plain site to `site` and return the docs files that changed (POSIX,
    relative). Every other docs file kept the modification time it had at the last build
    (the render left it alone), so MkDocs leaves its page as it was. Moving, not copying,
    saves a copy of every page; the kept state already stopped vouching for it
    (delivery.kept.take)."""
    try:
        os.replace(kept.site, site)
    except OSError:  # another file system: copy it instead
        shutil.copytree(kept.site, site, symlinks=True)
    return set(kept.changed)


def page_url(source: str) -> str:
    """The URL MkDocs gives a Markdown page with directory URLs (`notes/2026-09-12.md` →
    `notes/2026-09-12/`, `risks/index.md` → `risks/`, `index.md` → ``)."""
    path = PurePosixPath(source)
    if path.stem in ("index", "README"):
        parent = path.parent.as_posix()
        return "" if parent == "." else f"{parent}/"
    return f"{path.with_suffix('').as_posix()}/"


def merge_index(before: str, rebuilt_index: str, rebuilt: set[str]) -> str:
    """The last build's search index with the entries of the `rebuilt` page URLs replaced
    by those of the partial build's index, each page's entries where they stood."""
    old, new = json.loads(before), json.loads(rebuilt_index)
    fresh: dict[str, list[dict[str, object]]] = {}
    for entry in new["docs"]:
        fresh.setdefault(_page_of(entry), []).append(entry)
    docs: list[dict[str, object]] = []
    done: set[str] = set()
    for entry in old["docs"]:
        page = _page_of(entry)
        if page not in rebuilt:
            docs.append(entry)
        elif page not in done:
            docs += fresh.get(page, [])
            done.add(page)
    unplaced = set(fresh) - done  # a page without an entry before: no place to put it in
    if unplaced:
        raise ValueError(f"rebuilt pages the last index did not hold: {sorted(unplaced)}")
    # As Material writes it (plugins/search/plugin.py, SearchIndex.generate_search_index).
    return json.dumps({"config": new["config"], "docs": docs}, separators=(",", ":"),
                      default=str)


def _page_of(entry: dict[str, object]) -> str:
    return str(entry["location"]).split("#", 1)[0]
