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
    """A portal's last plain build, kept in the practice's private cache for the next."""

    docs: Path  # the rendered docs tree it was built from
    site: Path  # the plain site the engine made of it
    state: Path  # the file that vouches for both; gone once either may change


def prepare(kept: Kept, docs: Path, site: Path) -> set[str]:
    """Move the last plain site to `site` and give every file of `docs` whose bytes did not
    change the modification time it had then; return the changed files (POSIX, relative).

    The kept state stops vouching first: the engine writes into the moved site, so a build
    that fails from here on leaves nothing half-updated to be taken for the last build (the
    next build is a whole one). Moving, not copying, saves a copy of every page."""
    kept.state.unlink()
    changed: set[str] = set()
    for path in sorted(docs.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(docs).as_posix()
        before = kept.docs / rel
        if before.is_file() and _same_bytes(before, path):
            stat = before.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        else:
            changed.add(rel)
    try:
        os.replace(kept.site, site)
    except OSError:  # another file system: copy it instead
        shutil.copytree(kept.site, site, symlinks=True)
    return changed


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as one, b.open("rb") as other:
        while True:
            left, right = one.read(1 << 20), other.read(1 << 20)
            if left != right:
                return False
            if not left:
                return True


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
