"""`check` for client views (client.yml `views:`, items' `audience:`, files/audience.yml):
names that lead nowhere are errors; a view whose pages point outside it, or whose board
packs lack their decisions, is a warning (the portal shows such a link as plain text)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from portico.content import model as m
from portico.content.errors import ContentError, Problem
from portico.content.links import find_links, is_file, resolve
from portico.sections import registered

__all__ = ["check_views"]


def check_views(e: m.Engagement) -> Iterator[Problem]:
    """Every problem of the client's views: unknown sections and views, readers in no
    view, links out of a view, board packs without their decisions."""
    client_file = f"{e.source}/client.yml"
    views = e.client.views
    sections = [s.name for s in registered()]
    for name, spec in views.items():
        for index, section in enumerate(spec.sections or ()):
            if section not in sections:
                yield Problem(client_file, e.line("client.yml", ("views", name, "sections",
                                                                 index)),
                              f"views: {name}: no section {section!r} (sections: "
                              f"{', '.join(sections)})")
    yield from _unknown_audiences(e)
    yield from _file_audiences(e)
    yield from _readers_without_view(e)
    if views:
        yield from _links_out_of_views(e)
        yield from _decisions_out_of_views(e)
        yield from _packs_without_decisions(e)


def _unknown_audiences(e: m.Engagement) -> Iterator[Problem]:
    declared = e.client.views  # in client.yml's order, for a message that does not shuffle
    for i, step in enumerate(e.client.engagement.next_steps):
        for name in step.audience or ():
            if name not in declared:
                known = ", ".join(declared) or "client.yml declares no views"
                yield Problem(f"{e.source}/client.yml",
                              e.line("client.yml", ("engagement", "next_steps", i, "audience")),
                              f"next_steps: audience: no view {name!r} ({known})")
    for section in registered():
        part = e.parts.get(section.name)
        for source, line, audience in _audiences(e, section.name, section.sources, part):
            for name in audience:
                if name not in declared:
                    known = ", ".join(declared) or "client.yml declares no views"
                    yield Problem(source, line, f"audience: no view {name!r} ({known})")


def _file_audiences(e: m.Engagement) -> Iterator[Problem]:
    """files/audience.yml: each entry names a file under files/ and views that exist."""
    where = f"{e.source}/{m.FILE_AUDIENCE}"
    declared = e.client.views
    files = e.root / "files"
    try:
        lines = (e.root / m.FILE_AUDIENCE).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for path, meta in e.file_audience.items():
        # The entry's own line (the loaded lines give a mapping's first key's).
        line = next((n for n, text in enumerate(lines, 1)
                     if text.split(":", 1)[0].strip("'\" ") == path),
                    e.line(m.FILE_AUDIENCE, (path,)))
        target = Path(os.path.normpath(files / path))
        if not target.is_relative_to(files) or not is_file(target) \
                or target == e.root / m.FILE_AUDIENCE:
            yield Problem(where, line, f"{path}: no such file in files/ (name it as it is "
                          "there, e.g. rate-card.pdf or contracts/msa.pdf)")
        for name in meta.audience or ():
            if name not in declared:
                known = ", ".join(declared) or "client.yml declares no views"
                yield Problem(where, e.line(m.FILE_AUDIENCE, (path, "audience")),
                              f"{path}: audience: no view {name!r} ({known})")


def _audiences(e: m.Engagement, name: str, sources: tuple[str, ...],
               part: Any) -> Iterator[tuple[str, int, tuple[str, ...]]]:
    """(file, line, audience) of every item of a section's part that names one."""
    file = sources[0] if sources else ""
    if isinstance(part, BaseModel):
        lists = [(field, getattr(part, field)) for field in type(part).model_fields]
    elif isinstance(part, list | tuple):
        lists = [(name, part)]
    else:
        lists = [(f"{field}", getattr(part, field)) for field in ("pages",)
                 if hasattr(part, field)]
    for key, items in lists:
        if not isinstance(items, list | tuple):
            continue
        for index, item in enumerate(items):
            doc = item if isinstance(item, m.Document) else getattr(item, "doc", None)
            if isinstance(doc, m.Document):
                if doc.audience is not None:
                    yield doc.source, _front_line(doc.path, "audience"), doc.audience
            elif isinstance(item, m.Audienced) and item.audience is not None:
                yield (f"{e.source}/{file}", e.line(file, (key, index, "audience")),
                       tuple(item.audience))


