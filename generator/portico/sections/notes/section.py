"""Notes as a section: notes/*.md → the list, a page per note, "latest notes" at home."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portico.content.model import Document, Engagement, iso_date
from portico.portal.markdown import engine_text
from portico.sections.base import NAV_LIMIT, Markers, Section, Trace
from portico.sections.notes.model import Note, NoteMeta

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter

INDEX = "notes/index.md"
_NOTE_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})[-_ ]?.*\.md$")


def notes_of(e: Engagement) -> list[Note]:
    """The client's notes as loaded (internal ones included), newest first."""
    notes: list[Note] = e.parts.get("notes") or []
    return notes


def _load_notes(folder: Path, c: Loader) -> list[Note]:
    notes: list[Note] = []
    for path in c.markdown_files(folder):
        parsed = c.markdown(path, NoteMeta)
        if parsed is None:
            continue
        meta, body, body_line, _ = parsed
        match = _NOTE_FILE.match(path.name)
        date = meta.date
        if date is None and match:
            try:
                date = iso_date(match.group(1))
            except ValueError as exc:
                c.add(path, 0, f"the date in the file name {exc}")
                continue
        if date is None:
            c.add(path, 0, "a note's file name starts with its date (2026-05-14-board-update.md), "
                  "or its front matter gives `date:`")
            continue
        doc = c.document(path, meta.title, body, body_line, meta.internal, meta=meta)
        if doc is not None:
            notes.append(Note(doc, date, meta.kind, tuple(meta.attendees)))
    notes.sort(key=lambda n: (n.date, n.doc.source), reverse=True)
    return notes


class NotesSection(Section):
    """notes/*.md: dated notes, newest first; the three latest on the home page."""

    name = "notes"
    title = "Notes"
    noun = "Note"
    home_rank = 50
    unlisted = ("/notes/*.md",)

    def load(self, folder: Path, loader: Loader) -> list[Note]:
        return _load_notes(folder / "notes", loader)

    def documents(self, part: list[Note]) -> Iterator[tuple[Document, bool]]:
        for note in part:
            yield note.doc, not note.doc.internal

    def markers(self, part: list[Note]) -> Markers:
        attendees = [name for note in part for name in note.attendees]
        return Markers(strings=list(attendees), people=attendees)

    def traces(self, view: list[Note]) -> Iterator[Trace]:
        for note in view:
            yield Trace(self.name, Path(note.doc.source).stem, note.doc.title, item=note)

    def view(self, e: Engagement, part: list[Note], today: dt.date) -> list[Note]:
        return [n for n in part if not n.doc.internal]

    def allocate(self, view: list[Note], pages: dict[Path, str]) -> None:
        seen: dict[str, int] = {}
        for note in sorted(view, key=lambda n: (n.date, n.doc.source)):
            day = note.date.isoformat()
            seen[day] = seen.get(day, 0) + 1
            suffix = f"-{seen[day]}" if seen[day] > 1 else ""
            pages[note.doc.path] = f"notes/{day}{suffix}.md"

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        return (pages[obj.doc.path], "") if isinstance(obj, Note) else None

    def pages(self, view: list[Note], writer: PageWriter) -> None:
        if not view:
            return
        writer.write(INDEX, "notes/index.md.j2", "Notes", notes=view)

    def pages_aside(self, view: list[Note], writer: PageWriter) -> list[Callable[[], None]]:
        # A page per note: its own Markdown, with links pointed at their pages.
        return [functools.partial(writer.write_document, note.doc, "notes/page.md.j2",
                                  note.doc.title, note=note) for note in view]

    def nav(self, view: list[Note], pages: dict[Path, str]) -> list[Any]:
        if not view:
            return []
        # Titled here, as every nav entry is: a partial build reads only the changed pages,
        # and their footers name their neighbours by the title the nav gives (engine.partial).
        entries: list[Any] = [{"Notes": INDEX}]
        if len(view) <= NAV_LIMIT:
            entries += [{engine_text(n.doc.title): pages[n.doc.path]} for n in view]
        return [{"Notes": entries}]

    def home_block(self, view: list[Note], writer: PageWriter) -> str | None:
        if not view:
            return None
        return writer.render_template("notes/home_block.md.j2", latest=view[:3])
