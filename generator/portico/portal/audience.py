"""Views: which audience's portal an item belongs in (client.yml `views:`, item `audience:`).

A view is a filter on the loaded model, applied before anything is rendered: the portal of
a view is built from `engagement_for_view(e, view)`, a copy holding only the sections the
view names and only the items meant for it. Everything downstream (the section views, the
home page, search, What's new, the leak scan) works unchanged on that copy, so an item
outside a view is absent from that portal's files, as an internal item is from every one.
A file under files/ is copied into a portal only when a page links to it; files/audience.yml
can keep one out of a view even then (`hidden_files`).

Paths: the default view is built at `site/<slug>/`; every other view at the sibling
`site/<slug>--<view>/`, outside the default portal's service-worker scope `/<slug>/`
(a client slug never holds `--`, so no client's folder can be mistaken for a view's).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from portico.content import model as m

ALWAYS = ("changes",)  # derived from the other sections, so already filtered by them

__all__ = ["ALWAYS", "client_views", "engagement_for_view", "excluded_items", "hidden_files",
           "portal_name", "shows"]


def client_views(client: m.Client) -> list[str | None]:
    """The views a client builds, the default first; [None] for a client with no views
    (one portal, built as before views existed)."""
    default = client.default_view
    if default is None:
        return [None]
    return [default, *(name for name in client.views if name != default)]


def portal_name(slug: str, view: str | None, client: m.Client) -> str:
    """The folder of a view's portal under the site root: `<slug>` for the default view
    (or a client without views), `<slug>--<view>` for the others."""
    if view is None or view == client.default_view:
        return slug
    return f"{slug}--{view}"


def _meta(item: Any) -> tuple[tuple[str, ...] | None, tuple[str, ...]] | None:
    """(audience, tags) of an item a view can leave out, or None for anything else."""
    holder = item if isinstance(item, m.Audienced | m.Document) else None
    if holder is None:
        doc = getattr(item, "doc", None)
        holder = doc if isinstance(doc, m.Document) else None
    if holder is None:
        return None
    audience = holder.audience
    return (tuple(audience) if audience is not None else None, tuple(holder.tags))


def shows(view: m.ViewSpec, name: str, item: Any) -> bool:
    """Whether the view `name` (described by `view`) shows `item`: its `audience:` names
    the view (or it has none), and none of its `tags:` is one the view excludes."""
    found = _meta(item)
    if found is None:
        return True
    audience, tags = found
    if audience is not None and name not in audience:
        return False
    return not set(tags) & set(view.exclude_tags)


def engagement_for_view(e: m.Engagement, name: str | None,
                        spec: m.ViewSpec | None = None) -> m.Engagement:
    """A copy of `e` holding what the view `name` shows: the sections it names, and in
    them the items meant for it. `None` (a client without views) returns `e` itself.

    Items are found generically: any element of a list or tuple, at any depth of a
    section's part, that carries `audience`/`tags` itself (YAML items, documents) or
    through its `doc` (decisions, notes, board packs, pages). `spec`: the view's settings
    when `e` is a past state whose client.yml may not declare it (today's apply)."""
    if name is None:
        return e
    view = spec or e.client.views[name]
    parts: dict[str, Any] = {}
    sections = set(e.parts)
    for section, part in e.parts.items():
        if view.sections is not None and section not in view.sections \
                and section not in ALWAYS:
            # Hidden (its `view` hook is not called, see Engagement.shows) and emptied of
            # every item, so nothing that iterates the part finds one.
            sections.discard(section)
            parts[section] = _prune(part, view, name, everything=True)
        else:
            parts[section] = _prune(part, view, name)
    # client.yml's own audienced entries (next steps) are pruned the same way.
    return dataclasses.replace(e, client=_prune(e.client, view, name), parts=parts,
                               sections=frozenset(sections), view=name,
                               hidden_files=hidden_files(e, view, name))


def hidden_files(e: m.Engagement, view: m.ViewSpec, name: str) -> frozenset[Path]:
    """The files under the client's files/ that files/audience.yml keeps out of the view
    `name`: a link to one is plain text in that view's portal, and the file is not copied."""
    files = e.root / "files"
    return frozenset(Path(os.path.normpath(files / path)) for path, meta in e.file_audience.items()
                     if not shows(view, name, meta))


def _prune(obj: Any, view: m.ViewSpec, name: str, everything: bool = False) -> Any:
    """`obj` with every item the view does not show removed, at any depth; unchanged
    objects are returned as they are (so identity holds where nothing was removed)."""
    if isinstance(obj, list | tuple):
        kept = [_prune(item, view, name, everything) for item in obj
                if not (everything and _meta(item) is not None) and shows(view, name, item)]
        if len(kept) == len(obj) and all(a is b for a, b in zip(kept, obj, strict=True)):
            return obj
        return kept if isinstance(obj, list) else tuple(kept)
    if isinstance(obj, dict):
        pruned = {k: _prune(v, view, name, everything) for k, v in obj.items()}
        return obj if all(pruned[k] is obj[k] for k in obj) else pruned
    if isinstance(obj, BaseModel):
        changes = {}
        for field_name in type(obj).model_fields:
            value = getattr(obj, field_name)
            if isinstance(value, list | tuple | dict | BaseModel):
                pruned = _prune(value, view, name, everything)
                if pruned is not value:
                    changes[field_name] = pruned
        return obj.model_copy(update=changes) if changes else obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type | m.Document):
        changes = {}
        for f in dataclasses.fields(obj):
            if not f.init or f.name == "lines":
                continue
            value = getattr(obj, f.name)
            if isinstance(value, list | tuple | dict) or dataclasses.is_dataclass(value):
                pruned = _prune(value, view, name, everything)
                if pruned is not value:
                    changes[f.name] = pruned
        return dataclasses.replace(obj, **changes) if changes else obj
    return obj


def excluded_items(e: m.Engagement, name: str | None) -> Iterator[Any]:
    """The items of `e` that the view `name` leaves out (its sections' and its tags'),
    for the leak scan: their markers must not be in the view's portal."""
    if name is None:
        return
    view = e.client.views[name]
    for section, part in e.parts.items():
        whole = view.sections is not None and section not in view.sections \
            and section not in ALWAYS
        yield from _walk(part, view, name, whole)


def _walk(obj: Any, view: m.ViewSpec, name: str, whole: bool) -> Iterator[Any]:
    if isinstance(obj, list | tuple):
        for item in obj:
            if _meta(item) is not None and (whole or not shows(view, name, item)):
                yield item
            else:
                yield from _walk(item, view, name, whole)
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _walk(value, view, name, whole)
    elif isinstance(obj, BaseModel):
        for field_name in type(obj).model_fields:
            yield from _walk(getattr(obj, field_name), view, name, whole)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type | m.Document):
        for f in dataclasses.fields(obj):
            yield from _walk(getattr(obj, f.name), view, name, whole)