def _front_line(path: Path, key: str) -> int:
    """The line of `key:` in a Markdown file's front matter (1 if not found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((n for n, text in enumerate(lines[:60], 1) if text.startswith(f"{key}:")), 1)


def _readers_without_view(e: m.Engagement) -> Iterator[Problem]:
    from portico.protection.readers import load_readers

    path = e.root / "readers.yml"
    try:
        readers = load_readers(path)
    except ContentError:
        return  # check_readers_file reports it
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    declared = e.client.views
    for reader in readers:
        line = next((n for n, text in enumerate(lines, 1)
                     if re.fullmatch(rf"-?\s*id:\s*['\"]?{re.escape(reader.id)}['\"]?\s*",
                                     text.strip())), 1)
        where = f"{e.source}/readers.yml"
        if not declared:
            if reader.views:
                yield Problem(where, line, f"reader {reader.id}: names views "
                              f"({', '.join(reader.views)}) but client.yml declares none; "
                              "it opens the one portal", "warning", kind="reader-views-undeclared")
            continue
        held = reader.views if reader.views is not None else [e.client.default_view or ""]
        unknown = [v for v in held if v not in declared]
        for name in unknown:
            yield Problem(where, line, f"reader {reader.id}: no view {name!r} in client.yml "
                          f"(views: {', '.join(declared)})")
        if len(unknown) == len(held):
            yield Problem(where, line, f"reader {reader.id} is in no view: no portal wraps "
                          f"a key for them; give them one with `portico reader remove "
                          f"{e.slug} {reader.id}` and `portico reader add {e.slug} "
                          f"{reader.id} --view NAME`")


def _links_out_of_views(e: m.Engagement) -> Iterator[Problem]:
    from portico.portal.audience import engagement_for_view

    every = {doc.path for section in registered()
             for doc, visible in section.documents(e.parts.get(section.name)) if visible}
    for name in e.client.views:
        shown = engagement_for_view(e, name)
        inside = {doc.path: doc for section in registered() if shown.shows(section.name)
                  for doc, visible in section.documents(shown.parts.get(section.name))
                  if visible}
        for doc in inside.values():
            for link in find_links(doc.body):
                target = resolve(link, doc.path.parent)
                if target is not None and (target in every and target not in inside
                                           or target in shown.hidden_files):
                    yield Problem(doc.source, doc.body_line + link.line_offset,
                                  f"view {name}: links to {link.target}, which is outside "
                                  "the view; its portal shows the link as plain text",
                                  "warning", kind="view-link-outside")


def _decisions_out_of_views(e: m.Engagement) -> Iterator[Problem]:
    """A YAML item's `decisions:` naming a decision its view does not show (the portal
    shows the number, with no link)."""
    from portico.portal.audience import engagement_for_view, shows

    for name, spec in e.client.views.items():
        shown = engagement_for_view(e, name)
        numbers = {str(d.number) for d in shown.parts.get("decisions") or ()} \
            if shown.shows("decisions") else set()
        for section in registered():
            if not shown.shows(section.name) or not section.sources:
                continue
            part = e.parts.get(section.name)
            lists = [(f, getattr(part, f)) for f in type(part).model_fields] \
                if isinstance(part, BaseModel) else [(section.name, part)]
            for key, items in lists:
                for index, item in enumerate(items if isinstance(items, list) else ()):
                    if not isinstance(item, m.Audienced) or getattr(item, "internal", False) \
                            or not shows(spec, name, item):
                        continue
                    missing = [str(n) for n in getattr(item, "decisions", None) or ()
                               if str(n) not in numbers]
                    if missing:
                        file = section.sources[0]
                        yield Problem(f"{e.source}/{file}",
                                      e.line(file, (key, index, "decisions")),
                                      f"view {name}: decisions {', '.join(missing)} "
                                      "outside the view; its portal shows the number, no link",
                                      "warning", kind="view-decision-outside")


def _packs_without_decisions(e: m.Engagement) -> Iterator[Problem]:
    from portico.portal.audience import engagement_for_view

    for name in e.client.views:
        shown = engagement_for_view(e, name)
        if not shown.shows("board"):
            continue
        numbers = {str(d.number) for d in shown.parts.get("decisions") or ()
                   if not getattr(d, "internal", False)} if shown.shows("decisions") else set()
        for pack in shown.parts.get("board") or ():
            if pack.doc.internal:
                continue
            missing = [n for n in pack.decisions if n not in numbers]
            if missing:
                yield Problem(pack.doc.source, _front_line(pack.doc.path, "decisions"),
                              f"view {name}: this board pack asks about decision"
                              f"{'s' * (len(missing) != 1)} {', '.join(missing)}, which the "
                              "view does not show", "warning", kind="view-pack-decisions")
